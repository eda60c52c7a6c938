package content

import (
	"io/fs"

	"gongkai/generator/calendar"
	"gongkai/generator/record"
	"gongkai/generator/textenc"
)

// Unread returns, for each disclosure among srcs whose id is in broken
// (files that could not be decoded), what the calendar can read of it, so
// that a period it may cover is not also reported as not disclosed.
func Unread(fsys fs.FS, srcs []record.Source, broken []string) []calendar.Publication {
	isBroken := make(map[string]bool, len(broken))
	for _, id := range broken {
		isBroken[id] = true
	}
	var pubs []calendar.Publication
	for _, src := range srcs {
		if src.Section != "disclosures" || !isBroken[src.ID] {
			continue
		}
		if b, err := fs.ReadFile(fsys, src.File); err == nil && len(b) <= record.MaxFileSize {
			if text, ds := textenc.Decode(src.File, b); !ds.HasErrors() {
				src.Text = text
			}
		}
		pubs = append(pubs, record.Unread(src))
	}
	return pubs
}
