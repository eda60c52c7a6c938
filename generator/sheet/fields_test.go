package sheet_test

import (
	"io/fs"
	"reflect"
	"regexp"
	"testing"

	"gongkai/generator/render"
	"gongkai/themes"
)

// TestDefaultThemeReadsOwnFields: every field the record page, the sheet
// and a list item read on a record's view is a field of the view itself,
// not one promoted from the record it embeds, which html/template would
// search for on every page.
func TestDefaultThemeReadsOwnFields(t *testing.T) {
	typ := reflect.TypeFor[render.RecordView]()
	for file, re := range map[string]*regexp.Regexp{
		// The record page reads the view as .Main, mostly inside {{with .Main}}.
		"templates/record.html": regexp.MustCompile(`\.([A-Z][A-Za-z]*)`),
		// The sheet and a list item have it as .Record.
		"templates/sheet.html":         regexp.MustCompile(`\.Record\.([A-Z][A-Za-z]*)`),
		"templates/partials/item.html": regexp.MustCompile(`\.Record\.([A-Z][A-Za-z]*)`),
	} {
		b, err := fs.ReadFile(themes.Default(), file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if f, ok := typ.FieldByName(m[1]); ok && len(f.Index) > 1 {
				t.Errorf("%s reads .%s, promoted into %s from %v: add it to %s itself", file, m[1], typ.Name(), f.Index, typ.Name())
			}
		}
	}
}
