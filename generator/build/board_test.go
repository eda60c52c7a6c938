package build_test

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/ledger"
	"gongkai/themes"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// today is the build date of every board test.
var today = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// boardTxtar is a small, complete city-community board: a convention, a
// finance disclosure, a personal relief list, a bundle with a CSV table, a
// decision that went through the procedure, its two minutes and a page.
const boardTxtar = `
-- content/site.toml --
title = "青石社区居务公开栏"
community = "青石社区"
issuer = "青石社区居民委员会"
parent = "青石街道办事处"
base_url = "https://example.org/qingshi/"
language = "zh-CN"
timezone = "Asia/Shanghai"
theme = "default"
notice_min_days = 5

[contact]
phone = "023-6800-0000"
supervise_phone = "023-6800-0001"
address = "青石街道青石路1号党群服务中心"

[procedure]
stages = ["社区党组织提议", "两委会商议", "党员大会审议", "居民代表会议决议", "决议公开", "实施结果公开"]

[print]
paper = "A4"
header = "青石社区居务公开栏"
-- content/conventions/jumin-gongyue.md --
+++
title = "青石社区居民公约"
date = 2024-06-01
kind = "居民公约"
adopted_on = 2024-05-26
adopted_by = "居民会议"
filed_with = "青石街道办事处"
filed_on = 2024-05-30
+++

# 第一章 总则

## 第一条

为维护社区公共秩序，营造文明和谐的居住环境，经居民会议讨论通过，制定本公约。

## 第二条

本公约适用于本社区全体居民，居民应当自觉遵守。

# 第二章 公共环境

## 第三条

爱护楼道、绿地和健身器材，不在公共区域堆放杂物。

## 第四条

垃圾分类投放，不高空抛物，不在楼道内停放电动自行车或为其充电。

# 第三章 附则

## 第五条

本公约由社区居民委员会负责解释，自公布之日起施行。
-- content/disclosures/2026-q2-caiwu.md --
+++
title = "2026年第二季度社区经费收支公开"
date = 2026-07-08
category = "财务公开"
period = "2026-Q2"
notice = { from = 2026-07-08, to = 2026-07-14 }

[finance]
opening = "52310.00"
closing = "61927.45"

[[finance.income]]
date = 2026-04-03
item = "街道拨付社区工作经费"
amount = "30000.00"
voucher = "记-04-01"

[[finance.income]]
date = 2026-05-16
item = "党组织服务群众专项经费"
amount = "20000.00"
voucher = "记-05-02"

[[finance.expense]]
date = 2026-04-21
item = "楼道照明维修材料"
amount = "6842.55"
voucher = "记-04-07"

[[finance.expense]]
date = 2026-06-10
item = "重阳节困难老人慰问品"
amount = "33540.00"
voucher = "记-06-03"
+++

以上收支经居务监督委员会审核。居民如有疑问，请在公示期内到社区党群服务中心查询或拨打监督电话。
-- content/disclosures/2026-07-jiuzhu.md --
+++
title = "2026年7月临时救助对象公示"
date = 2026-07-20
category = "救助帮扶"
personal = true
notice = { from = 2026-07-20, to = 2026-07-26 }
+++

经本人申请、入户核查和居民代表评议，拟对下列困难家庭给予临时救助，现予公示。

| 姓名 | 身份证号 | 救助事由 | 救助金额（元） |
|---|---|---|---|
| 陈某某 | 500***********2318 | 因病致困 | 3000.00 |

公示期内如有异议，请向社区居务监督委员会反映。
-- content/disclosures/meian/index.md --
+++
title = "煤安小区环境整治项目资金使用公开"
date = 2026-09-02
category = "工程项目"
notice = { from = 2026-09-02, to = 2026-09-09 }
attachments = ["资金明细.csv"]

[[tables]]
title = "项目资金明细"
file = "资金明细.csv"
sum = ["金额"]
+++

煤安小区环境整治项目经居民代表会议决议实施，资金使用情况如下表。
-- content/disclosures/meian/资金明细.csv --
序号,用途,金额
1,雨污管网改造,2460000.00
2,步道与绿化,2180000.00
3,楼栋外立面修缮,1760000.00
-- content/decisions/2026-02.md --
+++
title = "关于实施煤安小区环境整治项目的决定"
date = 2026-03-18
number = "青石居〔2026〕2号"
category = "重大项目安排"
origin = "党员群众建议"
amount = "6400000.00"

[[steps]]
stage = "社区党组织提议"
date = 2026-03-02
body = "社区党委会"

[[steps]]
stage = "两委会商议"
date = 2026-03-06

[[steps]]
stage = "党员大会审议"
date = 2026-03-11
minutes = "minutes/2026-03-11-dangyuan"

[[steps]]
stage = "居民代表会议决议"
date = 2026-03-18
minutes = "minutes/2026-03-18-daibiao"

[[steps]]
stage = "决议公开"
date = 2026-03-19
+++

为解决煤安小区公共设施老化、环境脏乱问题，经“四议两公开”程序，决定实施环境整治项目，资金使用情况见[资金公开](disclosures/meian)。
-- content/minutes/2026-03-18-daibiao.md --
+++
title = "青石社区居民代表会议记录"
date = 2026-03-18T14:30:00
meeting = "居民代表会议"
place = "青石社区党群服务中心二楼会议室"
chair = "周某"
recorder = "吴某"
expected = 26
present = 22

[[agenda]]
item = "审议煤安小区环境整治项目实施方案"

[[resolutions]]
text = "同意实施煤安小区环境整治项目，总投资640万元"
for = 20
against = 1
abstain = 1
decision = "decisions/2026-02"
+++

会议由社区党委书记主持。代表们就施工期间出行安排和资金监督提出意见，社区一一作了答复。
-- content/minutes/2026-03-11-dangyuan.md --
+++
title = "青石社区党员大会记录"
date = 2026-03-11T09:00:00
meeting = "党员大会"
place = "青石社区党群服务中心"
chair = "周某"
recorder = "吴某"
expected = 48
present = 41

[[agenda]]
item = "审议煤安小区环境整治项目方案"

[[resolutions]]
text = "同意将整治方案提交居民代表会议决议"
for = 39
against = 0
abstain = 2
+++

党员大会审议了整治方案，党员一致表示将带头做好群众工作。
-- content/pages/about.md --
+++
title = "关于本公开栏"
date = 2026-01-01
+++

本公开栏依法公开居务、财务和党务信息，欢迎居民监督。
`

