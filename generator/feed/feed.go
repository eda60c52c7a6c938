// Package feed writes the board's feeds and crawler files: Atom feeds of
// the latest records (/feed.xml and /<section>/feed.xml), sitemap.xml and
// robots.txt, each through the theme's text template of that name. Every URL in them is absolute, built from base_url; personal
// records and records past unpublish_after are never in them; the output
// depends only on the records, never on the clock.
package feed

import (
	"net/url"
	"strings"

	"gongkai/generator/render"
)

// Feed is one Atom feed: the data of the theme's template feed.xml.
type Feed struct {
	Site    *render.SiteView
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

// URL is one page of the sitemap.
type URL struct {
	Loc     string // absolute
	LastMod string // "2006-01-02", optional
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

// SitemapData is the data of the theme's template sitemap.xml.
type SitemapData struct {
	Site *render.SiteView
	URLs []URL
}

// RobotsData is the data of the theme's template robots.txt.
type RobotsData struct {
	Site    *render.SiteView
	Sitemap string // absolute URL of sitemap.xml
}
