package render

import "gongkai/generator/record"

// reuseView returns Options.Reuse's view of rec when it has one, as a copy
// without the backlinks (buildViews adds them again), else a new view.
func (r *Renderer) reuseView(rec *record.Record) (*RecordView, error) {
	if r.Opt.Reuse != nil {
		if old := r.Opt.Reuse(rec); old != nil && old.Record == rec {
			v := *old
			v.Backlinks = nil
			return &v, nil
		}
	}
	return r.view(rec)
}
