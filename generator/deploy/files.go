package deploy

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"path"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// Phase is a step of a deploy. Files travel phase by phase, so that a
// reader who opens the site in the middle of a deploy meets no page whose
// stylesheet, script or data is not there yet, and no list, feed or ledger
// that points to a page not there yet.
type Phase int

// The phases, in the order they run.
const (
	PhaseAssets  Phase = iota // stylesheets, scripts, data files, attachments, the search index
	PhasePages                // HTML pages, the deepest first
	PhaseIndexes              // feeds, the sitemap and robots.txt, which point to pages
	PhaseLedger               // the ledger, its checkpoints, proofs and sources, and build.json, last
)

// String names the phase in English; Name gives both languages.
func (p Phase) String() string {
	return [...]string{"assets", "pages", "feeds", "ledger"}[p]
}

// File is one file of the built site.
type File struct {
	Name   string // slash-separated, relative to the site's root
	Size   int64
	SHA256 string // hex
	MD5    string // hex; only for targets that compare by MD5 (S3's ETag)
	Phase  Phase
}

// hashedAsset matches the names the theme gives its stylesheets and
// scripts: a content hash before the extension (style.8cd9c9c7.css). Such a
// file never changes under its name, so caches may keep it for good.
var hashedAsset = regexp.MustCompile(`\.[0-9a-f]{8,}\.(css|js|woff2?|svg|png|jpe?g|webp|gif|ico)$`)

// phaseOf sorts a file into its phase.
func phaseOf(name string) Phase {
	switch {
	case name == "ledger.json" || name == "ledger.jsonl" || name == "build.json" || strings.HasPrefix(name, "ledger/"):
		return PhaseLedger
	case strings.HasSuffix(name, ".html"):
		return PhasePages
	case strings.HasSuffix(name, ".xml") || name == "robots.txt":
		return PhaseIndexes
	}
	return PhaseAssets
}

// CacheControl returns the Cache-Control a web server should send with
// name: a year for content-hashed assets, which never change under their
// name; no caching without asking again for the ledger, the checkpoints
// and build.json, which a supervisor must see as they are now; five
// minutes for everything else, so that a correction reaches readers soon.
func CacheControl(name string) string {
	switch {
	case hashedAsset.MatchString(name):
		return "public, max-age=31536000, immutable"
	case phaseOf(name) == PhaseLedger || name == ManifestName:
		return "no-cache"
	}
	return "public, max-age=300"
}

// contentTypes are fixed here rather than read from the system's MIME
// tables, which differ between machines.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".json":        "application/json",
	".xml":         "application/xml",
	".txt":         "text/plain; charset=utf-8",
	".jsonl":       "text/plain; charset=utf-8", // readable in a browser, as the ledger should be
	".py":          "text/plain; charset=utf-8",
	".csv":         "text/csv; charset=utf-8",
	".md":          "text/markdown; charset=utf-8",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".ico":         "image/vnd.microsoft.icon",
	".pdf":         "application/pdf",
	".woff2":       "font/woff2",
	".woff":        "font/woff",
	".zip":         "application/zip",
	".xlsx":        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".docx":        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".webmanifest": "application/manifest+json",
}

// ContentType returns the Content-Type of name.
func ContentType(name string) string {
	base := path.Base(name)
	if base == "feed.xml" {
		return "application/atom+xml"
	}
	ext := strings.ToLower(path.Ext(base))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// notSite are files found in an output folder that the site itself does
// not hold: the folder's README, kept across builds.
var notSite = map[string]bool{"README.md": true}

// scan lists and hashes every file of the built site, taking the hashes
// of files that did not change from the cache file (see HashCache; ""
// for none). A symbolic link or any other file that is not a regular
// file is refused: a build never makes one.
func scan(site fs.FS, withMD5 bool, cacheFile string, progress func(done, total int)) ([]File, error) {
	start := time.Now()
	var files []File
	var stamps []stamp
	err := fs.WalkDir(site, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			return &notRegularError{name}
		}
		if notSite[name] {
			return nil
		}
		if name == ManifestName {
			return &reservedError{name}
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files = append(files, File{Name: name, Phase: phaseOf(name)})
		stamps = append(stamps, stampOf(info))
		return nil
	})
	if err != nil {
		return nil, err
	}
	cache := readHashCache(cacheFile)
	next := make(chan int, len(files))
	for i := range files {
		f := &files[i]
		if c, ok := cache[f.Name]; ok && c.stamp == stamps[i] && (!withMD5 || c.md5 != "") {
			f.Size, f.SHA256, f.MD5 = c.size, c.sha256, c.md5
			continue
		}
		next <- i
	}
	close(next)
	var (
		g    errgroup.Group
		mu   sync.Mutex
		done = len(files) - len(next)
	)
	for range runtime.GOMAXPROCS(0) {
		g.Go(func() error {
			buf := make([]byte, 64<<10)
			for i := range next {
				if err := hashFile(site, &files[i], withMD5, buf); err != nil {
					return err
				}
				if files[i].Size != stamps[i].size {
					stamps[i].mtime = start.UnixNano() // changed while read: not cached
				}
				if progress != nil {
					mu.Lock()
					done++
					if done%256 == 0 || done == len(files) {
						progress(done, len(files))
					}
					mu.Unlock()
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	writeHashCache(cacheFile, files, stamps, start)
	order(files)
	return files, nil
}

func hashFile(site fs.FS, f *File, withMD5 bool, buf []byte) error {
	r, err := site.Open(f.Name)
	if err != nil {
		return err
	}
	defer r.Close()
	s := sha256.New()
	var w io.Writer = s
	m := md5.New()
	if withMD5 {
		w = io.MultiWriter(s, m)
	}
	n, err := io.CopyBuffer(w, r, buf)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	f.Size = n
	f.SHA256 = hex.EncodeToString(s.Sum(nil))
	if withMD5 {
		f.MD5 = hex.EncodeToString(m.Sum(nil))
	}
	return nil
}

// order sorts files by phase; pages the deepest first, so that a list
// page goes up after the pages it links to.
func order(files []File) {
	sort.SliceStable(files, func(i, j int) bool {
		a, b := files[i], files[j]
		if a.Phase != b.Phase {
			return a.Phase < b.Phase
		}
		if a.Phase == PhasePages {
			da, db := strings.Count(a.Name, "/"), strings.Count(b.Name, "/")
			if da != db {
				return da > db
			}
		}
		if a.Phase == PhaseLedger && (a.Name == "build.json") != (b.Name == "build.json") {
			return b.Name == "build.json" // build.json says the deploy is whole: last of all
		}
		return a.Name < b.Name
	})
}

type notRegularError struct{ name string }

func (e *notRegularError) Error() string { return e.name + ": not a regular file" }

type reservedError struct{ name string }

func (e *reservedError) Error() string { return e.name + ": reserved name" }
