package render

import (
	"bytes"
	"encoding/xml"
)

// Discovery writes robots.txt and sitemap.xml (absolute URLs from
// base_url; personal records are left out).
func Discovery(r *Renderer) error {
	base := r.Site.BaseURL
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	loc := func(p, mod string) {
		b.WriteString("<url><loc>")
		xml.EscapeText(&b, []byte(base+p))
		b.WriteString("</loc>")
		if mod != "" {
			b.WriteString("<lastmod>" + mod + "</lastmod>")
		}
		b.WriteString("</url>\n")
	}
	loc("", "")
	for _, n := range r.Site.Nav {
		loc(n.Path, "")
	}
	for _, v := range r.Public {
		if v.Personal {
			continue
		}
		loc(v.Path, v.Date.Format("2006-01-02"))
	}
	b.WriteString("</urlset>\n")
	if err := r.Write("sitemap.xml", b.Bytes()); err != nil {
		return err
	}
	robots := "User-agent: *\nAllow: /\n\nSitemap: " + base + "sitemap.xml\n"
	return r.Write("robots.txt", []byte(robots))
}
