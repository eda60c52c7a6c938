package sheet

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"gongkai/generator/diag"
)

// Unknown is an id given to print that has no sheet, with the closest id
// that has one ("" when none is close).
type Unknown struct {
	ID, Suggest string
}

// CheckIDs returns the ids that name no sheet: neither "board" nor one of
// all.
func CheckIDs(ids, all []string) []Unknown {
	known := map[string]bool{"board": true}
	for _, id := range all {
		known[id] = true
	}
	var out []Unknown
	for _, id := range ids {
		if !known[id] {
			out = append(out, Unknown{ID: id, Suggest: diag.Suggest(id, append(all, "board"))})
		}
	}
	return out
}

// File returns the sheet page of id ("board" or a record id) in a site
// built into the folder site.
func File(site, id string) string {
	return filepath.Join(site, "print", filepath.FromSlash(id), "index.html")
}

// PrintPDFs prints the sheets of ids from the site built into the folder
// site to PDF files under out (<id>.pdf), four at a time, with the browser
// at exe. done, when set, is called after each file with the number made
// so far. It returns the files in the order of ids. The ids must be
// those CheckIDs accepts.
func PrintPDFs(ctx context.Context, exe, site, out string, ids []string, done func(n int)) ([]string, error) {
	p, err := NewPrinter(ctx, exe)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	var made atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	files := make([]string, len(ids))
	for i, id := range ids {
		if !fs.ValidPath(id) || id == "." {
			return nil, fmt.Errorf("sheet: %q is not a record id", id)
		}
		g.Go(func() error {
			u, err := FileURL(File(site, id))
			if err != nil {
				return err
			}
			b, err := p.PDF(gctx, u)
			if err != nil {
				return err
			}
			name := filepath.Join(out, filepath.FromSlash(id)+".pdf")
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(name, b, 0o644); err != nil {
				return err
			}
			files[i] = name
			if n := made.Add(1); done != nil {
				done(int(n))
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return files, nil
}
