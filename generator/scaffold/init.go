package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gongkai/generator/diag"
)

// Board is what `gongkai init` asks for: the settings of a new board.
type Board struct {
	Name           string // the board's title: 青石社区居务公开栏
	Issuer         string // who publishes: 青石社区居民委员会
	Parent         string // the office above: 青石街道办事处 (may be empty)
	Phone          string // the office's phone
	SupervisePhone string // 监督电话, printed on every sheet
	Address        string
	BaseURL        string // where the site will be published
}

// Question is one thing init asks on a terminal.
type Question struct {
	Field   *string
	Ask     diag.Text // the question
	Default string
	// Check returns what is wrong with an answer, or an empty Text.
	Check func(string) diag.Text
}

// Defaults returns a board that builds as it is: the answers given when
// nothing is typed.
func Defaults() Board {
	return Board{
		Name: "社区居务公开栏", Issuer: "社区居民委员会",
		BaseURL: "https://example.org/gongkai/",
	}
}

// Questions returns the questions for b, in the order asked, each with
// b's value as its default.
func Questions(b *Board) []Question {
	return []Question{
		{&b.Name, diag.T("公开栏的名称（如 青石社区居务公开栏）", "the board's name"), b.Name, required},
		{&b.Issuer, diag.T("发布单位（如 青石社区居民委员会、青石村村民委员会）", "who publishes it"), b.Issuer, required},
		{&b.Parent, diag.T("上级单位（如 青石街道办事处，可不填）", "the office above (may be empty)"), b.Parent, nil},
		{&b.Phone, diag.T("办公电话（可不填）", "the office's phone (may be empty)"), b.Phone, nil},
		{&b.SupervisePhone, diag.T("监督电话，印在每张公开单上（可不填）", "the supervisors' phone, printed on every sheet (may be empty)"), b.SupervisePhone, nil},
		{&b.Address, diag.T("办公地址（可不填）", "the office's address (may be empty)"), b.Address, nil},
		{&b.BaseURL, diag.T("网站地址（还没有就直接回车，以后在 site.toml 里改）", "the site's address (press Enter if there is none yet)"), b.BaseURL, CheckBaseURL},
	}
}

func required(s string) diag.Text {
	if strings.TrimSpace(s) == "" {
		return diag.T("这一项不能空着", "this cannot be empty")
	}
	return diag.Text{}
}

// CheckBaseURL says what is wrong with a site address, or returns an
// empty Text.
func CheckBaseURL(s string) diag.Text {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return diag.T("网站地址要以 https:// 或 http:// 开头，如 https://example.org/qingshi/", "the address starts with https:// or http://, e.g. https://example.org/qingshi/")
	}
	return diag.Text{}
}

// Check returns what is wrong with b, in the order of the questions.
func (b Board) Check() []diag.Text {
	var out []diag.Text
	for _, q := range Questions(&b) {
		if q.Check != nil {
			if t := q.Check(*q.Field); t.Zh != "" {
				out = append(out, diag.Text{Zh: q.Ask.Zh + "：" + t.Zh, En: q.Ask.En + ": " + t.En})
			}
		}
	}
	return out
}

// NoteName is the file of the note for the office, written beside
// content/.
const NoteName = "使用说明.txt"

// ErrNotEmpty is returned by Init for a folder that holds files already.
var ErrNotEmpty = errors.New("the folder is not empty")

// Empty reports whether dir can take a new board: it does not exist, or
// it holds nothing but hidden entries such as .git.
func Empty(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			return false, nil
		}
	}
	return true, nil
}

// Init writes a new board into dir: content/site.toml from b, one
// commented example record per section (drafts, so that nothing is
// published before it is written for real), the page about the board, and
// a note for the office beside content/. It refuses a folder that holds
// anything but hidden entries (ErrNotEmpty) and writes nothing outside
// dir. today dates the examples. It returns the files written, relative
// to dir.
func Init(dir string, b Board, today time.Time) ([]string, error) {
	for _, t := range b.Check() {
		return nil, errors.New(t.Zh)
	}
	ok, err := Empty(dir)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNotEmpty
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	files := boardFiles(b, today)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := root.MkdirAll(filepath.Dir(filepath.FromSlash(name)), 0o755); err != nil {
			return nil, err
		}
		f, err := root.OpenFile(filepath.FromSlash(name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return nil, err
		}
		_, werr := f.WriteString(files[name])
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return nil, werr
		}
	}
	return names, nil
}

