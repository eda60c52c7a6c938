package deploy

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"
)

// ManifestName is the file a deploy keeps at the root of its target: every
// file it put there, with its size and SHA-256. The next deploy compares
// with it to send only what changed, deletes only files it lists, and
// `gongkai verify --site` reads it on the live site to find files that the
// ledger does not account for.
const ManifestName = "deploy.json"

// Manifest is the content of deploy.json.
type Manifest struct {
	Generator string           `json:"generator"`
	Files     map[string]Entry `json:"files"`
}

// Entry is one file of a Manifest.
type Entry struct {
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

func newManifest() *Manifest { return &Manifest{Generator: "gongkai", Files: map[string]Entry{}} }

func (m *Manifest) clone() *Manifest {
	c := newManifest()
	for k, v := range m.Files {
		c.Files[k] = v
	}
	return c
}

func (m *Manifest) encode() []byte {
	b, _ := json.MarshalIndent(m, "", " ") // a map of strings cannot fail
	return append(b, '\n')
}

// ParseManifest reads deploy.json. A manifest whose file names are not
// plain relative paths is refused whole: a deploy never writes one, and
// following it could reach outside the target.
func ParseManifest(b []byte) (*Manifest, error) {
	m := newManifest()
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(m); err != nil {
		return nil, fmt.Errorf("%s: %w", ManifestName, err)
	}
	if m.Files == nil {
		m.Files = map[string]Entry{}
	}
	for name, e := range m.Files {
		if !fs.ValidPath(name) || name == "." || name == ManifestName || e.Size < 0 || len(e.SHA256) != 64 {
			return nil, fmt.Errorf("%s: bad entry %q", ManifestName, name)
		}
	}
	return m, nil
}

// Listed returns the names a published site says it holds beyond what can
// be opened by name: the files of its deploy.json, and the pages of its
// sitemap.xml (whose addresses start with base, the site's base_url). A
// web site cannot be listed, so these are how `verify --site` finds files
// that were added to it. from says which of the two were there.
func Listed(site fs.FS, base string) (names []string, from []string, err error) {
	seen := map[string]bool{}
	if b, err := fs.ReadFile(site, ManifestName); err == nil {
		m, err := ParseManifest(b)
		if err != nil {
			return nil, nil, err
		}
		for name := range m.Files {
			seen[name] = true
		}
		from = append(from, ManifestName)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, err
	}
	if b, err := fs.ReadFile(site, "sitemap.xml"); err == nil {
		for _, name := range sitemapNames(b, base) {
			seen[name] = true
		}
		from = append(from, "sitemap.xml")
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, err
	}
	for name := range seen {
		names = append(names, name)
	}
	sort.Strings(names)
	return names, from, nil
}

// sitemapNames turns the addresses of a sitemap into file names: those
// under base only, a folder address into its index.html.
func sitemapNames(b []byte, base string) []string {
	var doc struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if xml.Unmarshal(b, &doc) != nil {
		return nil
	}
	var out []string
	for _, u := range doc.URLs {
		loc := strings.TrimSpace(u.Loc)
		if !strings.HasPrefix(loc, base) {
			continue
		}
		rel, err := url.PathUnescape(strings.TrimPrefix(loc, base))
		if err != nil {
			continue
		}
		if rel == "" || strings.HasSuffix(rel, "/") {
			rel += "index.html"
		}
		if fs.ValidPath(rel) {
			out = append(out, rel)
		}
	}
	return out
}
