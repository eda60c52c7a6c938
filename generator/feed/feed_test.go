package feed_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/feed"
	"gongkai/generator/internal/testboard"
	"gongkai/generator/internal/testsite"
	"gongkai/generator/record"
)

// hidden returns the markers of records that must not be listed: ids,
// titles and numbers of personal and expired records.
func hidden(board *record.Board) []string {
	var out []string
	for _, r := range board.Records {
		if r.Personal || r.ID == testsite.ExpiredID {
			out = append(out, r.ID, r.Title)
			if r.Number != "" {
				out = append(out, r.Number)
			}
		}
	}
	return out
}

type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Summary string `xml:"summary"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

func TestFeeds(t *testing.T) {
	out, board := testsite.Build(t)
	base := board.Site.BaseURL
	bad := hidden(board)
	for _, name := range []string{"feed.xml", "conventions/feed.xml", "disclosures/feed.xml", "decisions/feed.xml", "minutes/feed.xml"} {
		t.Run(name, func(t *testing.T) {
			b, ok := out.Get(name)
			if !ok {
				t.Fatalf("%s not written", name)
			}
			var f atomFeed
			if err := xml.Unmarshal(b, &f); err != nil {
				t.Fatalf("%s does not parse: %v", name, err)
			}
			if f.ID == "" || f.Title == "" || f.Updated == "" {
				t.Errorf("feed id/title/updated missing: %q %q %q", f.ID, f.Title, f.Updated)
			}
			self := false
			for _, l := range f.Links {
				self = self || (l.Rel == "self" && l.Href == base+name)
			}
			if !self {
				t.Errorf("no link rel=self to %s", base+name)
			}
			if len(f.Entries) == 0 || len(f.Entries) > feed.Latest {
				t.Fatalf("%d entries", len(f.Entries))
			}
			newest := ""
			for _, e := range f.Entries {
				if e.ID == "" || e.Title == "" || e.Updated == "" || e.Summary == "" {
					t.Errorf("entry %q lacks id, title, updated or summary", e.Title)
				}
				if _, err := time.Parse(time.RFC3339, e.Updated); err != nil || !strings.HasSuffix(e.Updated, "+08:00") {
					t.Errorf("entry %q: updated %q is not RFC 3339 in the site's zone", e.Title, e.Updated)
				}
				if !strings.HasPrefix(e.Link.Href, base) {
					t.Errorf("entry %q: link %q is not absolute", e.Title, e.Link.Href)
				}
				newest = max(newest, e.Updated)
			}
			if f.Updated != newest {
				t.Errorf("feed updated %q, newest entry %q", f.Updated, newest)
			}
			for _, s := range bad {
				if bytes.Contains(b, []byte(s)) {
					t.Errorf("%s names the unlisted record %q", name, s)
				}
			}
		})
	}
}

func TestSitemap(t *testing.T) {
	out, board := testsite.Build(t)
	b, _ := out.Get("sitemap.xml")
	var m struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(b, &m); err != nil {
		t.Fatalf("sitemap.xml does not parse: %v", err)
	}
	locs := map[string]bool{}
	for _, u := range m.URLs {
		if !strings.HasPrefix(u.Loc, board.Site.BaseURL) {
			t.Errorf("loc %q is not absolute under base_url", u.Loc)
		}
		if locs[u.Loc] {
			t.Errorf("loc %q twice", u.Loc)
		}
		locs[u.Loc] = true
	}
	for _, want := range []string{"", "decisions/", "decisions/2026-03-guiyuan-gaizao/", "search/", "data/"} {
		if !locs[board.Site.BaseURL+want] {
			t.Errorf("sitemap lacks %s", want)
		}
	}
	for _, s := range hidden(board) {
		if bytes.Contains(b, []byte(s)) {
			t.Errorf("sitemap names the unlisted record %q", s)
		}
	}
	robots, _ := out.Get("robots.txt")
	if !strings.Contains(string(robots), "Sitemap: "+board.Site.BaseURL+"sitemap.xml") {
		t.Errorf("robots.txt does not name the sitemap:\n%s", robots)
	}
}

func TestDeterministic(t *testing.T) {
	a, _ := testsite.Build(t)
	b, _ := testsite.Build(t)
	for _, name := range []string{"feed.xml", "minutes/feed.xml", "sitemap.xml"} {
		x, _ := a.Get(name)
		y, _ := b.Get(name)
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

// TestFeedEscapes: the feed and the sitemap come from text templates,
// which escape nothing by themselves; every value is escaped for XML all
// the same, so a title with & < " makes valid XML that reads back as
// written.
func TestFeedEscapes(t *testing.T) {
	src := testboard.Demo(t, nil)
	site := string(src["site.toml"].Data)
	const title = `A & B <c> "引号" 'x' ]]>`
	site = regexp.MustCompile(`(?m)^title\s*=.*$`).ReplaceAllString(site, "title = "+strconv.Quote(title))
	src["site.toml"] = &fstest.MapFile{Data: []byte(site)}
	out, _, ds, err := build.ToMemory(build.Options{Src: src, Today: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)})
	if err != nil || out == nil {
		t.Fatal(err, ds)
	}
	b, _ := out.Get("feed.xml")
	var got atomFeed
	if err := xml.Unmarshal(b, &got); err != nil {
		t.Fatalf("feed.xml is not XML: %v\n%s", err, b)
	}
	if got.Title != title {
		t.Errorf("feed title = %q, want %q", got.Title, title)
	}
	b, _ = out.Get("decisions/feed.xml")
	if err := xml.Unmarshal(b, &got); err != nil || got.Title != title+" · 三重一大" {
		t.Errorf("decisions/feed.xml: %v, title %q", err, got.Title)
	}
	b, _ = out.Get("sitemap.xml")
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := d.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Errorf("sitemap.xml is not XML: %v", err)
			}
			break
		}
	}
}

func ExampleAbs() {
	fmt.Println(feed.Abs("https://example.org/qingshi/", "decisions/2026-02/"))
	fmt.Println(feed.Abs("https://example.org/", "pages/关于/"))
	// Output:
	// https://example.org/qingshi/decisions/2026-02/
	// https://example.org/pages/%E5%85%B3%E4%BA%8E/
}

func ExampleTagID() {
	fmt.Println(feed.TagID("https://example.org/qingshi/", "2026-03-18", "decisions/2026-02", 2))
	// Output: tag:example.org,2026-03-18:qingshi/decisions/2026-02/v2
}
