// Package feed writes the board's feeds and crawler files: Atom feeds of
// the latest records (/feed.xml and /<section>/feed.xml), sitemap.xml and
// robots.txt. Every URL in them is absolute, built from base_url; personal
// records and records past unpublish_after are never in them; the output
// depends only on the records, never on the clock.
package feed

import (
	"bytes"
	"encoding/xml"
	"net/url"
	"strings"
)

// Feed is one Atom feed.
type Feed struct {
	ID      string // stable id of the feed: its absolute URL
	Title   string
	Self    string // absolute URL of the feed file
	Home    string // absolute URL of the page the feed follows
	Author  string
	Updated string // RFC 3339: the newest entry's date
	Entries []Entry
}

// Entry is one record in a feed.
type Entry struct {
	ID       string // stable: tag: URI naming the record and its version
	Title    string
	Link     string // absolute URL of the record's page
	Updated  string // RFC 3339 in the site's time zone
	Summary  string
	Category string
}

// Atom encodes f as an Atom 1.0 document.
func Atom(f Feed) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">` + "\n")
	elem(&b, "id", f.ID)
	elem(&b, "title", f.Title)
	elem(&b, "updated", f.Updated)
	link(&b, "self", f.Self, "application/atom+xml")
	if f.Home != "" {
		link(&b, "alternate", f.Home, "text/html")
	}
	if f.Author != "" {
		b.WriteString("<author>")
		elem(&b, "name", f.Author)
		b.WriteString("</author>\n")
	}
	for _, e := range f.Entries {
		b.WriteString("<entry>\n")
		elem(&b, "id", e.ID)
		elem(&b, "title", e.Title)
		elem(&b, "updated", e.Updated)
		link(&b, "alternate", e.Link, "text/html")
		if e.Category != "" {
			b.WriteString(`<category term="`)
			escape(&b, e.Category)
			b.WriteString(`"/>` + "\n")
		}
		if e.Summary != "" {
			elem(&b, "summary", e.Summary)
		}
		b.WriteString("</entry>\n")
	}
	b.WriteString("</feed>\n")
	return b.Bytes()
}

func elem(b *bytes.Buffer, name, text string) {
	b.WriteString("<" + name + ">")
	escape(b, text)
	b.WriteString("</" + name + ">\n")
}

func link(b *bytes.Buffer, rel, href, typ string) {
	b.WriteString(`<link rel="` + rel + `" type="` + typ + `" href="`)
	escape(b, href)
	b.WriteString(`"/>` + "\n")
}

func escape(b *bytes.Buffer, s string) {
	_ = xml.EscapeText(b, []byte(s)) // a bytes.Buffer never fails
}

// URL is one page of the sitemap.
type URL struct {
	Loc     string // absolute
	LastMod string // "2006-01-02", optional
}

// Sitemap encodes the pages as a sitemaps.org urlset.
func Sitemap(urls []URL) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, u := range urls {
		b.WriteString("<url><loc>")
		escape(&b, u.Loc)
		b.WriteString("</loc>")
		if u.LastMod != "" {
			b.WriteString("<lastmod>" + u.LastMod + "</lastmod>")
		}
		b.WriteString("</url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// Robots returns robots.txt naming the sitemap.
func Robots(sitemap string) []byte {
	return []byte("User-agent: *\nAllow: /\n\nSitemap: " + sitemap + "\n")
}

// Abs joins base (ending in "/") and a site-relative path, escaping each
// path segment, so Chinese slugs become valid URLs.
func Abs(base, p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return base + strings.Join(segs, "/")
}

// TagID returns a tag: URI (RFC 4151) for a record version: the host of
// base, the record's date, its id and version number, e.g.
// "tag:example.org,2026-03-18:decisions/2026-02/v1". Without a host it
// falls back to the absolute URL of the version.
func TagID(base, date, id string, version int) string {
	u, err := url.Parse(base)
	v := "v" + itoa(version)
	if err != nil || u.Host == "" {
		return Abs(base, id+"/"+v+"/")
	}
	host := u.Hostname()
	if p := strings.Trim(u.Path, "/"); p != "" {
		id = p + "/" + id
	}
	return "tag:" + host + "," + date + ":" + Abs("", id) + "/" + v
}

func itoa(n int) string {
	if n < 0 {
		n = 0
	}
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(b[i:])
}
