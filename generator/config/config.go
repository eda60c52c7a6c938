// Package config reads site.toml: the board's name, issuer, contact and
// 监督电话, the 四议两公开 procedure, quorum rules per meeting kind, privacy
// masks, print settings and the disclosure schedule (SPEC §3, §10).
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"time"

	"gongkai/generator/calendar"
	"gongkai/generator/diag"
	"gongkai/generator/fields"
	"gongkai/generator/folder"
	"gongkai/generator/ledger"
	"gongkai/generator/money"
	"gongkai/generator/textenc"
	"gongkai/generator/zh"
)

// File is the name of the settings file in the content folder.
const File = "site.toml"

// Site is the validated content of site.toml. It is never changed after
// Load returns.
type Site struct {
	Title     string
	Community string
	Issuer    string
	Parent    string
	BaseURL   string // always ends in "/"
	Language  string
	Timezone  string
	Location  *time.Location
	// Theme is the board's theme: DefaultTheme, or the name of a
	// folder themes/<name>/ of the content folder whose files take the
	// place of the default theme's files of the same name.
	Theme         string
	NoticeMinDays int
	MajorAmount   money.Amount
	UnsafeHTML    bool

	Privacy   Privacy
	Contact   Contact
	Procedure []string // the stages of decisions, in order
	Print     Print

	// DisclosureCategories are the allowed `category` values of
	// disclosures: the standard ones plus `disclosure_categories`.
	DisclosureCategories []string
	// Meetings maps a meeting kind to its quorum and passing rule.
	Meetings map[string]Rule
	Schedule []calendar.Schedule

	// Ledger are the origin of the ledger's checkpoints and the keys that
	// sign them ([ledger]): the board's own and its witnesses'.
	Ledger ledger.Keys
	// Deploy are the [[deploy]] targets of `gongkai deploy`, in order.
	Deploy []Deploy

	themePos diag.Position // where theme is set
}

// Privacy holds the masking rule: digits kept at the start and end.
type Privacy struct {
	IDKeep, PhoneKeep [2]int
}

// Contact is the office's address and phones.
type Contact struct {
	Phone, SupervisePhone, Address string
}

// Print holds the defaults of print sheets.
type Print struct {
	Paper       string // A4 or A3
	Orientation string // portrait or landscape
	Header      string
	DateStyle   zh.DateStyle
}

// StandardDisclosureCategories are the categories of SPEC §2.4.
var StandardDisclosureCategories = []string{"党务公开", "居务公开", "村务公开", "财务公开", "惠民资金", "救助帮扶", "工程项目", "其他"}

// DefaultStages is the 四议两公开 procedure of a village.
var DefaultStages = []string{"党组织提议", "两委会商议", "党员大会审议", "村民代表会议决议", "决议公开", "实施结果公开"}

// Load reads site.toml from the content folder.
func Load(fsys fs.FS) (*Site, diag.List) {
	b, err := fs.ReadFile(fsys, File)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, diag.List{folder.Problem(diag.Position{File: File}, fsys, File, err)}
	}
	if err != nil {
		return nil, diag.List{diag.Errorf(diag.Position{File: File}, "找不到 site.toml", "site.toml not found").
			WithHint("内容文件夹里要有 site.toml（站点设置）；可用 --src 指定内容文件夹", "the content folder needs a site.toml; use --src to name the folder")}
	}
	text, ds := textenc.Decode(File, b)
	if ds.HasErrors() {
		return nil, ds
	}
	site, more := Parse(text)
	ds.Add(more...)
	if more.HasErrors() {
		return nil, ds
	}
	if d := site.checkThemeFolder(fsys); d != nil {
		// The rest of the board can still be checked; the error stops a
		// build before anything is rendered.
		ds.Add(*d)
	}
	return site, ds
}

