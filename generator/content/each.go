package content

import (
	"io/fs"

	"gongkai/generator/config"
	"gongkai/generator/diag"
	"gongkai/generator/internal/par"
	"gongkai/generator/markdown"
	"gongkai/generator/privacy"
	"gongkai/generator/record"
)

// DecodeEach reads, lints and decodes the sources in parallel: recs[i] and
// dss[i] are the record (nil when it could not be decoded) and the
// diagnostics of srcs[i]. The pipeline keeps them apart to decode one file
// again after an edit.
func DecodeEach(site *config.Site, fsys fs.FS, srcs []record.Source) (recs []*record.Record, dss []diag.List) {
	return DecodeEachFS(site, srcs, func(int) fs.FS { return fsys })
}

// DecodeEachFS is DecodeEach with each source read through a file system
// of its own, fsOf(i): the content folder as a whole, or a view of it
// that notes what the decoding of one record reads.
func DecodeEachFS(site *config.Site, srcs []record.Source, fsOf func(i int) fs.FS) (recs []*record.Record, dss []diag.List) {
	rules := privacy.Rules{IDKeep: site.Privacy.IDKeep, PhoneKeep: site.Privacy.PhoneKeep}
	md := markdown.New(site.UnsafeHTML)
	dec := record.NewDecoder(site)
	recs = make([]*record.Record, len(srcs))
	dss = make([]diag.List, len(srcs))
	_ = par.Each(len(srcs), func(i int) error { // cannot fail
		recs[i], dss[i] = decodeOne(dec, fsOf(i), rules, md, srcs[i])
		return nil
	})
	return recs, dss
}