// boardRecords are the record ids of boardTxtar.
var boardRecords = []string{
	"conventions/jumin-gongyue", "disclosures/2026-q2-caiwu", "disclosures/2026-07-jiuzhu",
	"disclosures/meian", "decisions/2026-02", "minutes/2026-03-18-daibiao",
	"minutes/2026-03-11-dangyuan", "pages/about",
}

// loadBoard turns a txtar archive into the content folder: files under
// content/ become the folder's files.
func loadBoard(t testing.TB, archive string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, f := range txtar.Parse([]byte(archive)).Files {
		name, ok := strings.CutPrefix(f.Name, "content/")
		if !ok {
			t.Fatalf("txtar file %s is not under content/", f.Name)
		}
		fsys[name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	return fsys
}

// buildMem builds fsys into memory and fails the test on any diagnostic
// but the one warning of a board that was never published.
func buildMem(t *testing.T, fsys fstest.MapFS, offline bool) *build.MemOutput {
	t.Helper()
	out, _, ds, err := build.ToMemory(build.Options{Src: fsys, Today: today, Offline: offline})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if len(ds) > 0 && !unpublished(ds) {
		var b strings.Builder
		ds.Print(&b, diag.Zh)
		t.Fatalf("the good board has diagnostics:\n%s", b.String())
	}
	if out == nil {
		t.Fatal("build wrote nothing")
	}
	return out
}

// unpublished reports whether ds is only the warning that a board without
// a ledger has nothing registered yet.
func unpublished(ds diag.List) bool {
	return len(ds) == 1 && neverPublished(ds[0])
}

// neverPublished reports whether d is the warning that a board without a
// ledger has nothing registered yet.
func neverPublished(d diag.Diagnostic) bool {
	return d.Severity == diag.Warning && d.Pos.File == ledger.FileName && strings.Contains(d.Msg.Zh, "还没有发布过")
}

func page(t *testing.T, out *build.MemOutput, name string) string {
	t.Helper()
	b, ok := out.Get(name)
	if !ok {
		t.Fatalf("%s was not written; files: %v", name, out.Names())
	}
	return string(b)
}

func TestBoardPages(t *testing.T) {
	out := buildMem(t, loadBoard(t, boardTxtar), false)
	for _, id := range boardRecords {
		page(t, out, id+"/index.html")
	}
	tests := []struct {
		file string
		want []string
		not  []string
	}{
		{"index.html", []string{"青石社区居务公开栏", `href="decisions/2026-02/"`}, nil},
		{"disclosures/2026-q2-caiwu/index.html", []string{
			"61,927.45", "陆万壹仟玖佰贰拾柒元肆角伍分", "伍万元整", "肆万零叁佰捌拾贰元伍角伍分",
			"街道拨付社区工作经费", "2026年7月14日", "023-6800-0001",
		}, nil},
		{"decisions/2026-02/index.html", []string{
			`href="../../minutes/2026-03-18-daibiao/"`, `href="../../minutes/2026-03-11-dangyuan/"`,
			"赞成 20", "反对 1", "弃权 1", "通过", "青石居〔2026〕2号", "陆佰肆拾万元整",
			`href="../../disclosures/meian/"`, // the body link, resolved
		}, nil},
		{"conventions/jumin-gongyue/index.html", []string{
			`class="toc"`, `id="tiao-1"`, `id="tiao-3"`, `id="tiao-5"`, `href="#tiao-3"`, "第二章 公共环境",
		}, nil},
		{"minutes/2026-03-18-daibiao/index.html", []string{
			"应到 26 人", "实到 22 人", "到会人数符合规定", "至少 18 人", `href="../../decisions/2026-02/"`,
		}, nil},
		{"disclosures/meian/index.html", []string{"项目资金明细", "雨污管网改造", "合计", "6,400,000.00", `%e6%98%8e%e7%bb%86.csv"`}, nil},
		{"disclosures/2026-07-jiuzhu/index.html", []string{`<meta name="robots" content="noindex">`, "陈某某"}, nil},
		{"pages/about/index.html", []string{"本公开栏依法公开"}, []string{"noindex"}},
		{"decisions/index.html", []string{"关于实施煤安小区环境整治项目的决定"}, nil},
		{"decisions/2026/index.html", []string{"关于实施煤安小区环境整治项目的决定"}, nil},
		{"decisions/category/重大项目安排/index.html", []string{"关于实施煤安小区环境整治项目的决定"}, nil},
		{"disclosures/category/财务公开/index.html", []string{"2026年第二季度社区经费收支公开"}, []string{"临时救助"}},
		{"minutes/index.html", []string{"青石社区居民代表会议记录", "青石社区党员大会记录"}, nil},
		{"conventions/index.html", []string{"青石社区居民公约"}, nil},
		{"404.html", []string{"页面不存在"}, nil},
		{"robots.txt", []string{"User-agent: *", "Sitemap: https://example.org/qingshi/sitemap.xml"}, nil},
		{"sitemap.xml", []string{
			"<loc>https://example.org/qingshi/decisions/2026-02/</loc>",
			"<loc>https://example.org/qingshi/minutes/2026-03-18-daibiao/</loc>",
		}, []string{"2026-07-jiuzhu"}}, // personal records stay out of the sitemap
		{"disclosures/meian/资金明细.csv", []string{"雨污管网改造,2460000.00"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			text := page(t, out, tt.file)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("%s does not contain %q", tt.file, w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(text, w) {
					t.Errorf("%s contains %q", tt.file, w)
				}
			}
		})
	}
}

var urlAttr = regexp.MustCompile(`\s(?:href|src)="([^"]*)"`)

// TestBoardLinksRelative checks that every link between the site's own
// pages is relative, so the site works under any base path, and that the
// offline build names index.html in every link to a folder.
func TestBoardLinksRelative(t *testing.T) {
	fsys := loadBoard(t, boardTxtar)
	for _, offline := range []bool{false, true} {
		out := buildMem(t, fsys, offline)
		for _, name := range out.Names() {
			if !strings.HasSuffix(name, ".html") {
				continue
			}
			b, _ := out.Get(name)
			for _, m := range urlAttr.FindAllStringSubmatch(string(b), -1) {
				u := m[1]
				switch {
				case name == "404.html" && !offline:
					// Served at any depth: links from the base URL's path.
					if !strings.HasPrefix(u, "/qingshi/") && !strings.HasPrefix(u, "#") && !strings.Contains(u, ":") {
						t.Errorf("%s links to %q, not from the base path /qingshi/", name, u)
					}
				case strings.HasPrefix(u, "/"):
					t.Errorf("offline=%v: %s links to %q: links must be relative", offline, name, u)
				case strings.Contains(u, ":") || strings.HasPrefix(u, "#"):
					// external, tel:, mailto: or an anchor
				case offline:
					base := u
					if i := strings.IndexAny(base, "#?"); i >= 0 {
						base = base[:i]
					}
					last := base[strings.LastIndexByte(base, '/')+1:]
					if !strings.Contains(last, ".") {
						t.Errorf("offline: %s links to %q, which does not name a file", name, u)
					}
				}
			}
		}
	}
}

func TestBoardReproducible(t *testing.T) {
	fsys := loadBoard(t, boardTxtar)
	a, b := buildMem(t, fsys, false), buildMem(t, fsys, false)
	if an, bn := strings.Join(a.Names(), "\n"), strings.Join(b.Names(), "\n"); an != bn {
		t.Fatalf("two builds wrote different files:\n%s\n---\n%s", an, bn)
	}
	for _, n := range a.Names() {
		x, _ := a.Get(n)
		y, _ := b.Get(n)
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds of the same board", n)
		}
	}
}

var mainRE = regexp.MustCompile(`(?s)<main.*</main>`)

// TestMinutesGolden pins the main content of the rendered minutes page.
// Run `go test ./generator/build -run Golden -update` after an intended
// change of the page, and read the diff.
func TestMinutesGolden(t *testing.T) {
	out := buildMem(t, loadBoard(t, boardTxtar), false)
	tests := []struct{ page, golden string }{
		{"minutes/2026-03-18-daibiao/index.html", "minutes-daibiao.golden"},
	}
	for _, tt := range tests {
		got := mainRE.FindString(page(t, out, tt.page))
		if got == "" {
			t.Fatalf("%s has no <main>", tt.page)
		}
		got = strings.ReplaceAll(got, "><", ">\n<") + "\n"
		path := filepath.Join("testdata", tt.golden)
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if got != string(want) {
			t.Errorf("%s main content differs from %s (run with -update after an intended change):\n%s", tt.page, path, lineDiff(string(want), got))
		}
	}
}

// lineDiff shows the first differing lines of two texts.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var x, y string
		if i < len(w) {
			x = w[i]
		}
		if i < len(g) {
			y = g[i]
		}
		if x != y {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  want: " + x + "\n  got:  " + y + "\n")
			if b.Len() > 2000 {
				break
			}
		}
	}
	return b.String()
}

