package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"

	"gongkai/generator/markdown"
)

// Kit is what a theme and the site's Markdown setting make once and every
// render of the site shares: the parsed templates, the minifier, the
// Markdown converter and the theme's assets, minified and named by their
// content hash. It is immutable and safe for concurrent use; the preview
// server keeps one for as long as site.toml and the theme stay the same.
type Kit struct {
	unsafe bool
	theme  fs.FS
	tmpls  *Templates
	md     *markdown.Converter
	min    *minify.M
	assets map[string]string // logical name → hashed path
	files  map[string][]byte // hashed path → bytes
}

// NewKit parses the theme's templates and prepares its assets; unsafeHTML
// is site.toml's unsafe_html.
func NewKit(theme fs.FS, unsafeHTML bool) (*Kit, error) {
	k := &Kit{unsafe: unsafeHTML, theme: theme, md: markdown.New(unsafeHTML), min: minify.New()}
	k.min.AddFunc("text/html", html.Minify)
	k.min.AddFunc("text/css", css.Minify)
	k.min.AddFunc("application/javascript", js.Minify)
	// No SVG minifier: the only SVG is the QR code, already written as one
	// run-length path. HTML is minified where it is made, not page by page:
	// the templates once when they are parsed (template actions kept
	// whole), and each Markdown body once when it is converted.
	k.min.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true, KeepDefaultAttrVals: true})
	k.min.Add(templateType, &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true, KeepDefaultAttrVals: true, TemplateDelims: html.GoTemplateDelims})
	if err := k.loadAssets(theme); err != nil {
		return nil, err
	}
	ts, err := ParseTemplates(theme, func(b []byte) []byte {
		if m, err := k.min.Bytes(templateType, b); err == nil {
			return dropActionBreaks(m)
		}
		return b
	})
	if err != nil {
		return nil, templateProblem(theme, err)
	}
	k.tmpls = ts
	return k, nil
}

// UnsafeHTML reports whether the kit's Markdown keeps raw HTML.
func (k *Kit) UnsafeHTML() bool { return k.unsafe }

// AssetFiles returns the hashed paths of the theme's assets, sorted.
func (k *Kit) AssetFiles() []string {
	out := make([]string, 0, len(k.files))
	for p := range k.files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Minify minifies b as mediaType ("application/javascript", "text/css",
// "text/html"), or returns it as it is when the minifier refuses it.
func (k *Kit) Minify(mediaType string, b []byte) []byte {
	if m, err := k.min.Bytes(mediaType, b); err == nil {
		return m
	}
	return b
}

var hashedRE = regexp.MustCompile(`^(.*)\.([a-z]+)$`)

// loadAssets minifies the theme's CSS and JS and names them by content
// hash.
func (k *Kit) loadAssets(theme fs.FS) error {
	k.assets, k.files = map[string]string{}, map[string][]byte{}
	entries, err := fs.ReadDir(theme, "assets")
	if err != nil {
		return fmt.Errorf("render: theme assets: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		b, err := fs.ReadFile(theme, "assets/"+name)
		if err != nil {
			return fmt.Errorf("render: %w", err)
		}
		switch path.Ext(name) {
		case ".css":
			b = k.Minify("text/css", b)
		case ".js":
			b = k.Minify("application/javascript", b)
		case ".svg":
			b = k.Minify("image/svg+xml", b)
		}
		sum := sha256.Sum256(b)
		out := "assets/" + name
		if m := hashedRE.FindStringSubmatch(name); m != nil {
			out = "assets/" + m[1] + "." + hex.EncodeToString(sum[:4]) + "." + m[2]
		}
		k.assets[name] = out
		k.files[out] = b
	}
	return nil
}

// templateType is the media type under which the minifier knows HTML
// templates.
const templateType = "text/x-go-template+html"

// actionBreaks matches a line break, with the blanks around it, before
// or after a template action; verbatim matches the elements whose text
// keeps its line breaks.
var (
	actionBreaks = regexp.MustCompile(`(}})[ \t]*\n\s*|\s*\n[ \t]*({{)`)
	verbatim     = regexp.MustCompile(`(?is)<pre\b.*?</pre>|<textarea\b.*?</textarea>|<script\b.*?</script>|<style\b.*?</style>`)
)

// dropActionBreaks removes the line breaks beside template actions that
// the minifier keeps (an action may stand in running text, where one
// blank matters, but a line break there is only the template's layout),
// except inside pre, textarea, script and style.
func dropActionBreaks(b []byte) []byte {
	var out []byte
	last := 0
	for _, m := range verbatim.FindAllIndex(b, -1) {
		out = append(out, actionBreaks.ReplaceAll(b[last:m[0]], []byte("$1$2"))...)
		out = append(out, b[m[0]:m[1]]...)
		last = m[1]
	}
	return append(out, actionBreaks.ReplaceAll(b[last:], []byte("$1$2"))...)
}