// quote writes s as a TOML basic string.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\u%04X", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// village reports whether the board is a village's (村) rather than a
// city community's (社区).
func (b Board) village() bool {
	return strings.Contains(b.Issuer, "村") && !strings.Contains(b.Issuer, "社区")
}

// community is the place's own name: the board's name without 居务公开栏.
func (b Board) community() string {
	n := strings.TrimSpace(b.Name)
	for _, suffix := range []string{"居务公开栏", "村务公开栏", "党务公开栏", "公开栏", "居务公开", "村务公开"} {
		if t := strings.TrimSuffix(n, suffix); t != n && t != "" {
			return t
		}
	}
	return n
}

// words are the terms that differ between a village and a community.
type words struct {
	people, affairs, meeting, assembly, convention, proposal, supervisors string
	stages                                                                []string
}

func (b Board) words() words {
	if b.village() {
		return words{"村民", "村务公开", "村民代表会议", "村民会议", "村规民约", "村党组织提议", "村务监督委员会",
			[]string{"村党组织提议", "两委会商议", "党员大会审议", "村民代表会议决议", "决议公开", "实施结果公开"}}
	}
	return words{"居民", "居务公开", "居民代表会议", "居民会议", "居民公约", "社区党组织提议", "居务监督委员会",
		[]string{"社区党组织提议", "两委会商议", "党员大会审议", "居民代表会议决议", "决议公开", "实施结果公开"}}
}

// boardFiles returns the files of a new board by their slash paths.
func boardFiles(b Board, today time.Time) map[string]string {
	w := b.words()
	day := func(offset int) string { return today.AddDate(0, 0, offset).Format("2006-01-02") }
	year := today.Year()
	q := (int(today.Month())-1)/3 + 1
	prevQ, prevY := q-1, year
	if prevQ == 0 {
		prevQ, prevY = 4, year-1
	}
	stages := make([]string, len(w.stages))
	for i, s := range w.stages {
		stages[i] = quote(s)
	}
	r := strings.NewReplacer(
		"{名称}", quote(b.Name), "{社区}", quote(b.community()), "{发布单位}", quote(b.Issuer), "{上级}", quote(b.Parent),
		"{电话}", quote(b.Phone), "{监督电话}", quote(b.SupervisePhone), "{地址}", quote(b.Address),
		"{网址}", quote(strings.TrimSpace(b.BaseURL)), "{程序}", strings.Join(stages, ", "),
		"{居民}", w.people, "{居务公开}", w.affairs, "{代表会议}", w.meeting, "{公约}", w.convention,
		"{提议}", w.proposal, "{监委会}", w.supervisors, "{居民会议}", w.assembly,
		"{今天}", day(0), "{公示止}", day(6), "{十天前}", day(-10), "{三天前}", day(-3), "{年}", fmt.Sprint(year),
		"{上季}", fmt.Sprintf("%d-Q%d", prevY, prevQ), "{上季名}", fmt.Sprintf("%d年第%s季度", prevY, []string{"", "一", "二", "三", "四"}[prevQ]),
		"{上季号}", fmt.Sprintf("%d-q%d", prevY, prevQ),
		"{名称文字}", b.Name, "{社区文字}", b.community(), "{社区串}", strings.Trim(quote(b.community()), `"`), "{发布单位文字}", b.Issuer, "{监督电话文字}", orDash(b.SupervisePhone), "{电话文字}", orDash(b.Phone), "{地址文字}", orDash(b.Address),
	)
	files := map[string]string{
		"content/site.toml":                  siteTOML,
		"content/pages/about.md":             aboutPage,
		"content/conventions/gongyue.md":     exampleConvention,
		"content/disclosures/{上季号}-caiwu.md": exampleDisclosure,
		"content/decisions/{年}-01-shili.md":  exampleDecision,
		"content/minutes/{三天前}-daibiao.md":   exampleMinutes,
		NoteName:                             officeNote,
	}
	out := make(map[string]string, len(files))
	for name, text := range files {
		text = r.Replace(text)
		if b.Parent == "" {
			text = strings.ReplaceAll(text, "parent    = \"\"\n", "# parent  = \"青石街道办事处\"       # 上级单位，可不填\n")
		}
		if NoteName == name {
			text = strings.ReplaceAll(text, "\n", "\r\n") // Notepad on older Windows wants CRLF
		}
		out[r.Replace(name)] = text
	}
	return out
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "（未填）"
	}
	return s
}