// TestFailedBuildKeepsOutput builds a good board into a folder, then a
// broken one into the same folder: the build must fail and the old site
// must stay exactly as it was, with no temporary folders left behind.
func TestFailedBuildKeepsOutput(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	fsys := loadBoard(t, boardTxtar)
	res, ds, err := build.ToDir(build.Options{Src: fsys, Today: today}, dir)
	if err != nil || res == nil || ds.HasErrors() {
		t.Fatalf("good build: res %v, err %v, diagnostics %v", res, err, ds)
	}
	before := snapshot(t, dir)
	if len(before) < len(boardRecords) {
		t.Fatalf("only %d files written", len(before))
	}

	broken := loadBoard(t, boardTxtar)
	f := broken["decisions/2026-02.md"]
	f.Data = bytes.Replace(f.Data, []byte(`category = "重大项目安排"`), []byte(`category = "重大项目安排`), 1)
	res, ds, err = build.ToDir(build.Options{Src: broken, Today: today}, dir)
	if res != nil || err != nil || !ds.HasErrors() {
		t.Fatalf("broken build: res %v, err %v, errors %v", res, err, ds.HasErrors())
	}
	after := snapshot(t, dir)
	if len(after) != len(before) {
		t.Errorf("the failed build changed the file count: %d → %d", len(before), len(after))
	}
	for name, b := range before {
		if !bytes.Equal(after[name], b) {
			t.Errorf("the failed build changed %s", name)
		}
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("left behind beside the output: %v", names)
	}

	// A successful rebuild replaces the output and keeps no leftovers.
	res, _, err = build.ToDir(build.Options{Src: fsys, Today: today}, dir)
	if err != nil || res == nil {
		t.Fatalf("rebuild: %v", err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("%d entries beside the output after a rebuild", len(entries))
	}
}

// snapshot returns the files below dir by slash-separated relative name.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// themeFiles returns the default theme as a MapFS.
func themeFiles(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(themes.Default(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(themes.Default(), p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