// Parse reads the text of site.toml.
func Parse(text string) (*Site, diag.List) {
	doc, t, ds := fields.Parse(File, text, 1, DefaultZone())
	if doc == nil {
		return nil, ds
	}
	s := &Site{
		Title:     t.String("title", true),
		Community: t.String("community", false),
		Issuer:    t.String("issuer", true),
		Parent:    t.String("parent", false),
		BaseURL:   t.String("base_url", true),
		Language:  t.String("language", false),
		Timezone:  t.String("timezone", false),
		Theme:     t.String("theme", false),
	}
	if s.Language == "" {
		s.Language = "zh-CN"
	}
	if s.Timezone == "" {
		s.Timezone = DefaultTimezone
	}
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		if s.Timezone != DefaultTimezone {
			t.Errorf("timezone", "时区 %q 无法识别", "unknown time zone %q", s.Timezone).WithHint("一般写 \"Asia/Shanghai\"", "usually \"Asia/Shanghai\"")
		}
		loc = DefaultZone() // no tz database on this machine, or a bad name reported above
	}
	s.Location = loc
	if s.Theme == "" {
		s.Theme = DefaultTheme
	} else if msg, ok := ThemeName(s.Theme); !ok {
		t.Errorf("theme", "主题名 %q 不能用：%s", "the theme name %q cannot be used: %s", s.Theme, msg.Zh).
			WithHint("主题名只用英文字母、数字、- 和 _，如 theme = \"jiedao\"；主题放在内容文件夹的 themes/主题名/ 里", "a theme name holds only letters, digits, - and _, such as theme = \"jiedao\"; the theme lives in themes/<name>/ of the content folder")
	} else {
		s.themePos = t.Pos("theme")
	}
	if s.BaseURL != "" {
		u, err := url.Parse(s.BaseURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			t.Errorf("base_url", "base_url 应为完整网址，如 https://example.org/qingshi/", "base_url must be a full URL like https://example.org/qingshi/").
				WithHint("写网站发布后的地址，以 https:// 开头", "write the address the site is published at, starting with https://")
		}
		if !strings.HasSuffix(s.BaseURL, "/") {
			s.BaseURL += "/"
		}
	}
	s.NoticeMinDays = 5
	if n, ok := t.Int("notice_min_days", false); ok {
		if n < 1 || n > 365 {
			t.Errorf("notice_min_days", "notice_min_days 应在 1 到 365 之间", "notice_min_days must be between 1 and 365").
				WithHint("公示期一般不少于 5 天，写 notice_min_days = 5", "notice periods are usually at least 5 days: notice_min_days = 5")
		} else {
			s.NoticeMinDays = n
		}
	}
	s.MajorAmount = 50000 * 100
	if v, ok := t.Raw("major_amount"); ok {
		a, err := money.FromTOML(v)
		if err != nil {
			e := t.Errorf("major_amount", "major_amount 不是有效金额", "major_amount is not a valid amount: %v", err)
			if pe, ok := err.(*money.ParseError); ok {
				e.Msg = diag.Text{Zh: "major_amount 不是有效金额：" + pe.Reason.Zh, En: "major_amount is not a valid amount: " + pe.Reason.En}
			}
			e.Hint = diag.T("写成 major_amount = \"50000\"：只写数字，最多两位小数，不带“元”", "write major_amount = \"50000\": digits only, at most two decimals")
		} else {
			s.MajorAmount = a
		}
	}
	s.UnsafeHTML = t.Bool("unsafe_html")
	s.DisclosureCategories = append(append([]string(nil), StandardDisclosureCategories...), t.Strings("disclosure_categories")...)

	s.Privacy = Privacy{IDKeep: [2]int{3, 4}, PhoneKeep: [2]int{3, 4}}
	if p := t.Table("privacy"); p != nil {
		for _, k := range []struct {
			key string
			dst *[2]int
		}{{"id_keep", &s.Privacy.IDKeep}, {"phone_keep", &s.Privacy.PhoneKeep}} {
			if !p.Has(k.key) {
				continue
			}
			v := p.Ints(k.key)
			if len(v) != 2 || v[0] < 0 || v[1] < 0 || v[0]+v[1] > 10 {
				p.Errorf(k.key, "%s 应为两个数字：开头和结尾保留的位数，如 [3, 4]", "%s must be two numbers: digits kept at start and end, like [3, 4]", k.key)
				continue
			}
			*k.dst = [2]int{v[0], v[1]}
		}
		p.Done()
	}
	if c := t.Table("contact"); c != nil {
		s.Contact = Contact{Phone: c.String("phone", false), SupervisePhone: c.String("supervise_phone", false), Address: c.String("address", false)}
		c.Done()
	}
	s.Procedure = DefaultStages
	if p := t.Table("procedure"); p != nil {
		if p.Has("stages") {
			st := p.Strings("stages")
			seen := map[string]bool{}
			for _, x := range st {
				if seen[x] {
					p.Errorf("stages", "程序步骤 %q 重复", "stage %q is repeated", x)
				}
				seen[x] = true
			}
			if len(st) < 2 {
				p.Errorf("stages", "程序至少要有两个步骤", "the procedure needs at least two stages")
			} else {
				s.Procedure = st
			}
		}
		p.Done()
	}
	s.Print = Print{Paper: "A4", Orientation: "portrait", Header: s.Title}
	if p := t.Table("print"); p != nil {
		s.Print.Paper = Paper(p, "paper", "A4")
		s.Print.Orientation = Orientation(p, "orientation", "portrait")
		if h := p.String("header", false); h != "" {
			s.Print.Header = h
		}
		if p.Has("date_style") {
			ds, ok := zh.ParseDateStyle(p.String("date_style", false))
			if !ok {
				p.Errorf("date_style", "date_style 只能是 \"arabic\" 或 \"chinese\"", "date_style must be \"arabic\" or \"chinese\"")
			}
			s.Print.DateStyle = ds
		}
		p.Done()
	}
	s.Meetings = DefaultMeetings()
	if m := t.Table("meetings"); m != nil {
		for _, kind := range m.Keys() {
			mt := m.Table(kind)
			if mt == nil {
				continue
			}
			r := s.Meetings[kind]
			if r.Quorum == (Fraction{}) {
				r = DefaultRule
			}
			if mt.Has("quorum") {
				if f, ok := ParseFraction(mt.String("quorum", false)); ok {
					r.Quorum = f
				} else {
					mt.Errorf("quorum", "quorum 写法不对，应如 \"2/3\"（至少三分之二）或 \">1/2\"（过半数）", "quorum must look like \"2/3\" (at least) or \">1/2\" (more than)")
				}
			}
			if mt.Has("pass") {
				if f, ok := ParseFraction(mt.String("pass", false)); ok {
					r.Pass = f
				} else {
					mt.Errorf("pass", "pass 写法不对，应如 \">1/2\"（超过半数）", "pass must look like \">1/2\"")
				}
			}
			mt.Done()
			s.Meetings[kind] = r
		}
	}
	for _, st := range t.Tables("schedule") {
		sc := calendar.Schedule{Category: st.String("category", true), DueDays: 20, Pos: st.Self()}
		if sc.Category != "" && !contains(s.DisclosureCategories, sc.Category) {
			d := st.Errorf("category", "公开类别 %q 不存在", "unknown category %q", sc.Category)
			if sug := diag.Suggest(sc.Category, s.DisclosureCategories); sug != "" {
				d.Hint = diag.T("是不是想写 %s？", "did you mean %s?", sug)
			}
		}
		every := st.String("every", true)
		if u, ok := calendar.ParseEvery(every); ok {
			sc.Every = u
		} else if every != "" {
			st.Errorf("every", "every 只能是 month、quarter、half 或 year", "every must be month, quarter, half or year")
		}
		if n, ok := st.Int("due_days", false); ok {
			if n < 0 || n > 366 {
				st.Errorf("due_days", "due_days 应在 0 到 366 之间", "due_days must be between 0 and 366")
			}
			sc.DueDays = n
		}
		since := st.String("since", true)
		if p, ok := calendar.ParsePeriod(since); ok {
			sc.Since = p
		} else if since != "" {
			st.Errorf("since", "since 写法不对，应如 \"2025-01\"、\"2025-Q1\" 或 \"2025\"", "since must look like \"2025-01\", \"2025-Q1\" or \"2025\"")
		}
		st.Done()
		s.Schedule = append(s.Schedule, sc)
	}
	s.Ledger = ledgerKeys(t.Table("ledger"), s.BaseURL)
	s.Deploy = deployTargets(t)
	t.Done()
	ds = append(ds, doc.Diags...)
	if s.Issuer == "" && s.Title != "" {
		s.Issuer = s.Title
	}
	return s, ds
}

