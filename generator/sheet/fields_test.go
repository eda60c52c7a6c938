package sheet_test

import (
	"io/fs"
	"reflect"
	"regexp"
	"testing"

	"gongkai/generator/build"
	"gongkai/generator/internal/testboard"
	"gongkai/generator/render"
	"gongkai/generator/sheet"
	"gongkai/themes"
)

// TestDefaultThemeReadsOwnFields: every field the record and sheet
// templates read on their view is a field of the view itself, not one
// promoted from an embedded struct, which html/template would search for
// on every page.
func TestDefaultThemeReadsOwnFields(t *testing.T) {
	for file, typ := range map[string]reflect.Type{
		"templates/record.html": reflect.TypeFor[render.RecordView](),
		"templates/sheet.html":  reflect.TypeFor[sheet.Sheet](),
	} {
		b, err := fs.ReadFile(themes.Default(), file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(`\.([A-Z][A-Za-z]*)`).FindAllStringSubmatch(string(b), -1) {
			if f, ok := typ.FieldByName(m[1]); ok && len(f.Index) > 1 {
				t.Errorf("%s reads .%s, promoted into %s from %v: add it to %s itself", file, m[1], typ.Name(), f.Index, typ.Name())
			}
		}
	}
}

// TestCopiedFieldsMatch: the fields a view and a sheet repeat from what
// they embed hold the same values, for every record of the demo board.
func TestCopiedFieldsMatch(t *testing.T) {
	res, ds, err := build.To(build.Options{Src: testboard.Demo(t, nil), Today: day}, build.NewMemOutput())
	if err != nil || res == nil {
		t.Fatalf("demo board: %v %v", err, ds)
	}
	r := res.Render
	for _, v := range r.Public() {
		rec := v.Record
		if v.Title != rec.Title || v.Number != rec.Number || v.Issuer != rec.Issuer || !v.Date.Equal(rec.Date) || v.DateISO != rec.Date.Format("2006-01-02") {
			t.Errorf("%s: view repeats %q %q %q %v %s, record has %q %q %q %v", v.ID, v.Title, v.Number, v.Issuer, v.Date, v.DateISO, rec.Title, rec.Number, rec.Issuer, rec.Date)
		}
	}
	docs, err := sheet.Docs(r)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range docs {
		for _, s := range d.Sheets {
			n++
			v := s.RecordView
			if s.Title != v.Title || s.Number != v.Number || s.Withdrawn != v.Withdrawn || s.Min != v.Min || s.Dec != v.Dec || s.Finance != v.Finance || !reflect.DeepEqual(s.Tables, v.Tables) {
				t.Errorf("%s: the sheet's copies differ from its view", v.ID)
			}
		}
	}
	if n == 0 {
		t.Fatal("the demo board gave no sheets")
	}
}
