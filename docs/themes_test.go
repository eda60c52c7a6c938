package docs_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"gongkai/generator/feed"
	"gongkai/generator/render"
	"gongkai/generator/sheet"
)

// TestThemeContract: docs/themes.md names every field and method that
// gongkai hands to the templates, under the heading of its type, so that
// a field added to a view is a field documented.
func TestThemeContract(t *testing.T) {
	b, err := os.ReadFile("themes.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	section := func(name string) string {
		i := strings.Index(doc, "\n### "+name+"\n")
		if i < 0 {
			t.Fatalf("themes.md has no section %s", name)
		}
		s := doc[i+1:]
		if j := strings.Index(s[4:], "\n### "); j >= 0 {
			s = s[:j+4]
		}
		return s
	}
	for heading, types := range map[string][]reflect.Type{
		"Page":         {reflect.TypeFor[*render.Page]()},
		"SiteView":     {reflect.TypeFor[render.SiteView]()},
		"RecordView":   {reflect.TypeFor[*render.RecordView]()},
		"VersionInfo":  {reflect.TypeFor[render.VersionInfo]()},
		"DecisionView": {reflect.TypeFor[render.DecisionView](), reflect.TypeFor[render.StepView](), reflect.TypeFor[render.VoteView]()},
		"MinutesView":  {reflect.TypeFor[render.MinutesView](), reflect.TypeFor[render.ResolutionView]()},
		"FinanceView":  {reflect.TypeFor[render.FinanceView](), reflect.TypeFor[render.LineView]()},
		"LinesCtx":     {reflect.TypeFor[render.LinesCtx]()},
		"ListView":     {reflect.TypeFor[render.ListView](), reflect.TypeFor[render.Group]()},
		"HomeView":     {reflect.TypeFor[render.HomeView](), reflect.TypeFor[render.CalendarRow](), reflect.TypeFor[render.CalendarCell]()},
		"Item":         {reflect.TypeFor[render.Item]()},
		"Doc":          {reflect.TypeFor[sheet.Doc]()},
		"Sheet":        {reflect.TypeFor[*sheet.Sheet]()},
		"Feed":         {reflect.TypeFor[feed.Feed](), reflect.TypeFor[feed.Entry]()},
		"SitemapData":  {reflect.TypeFor[feed.SitemapData](), reflect.TypeFor[feed.URL]()},
		"RobotsData":   {reflect.TypeFor[feed.RobotsData]()},
	} {
		text := section(heading)
		for _, typ := range types {
			var names []string
			st := typ
			if st.Kind() == reflect.Pointer {
				st = st.Elem()
			}
			for i := 0; i < st.NumField(); i++ {
				if f := st.Field(i); f.IsExported() {
					names = append(names, f.Name)
				}
			}
			for i := 0; i < typ.NumMethod(); i++ {
				if m := typ.Method(i); m.IsExported() && !promoted(typ, m.Name) {
					names = append(names, m.Name)
				}
			}
			for _, n := range names {
				if !strings.Contains(text, "`."+n) && !strings.Contains(text, "`."+n+"`") {
					t.Errorf("themes.md, %s: %s.%s is not documented", heading, typ, n)
				}
			}
		}
	}
}

// promoted reports whether the method name of typ comes from an embedded
// field (the record's methods, on a RecordView).
func promoted(typ reflect.Type, name string) bool {
	st := typ
	if st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	for i := 0; i < st.NumField(); i++ {
		f := st.Field(i)
		if !f.Anonymous {
			continue
		}
		if _, ok := f.Type.MethodByName(name); ok {
			return true
		}
	}
	return false
}
