package markdown

import (
	"bytes"
	"path"
	"strings"

	"gongkai/generator/link"
)

// Rebase returns converted HTML that was made for the page at from as it
// reads on the page at to (both site-relative folders): every relative
// link and image source is made relative to the new page. A record's
// print sheet shows the body of its record page this way, converted once.
func Rebase(html []byte, from, to string) []byte {
	if from == to {
		return html
	}
	var out []byte
	last := 0
	for i := 0; i < len(html); {
		j := nextURLAttr(html, i)
		if j < 0 {
			break
		}
		end := bytes.IndexByte(html[j:], '"')
		if end < 0 {
			break
		}
		end += j
		u := string(html[j:end])
		if r := rebaseURL(u, from, to); r != u {
			if out == nil {
				out = make([]byte, 0, len(html)+len(html)/8)
			}
			out = append(out, html[last:j]...)
			out = append(out, r...)
			last = end
		}
		i = end + 1
	}
	if out == nil {
		return html
	}
	return append(out, html[last:]...)
}

// nextURLAttr returns where the value of the next href="…" or src="…"
// attribute at or after i starts, or -1.
func nextURLAttr(html []byte, i int) int {
	for {
		k := bytes.IndexByte(html[i:], '=')
		if k < 0 {
			return -1
		}
		k += i
		if k+1 < len(html) && html[k+1] == '"' {
			switch {
			case k >= 5 && isSpace(html[k-5]) && string(html[k-4:k]) == "href":
				return k + 2
			case k >= 4 && isSpace(html[k-4]) && string(html[k-3:k]) == "src":
				return k + 2
			}
		}
		i = k + 1
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

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
