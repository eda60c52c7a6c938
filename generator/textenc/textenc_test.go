package textenc

import (
	"strings"
	"testing"

	"gongkai/generator/diag"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestDecode(t *testing.T) {
	gb, err := simplifiedchinese.GB18030.NewEncoder().String("标题 = \"居务公开\"\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		in      string
		want    string
		warn    bool
		errText string
		line    int
	}{
		{"utf8", "公开\n", "公开\n", false, "", 0},
		{"bom", "\ufeff公开\n", "公开\n", false, "", 0},
		{"crlf", "a\r\nb\r\n", "a\nb\n", false, "", 0},
		{"lone cr", "a\rb", "a\nb", false, "", 0},
		{"gb18030", gb, "标题 = \"居务公开\"\n", true, "", 0},
		{"utf16", "\xff\xfea\x00", "", false, "UTF-16", 0},
		{"nul", "a\nb\x00c", "", false, "空字符", 2},
		{"binary", "ok\n\x81\x30\x81", "", false, "编码无法识别", 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ds := Decode("x.md", []byte(c.in))
			if c.errText != "" {
				if !ds.HasErrors() || !strings.Contains(ds[0].Msg.Zh, c.errText) {
					t.Fatalf("want error %q, got %v", c.errText, ds)
				}
				if ds[0].Pos.Line != c.line {
					t.Errorf("error at line %d, want %d", ds[0].Pos.Line, c.line)
				}
				return
			}
			if ds.HasErrors() {
				t.Fatalf("unexpected error: %v", ds)
			}
			if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
			if _, w := ds.Count(); (w > 0) != c.warn {
				t.Errorf("warnings %v, want warning %v", ds, c.warn)
			}
			if c.warn && ds[0].Severity != diag.Warning {
				t.Errorf("GB18030 should be a warning")
			}
		})
	}
}

func TestLineCol(t *testing.T) {
	text := "第一行\n第二行abc"
	off := strings.Index(text, "abc")
	if l, c := LineCol(text, off); l != 2 || c != 4 {
		t.Errorf("LineCol = %d:%d, want 2:4", l, c)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte("公开\r\n"))
	f.Add([]byte("\xff\xfe"))
	f.Add([]byte{0x81, 0x30, 0x81, 0x30})
	f.Fuzz(func(t *testing.T, b []byte) {
		text, ds := Decode("f.md", b)
		if ds.HasErrors() {
			return
		}
		if strings.ContainsRune(text, '\r') {
			t.Errorf("CR left in %q", text)
		}
	})
}
