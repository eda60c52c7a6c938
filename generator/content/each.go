package content

import (
	"io/fs"
	"runtime"
	"sync"

	"gongkai/generator/config"
	"gongkai/generator/diag"
	"gongkai/generator/markdown"
	"gongkai/generator/privacy"
	"gongkai/generator/record"
)

// DecodeEach is Decode keeping each source apart: recs[i] and dss[i] are
// the record (nil when it could not be decoded) and the diagnostics of
// srcs[i]. The preview server keeps them to re-decode one file at a time.
func DecodeEach(site *config.Site, fsys fs.FS, srcs []record.Source) (recs []*record.Record, dss []diag.List) {
	rules := privacy.Rules{IDKeep: site.Privacy.IDKeep, PhoneKeep: site.Privacy.PhoneKeep}
	md := markdown.New(site.UnsafeHTML)
	recs = make([]*record.Record, len(srcs))
	dss = make([]diag.List, len(srcs))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				recs[i], dss[i] = decodeOne(site, fsys, rules, md, srcs[i])
			}
		}()
	}
	for i := range srcs {
		next <- i
	}
	close(next)
	wg.Wait()
	return recs, dss
}

// DecodeOne reads, lints and decodes one source.
func DecodeOne(site *config.Site, fsys fs.FS, src record.Source) (*record.Record, diag.List) {
	rules := privacy.Rules{IDKeep: site.Privacy.IDKeep, PhoneKeep: site.Privacy.PhoneKeep}
	return decodeOne(site, fsys, rules, markdown.New(site.UnsafeHTML), src)
}
