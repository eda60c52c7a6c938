package markdown

import (
	"path"
	"regexp"
	"strings"

	"gongkai/generator/link"
)

var urlAttr = regexp.MustCompile(`\s(?:href|src)="([^"]*)"`)

// Rebase returns converted HTML that was made for the page at from as it
// reads on the page at to (both site-relative folders): every relative
// link and image source is made relative to the new page. A record's
// print sheet shows the body of its record page this way, converted once.
func Rebase(html []byte, from, to string) []byte {
	if from == to {
		return html
	}
	return urlAttr.ReplaceAllFunc(html, func(m []byte) []byte {
		s := string(m)
		i := strings.IndexByte(s, '"')
		u := s[i+1 : len(s)-1]
		return []byte(s[:i+1] + rebaseURL(u, from, to) + `"`)
	})
}

func rebaseURL(u, from, to string) string {
	if u == "" || strings.HasPrefix(u, "/") || strings.HasPrefix(u, "#") {
		return u
	}
	p, rest := u, ""
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		p, rest = u[:i], u[i:]
	}
	if strings.Contains(p, ":") { // a scheme: mailto:, https:, tel:
		return u
	}
	target := path.Join(from, p)
	if target == ".." || strings.HasPrefix(target, "../") {
		return u // above the site: leave it as written
	}
	if target == "." {
		target = ""
	} else if strings.HasSuffix(p, "/") || p == "." || p == ".." || strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..") {
		target += "/"
	}
	return link.Rel(to, target, false) + rest
}