// ledgerKeys reads [ledger]: origin (by default from base_url), the
// board's verifier key and the witnesses' keys.
func ledgerKeys(t *fields.Table, baseURL string) ledger.Keys {
	k := ledger.Keys{Origin: ledger.OriginOf(baseURL)}
	if t == nil {
		return k
	}
	defer t.Done()
	if t.Has("origin") {
		o := t.String("origin", false)
		if !ledger.ValidOrigin(o) {
			t.Errorf("origin", "origin 不能为空，不能有空格或“+”", "origin must not be empty and must have no blanks and no '+'").
				WithHint("一般不写，由 base_url 得出，如 %q", "usually left out: it comes from base_url, like %q", k.Origin)
		} else {
			k.Origin = o
		}
	}
	if t.Has("key") {
		text := t.String("key", false)
		key, err := ledger.ParseKey(text)
		switch {
		case err != nil:
			e := t.Errorf("key", "key 不是有效的公钥", "key is not a valid verifier key")
			e.Msg = ledger.Problem(e.Pos, "key 不是有效的公钥：", "key is not a valid verifier key: ", err).Msg
			e.WithHint("公钥由 gongkai key new 生成，请整行原样复制", "keys are made by gongkai key new; copy the whole line as it is")
		case key.Name != k.Origin:
			t.Errorf("key", "公钥的名字 %q 与账本的来源 %q 不同", "the key is named %q but the ledger's origin is %q", key.Name, k.Origin).
				WithHint("本居委会的公钥以账本来源命名；base_url 改过时，请写 origin = %q", "the board's key is named after the ledger's origin; if base_url changed, write origin = %q", key.Name)
		default:
			k.Board = key
		}
	}
	seen := map[string]bool{k.Origin: true}
	for _, text := range t.Strings("witnesses") {
		key, err := ledger.ParseKey(text)
		switch {
		case err != nil:
			e := t.Errorf("witnesses", "witnesses 里有无效的公钥", "witnesses holds a key that is not valid")
			e.Msg = ledger.Problem(e.Pos, fmt.Sprintf("witnesses 里的 %q 不是有效的公钥：", cut(text, 24)), fmt.Sprintf("%q in witnesses is not a valid verifier key: ", cut(text, 24)), err).Msg
			e.WithHint("副署方的公钥由 gongkai key new --witness 名称 生成，请整行原样复制", "a witness's key is made by gongkai key new --witness NAME; copy the whole line as it is")
		case seen[key.Name]:
			t.Errorf("witnesses", "witnesses 里有两把名叫 %q 的公钥", "two keys in witnesses are named %q", key.Name).
				WithHint("每个副署方（街道、监督委员会）用自己的名字生成一把密钥", "each witness (the 街道, the supervisory committee) makes one key under its own name")
		default:
			seen[key.Name] = true
			k.Witnesses = append(k.Witnesses, key)
		}
	}
	return k
}

// cut shortens s to n characters for a message.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// Paper reads a paper size key ("A4" or "A3").
func Paper(t *fields.Table, key, def string) string {
	if !t.Has(key) {
		return def
	}
	v := strings.ToUpper(t.String(key, false))
	if v != "A4" && v != "A3" {
		t.Errorf(key, "纸张只能是 \"A4\" 或 \"A3\"", "paper must be \"A4\" or \"A3\"")
		return def
	}
	return v
}

// Orientation reads an orientation key ("portrait" or "landscape").
func Orientation(t *fields.Table, key, def string) string {
	if !t.Has(key) {
		return def
	}
	v := strings.ToLower(t.String(key, false))
	if v != "portrait" && v != "landscape" {
		t.Errorf(key, "方向只能是 \"portrait\"（纵向）或 \"landscape\"（横向）", "orientation must be \"portrait\" or \"landscape\"")
		return def
	}
	return v
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
