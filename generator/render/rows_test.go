package render

import (
	"html/template"
	"strings"
	"testing"
)

var escapeTmpl = template.Must(template.New("").Parse(`<p>{{.Text}}</p><a href="{{.URL}}">`))

// FuzzEscapeMatchesTemplate checks that the rows written in Go escape text
// and links exactly as html/template does in the same places.
func FuzzEscapeMatchesTemplate(f *testing.F) {
	for _, s := range []string{"", "a<b>&c", `"引号" 'x' + y`, "\x00", "收入 100.00 元", "%zz%e5%85", "a b?c=d&e#f", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// A link made by link.Rel is relative: it has no scheme.
		u := "../" + s
		var want strings.Builder
		if err := escapeTmpl.Execute(&want, map[string]string{"Text": s, "URL": u}); err != nil {
			t.Skip(err)
		}
		var got strings.Builder
		got.WriteString("<p>")
		escape(&got, s)
		got.WriteString(`</p><a href="`)
		escapeURL(&got, u)
		got.WriteString(`">`)
		if got.String() != want.String() {
			t.Fatalf("for %q:\n got %q\nwant %q", s, got.String(), want.String())
		}
	})
}

func TestDropActionBreaks(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<p>{{.A}}\n{{.B}}</p>", "<p>{{.A}}{{.B}}</p>"},
		{"{{end}}\n  <li>", "{{end}}<li>"},
		{"<li>\n{{.X}}", "<li>{{.X}}"},
		{"<p>{{.A}} {{.B}}</p>", "<p>{{.A}} {{.B}}</p>"},
		{"<pre>{{.A}}\n{{.B}}</pre>\n{{.C}}", "<pre>{{.A}}\n{{.B}}</pre>{{.C}}"},
		{"<script>var a = {{.A}}\nvar b = 1</script>", "<script>var a = {{.A}}\nvar b = 1</script>"},
		{"<TEXTAREA>{{.A}}\n</TEXTAREA>", "<TEXTAREA>{{.A}}\n</TEXTAREA>"},
	}
	for _, tt := range tests {
		if got := string(dropActionBreaks([]byte(tt.in))); got != tt.want {
			t.Errorf("dropActionBreaks(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
