package render

import (
	"cmp"
	"slices"
	"strings"

	"gongkai/generator/record"
)

// reuseView returns Options.Reuse's view of rec when it is a view of the
// very same record, as a copy without the backlinks (buildViews adds them
// again), else a new view.
func (r *Renderer) reuseView(rec *record.Record) (*RecordView, error) {
	if old := r.opt.Reuse[rec.ID]; old != nil && old.Record == rec {
		v := *old
		v.Backlinks = nil
		return &v, nil
	}
	return r.view(rec)
}

// sortNewest sorts views newest first, then by id, comparing precomputed
// times: ids are unique, so the order is total and an unstable sort gives
// the same result.
func sortNewest(vs []*RecordView) {
	type keyed struct {
		t int64
		v *RecordView
	}
	ks := make([]keyed, len(vs))
	for i, v := range vs {
		ks[i] = keyed{v.Date.UnixNano(), v}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if a.t != b.t {
			return cmp.Compare(b.t, a.t)
		}
		return strings.Compare(a.v.ID, b.v.ID)
	})
	for i, k := range ks {
		vs[i] = k.v
	}
}
