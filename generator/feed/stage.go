package feed

import (
	"fmt"
	"time"

	"gongkai/generator/record"
	"gongkai/generator/render"
)

// Latest is the number of entries of each feed.
const Latest = 50

// Stage is the stage of the feeds, the sitemap and robots.txt.
func Stage() render.Stage { return render.Stage{Name: "feed", Board: Write} }

// Write writes /feed.xml, /<section>/feed.xml, sitemap.xml and
// robots.txt for the rendered board.
func Write(r render.Site) error {
	base := r.Site().BaseURL
	var listed []*render.RecordView
	for _, v := range r.Public() {
		if render.Listed(v) && v.Section != "pages" {
			listed = append(listed, v)
		}
	}
	if err := write(r, "feed.xml", "feed.xml", build(r, "", r.Site().Title, listed)); err != nil {
		return err
	}
	for _, sec := range record.Sections {
		if sec == "pages" {
			continue
		}
		var vs []*render.RecordView
		for _, v := range listed {
			if v.Section == sec {
				vs = append(vs, v)
			}
		}
		title := r.Site().Title + " · " + record.SectionName(sec)
		if err := write(r, sec+"/feed.xml", "feed.xml", build(r, sec+"/", title, vs)); err != nil {
			return err
		}
	}
	if err := write(r, "sitemap.xml", "sitemap.xml", SitemapData{Site: r.Site(), URLs: sitemap(r)}); err != nil {
		return err
	}
	return write(r, "robots.txt", "robots.txt", RobotsData{Site: r.Site(), Sitemap: base + "sitemap.xml"})
}

// write writes the file name from the theme's text template tmpl.
func write(r render.Site, name, tmpl string, data any) error {
	b, err := r.Text(tmpl, data)
	if err != nil {
		return fmt.Errorf("feed: %s: %w", name, err)
	}
	return r.Write(name, b)
}

// build makes the feed of the page dir ("" for the whole board) from vs,
// newest first.
func build(r render.Site, dir, title string, vs []*render.RecordView) Feed {
	base := r.Site().BaseURL
	loc := r.Board().Site.Zone()
	f := Feed{Site: r.Site(), ID: Abs(base, dir+"feed.xml"), Title: title, Self: Abs(base, dir+"feed.xml"),
		Home: Abs(base, dir), Author: r.Site().Issuer}
	if len(vs) > Latest {
		vs = vs[:Latest]
	}
	for _, v := range vs {
		f.Entries = append(f.Entries, Entry{
			ID:       TagID(base, v.Date.In(loc).Format("2006-01-02"), v.ID, v.Version.N),
			Title:    v.Title,
			Link:     Abs(base, v.Path),
			Updated:  v.Date.In(loc).Format(time.RFC3339),
			Summary:  v.Summary,
			Category: v.Category,
		})
	}
	// The newest entry dates the feed; an empty feed takes the build date,
	// which --date fixes.
	newest := r.Today()
	for i, v := range vs {
		if i == 0 || v.Date.After(newest) {
			newest = v.Date
		}
	}
	f.Updated = newest.In(loc).Format(time.RFC3339)
	return f
}

// sitemap lists the home page, the section lists with their year and
// category pages, the search and data pages, and every listed record.
func sitemap(r render.Site) []URL {
	base := r.Site().BaseURL
	urls := []URL{{Loc: base}}
	for _, n := range r.Site().Nav {
		urls = append(urls, URL{Loc: Abs(base, n.Path)})
		// Its year and category pages. Not read from the files written so
		// far: the other stages write theirs at the same time.
		for _, dir := range r.ListPages(n.Section) {
			urls = append(urls, URL{Loc: Abs(base, dir)})
		}
	}
	urls = append(urls, URL{Loc: base + "search/"}, URL{Loc: base + "data/"})
	for _, v := range r.Public() {
		if !render.Listed(v) {
			continue
		}
		urls = append(urls, URL{Loc: Abs(base, v.Path), LastMod: v.Date.Format("2006-01-02")})
	}
	return urls
}
