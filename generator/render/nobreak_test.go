package render

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"gongkai/generator/markdown"
)

func TestNoBreaks(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<p>（2026年3月18日）会议</p>", `<p>（<span class="nw">2026年3月18日</span>）会议</p>`},
		{"<p>按照青石社区居委〔2026〕4号文件</p>", `<p>按照<span class="nw">青石社区居委〔2026〕4号</span>文件</p>`},
		{"<p>合计3,742,318.60元，其中128640.00</p>", `<p>合计<span class="nw">3,742,318.60元</span>，其中<span class="nw">128640.00</span></p>`},
		{`<p><a href="x/2026年3月18日.pdf">附件</a></p>`, `<p><a href="x/2026年3月18日.pdf">附件</a></p>`},
		{"<pre>2026年3月18日</pre><p>3月18日</p>", `<pre>2026年3月18日</pre><p><span class="nw">3月18日</span></p>`},
		{"<p>第三条 居民应当爱护环境</p>", "<p>第三条 居民应当爱护环境</p>"},
	}
	for _, tc := range tests {
		if got := string(noBreaks([]byte(tc.in))); got != tc.want {
			t.Errorf("noBreaks(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// noBreaksSeeds are bodies with every form, near misses of each, and the
// places where text stays as written.
var noBreaksSeeds = []string{
	"<p>（2026年3月18日）会议</p>",
	"<p>2026年3月、2026年12月31日、2026年123月、12026年3月4日、2026年3月123日</p>",
	"<p>3月18日 12月1日 123月1日 3月123日 3月 18日</p>",
	"<p>按照青石社区居委〔2026〕4号文件，青石社区居民委员会文件〔2026〕第12号，［2026］7号，[2026]8号，〔20261〕4号，〔2026〕号</p>",
	"<p>一二三四五六七〔2026〕4号 甲〔2026］第号 乙〔2026〕第3 号</p>",
	"<p>合计3,742,318.60元，其中128640.00，1,234,5678，12345,678，-1,234.5万元，1,234.万元，-.5元，-3.5，-3元</p>",
	"<p>300元 12.5万元 7万 8万元 9元元 0.0 1. .5 1,23 1,234,56</p>",
	`<p><a href="x/2026年3月18日.pdf">附件 3月18日</a></p>`,
	"<pre>2026年3月18日</pre><p>3月18日</p><code>1,000元</code><CODE>5元</CODE><Script>6元</script>7元",
	"</pre>3月4日<pre><pre>5元</pre>6元</pre>7元</pre>8元",
	"<p>第三条 居民应当爱护环境</p>",
	"3月4日<b",
	"<//pre>1元<pre2>2元</pre2><prescript>3元",
	"\xe5〔2026〕4号\xe5\xb9年2026\xe5\xb9\xb4",
	"&lt;2026年3月&gt;&amp;1,000&nbsp;元",
}

func FuzzNoBreaks(f *testing.F) {
	for _, s := range noBreaksSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := noBreaksRE([]byte(s))
		got := noBreaks([]byte(s))
		if string(got) != string(want) {
			t.Fatalf("noBreaks(%q)\n got %q\nwant %q", s, got, want)
		}
	})
}

func BenchmarkNoBreaks(b *testing.B) {
	bodies := noBreaksBodies(b)
	for _, impl := range []struct {
		name string
		fn   func([]byte) []byte
	}{{"scan", noBreaks}, {"regexp", noBreaksRE}} {
		b.Run(impl.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, h := range bodies {
					impl.fn(h)
				}
			}
		})
	}
}

// noBreaksBodies returns the demo board's bodies as rendered, and a long
// body with no digit at all, as most of a large board's are.
func noBreaksBodies(tb testing.TB) [][]byte {
	md := markdown.New(false)
	var out [][]byte
	err := fs.WalkDir(os.DirFS("../../content"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") || strings.HasPrefix(p, "_") {
			return err
		}
		text, err := fs.ReadFile(os.DirFS("../../content"), p)
		if err != nil {
			return err
		}
		_, body, _ := strings.Cut(strings.TrimPrefix(string(text), "+++\n"), "\n+++\n")
		res, err := md.Convert(body, markdown.Page{Dir: "/x/"})
		if err != nil {
			return err
		}
		out = append(out, res.HTML)
		return nil
	})
	if err != nil || len(out) == 0 {
		tb.Fatalf("reading the demo bodies: %v (%d)", err, len(out))
	}
	plain := strings.Repeat("<p>文化监督培训业主围墙、预算改造监督居民。居民社区文化业主。居民照明表决调解，照明安置物业公示监督。</p>\n", 20)
	return append(out, []byte(plain))
}

// TestNoBreaksMatchesRegexp compares the scanner with the regular
// expression on many texts made of the pieces the forms are built from,
// which random bytes seldom hit.
func TestNoBreaksMatchesRegexp(t *testing.T) {
	pieces := []string{"0", "1", "2", "9", "2026", "12", "123", "年", "月", "日", "号", "第", "万", "元",
		"〔", "〕", "［", "］", "[", "]", ",", ",000", ".", "-", " ", "居", "青石社区", "青石社区居民委员会", "〔2026〕", "［2026]第", "4号", "2026年3月", "1,234", "，", "<pre>", "</pre>",
		"<code>", "</CODE>", "<p>", "</p>", "<a href=\"2026年3月4日\">", "<", ">", "\xe5", "\xb9", "&amp;"}
	rng := rand.New(rand.NewPCG(1, 2))
	n := 200000
	if testing.Short() {
		n = 20000
	}
	for range n {
		var b strings.Builder
		for range rng.IntN(24) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := noBreaks([]byte(s)), noBreaksRE([]byte(s)); string(got) != string(want) {
			t.Fatalf("noBreaks(%q)\n got %q\nwant %q", s, got, want)
		}
	}
}
