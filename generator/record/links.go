package record

import (
	"net/url"
	"path"
	"sort"
	"strings"
	"unicode/utf8"

	"gongkai/generator/diag"
)

// Outline is what the checks of a record need of its body as Markdown
// reads it (markdown.Converter.Outline gives it): every link and image,
// reference-style ones included, and the headings with their anchors.
type Outline struct {
	Refs     []Ref
	Headings []Heading
	// Problem is set, and nothing else, when the body is beyond the
	// limits of what is converted.
	Problem *OutlineProblem
}

// Ref is a link or an image of a body.
type Ref struct {
	Dest   string // the destination as written
	Offset int    // byte offset in the body of its [ (or ![)
	Image  bool
}

// Heading is a heading of a body and the anchor the page gives it.
type Heading struct {
	ID, Text string
}

// OutlineProblem says why a body is not converted.
type OutlineProblem struct {
	Offset    int // byte offset in the body
	Msg, Hint diag.Text
}

// TargetKind says what a link destination points at.
type TargetKind int

const (
	// External is a link elsewhere (a scheme such as https: or mailto:,
	// or //host): not checked.
	External TargetKind = iota
	// ToRecord is a record of the board, by id ("decisions/2026-02"),
	// by its file ("../decisions/2026-02.md") or an anchor of the page
	// itself ("#tiao-3").
	ToRecord
	// ToFile is a file of the content folder, such as an attachment.
	ToFile
	// ToSection is the list page of a section ("decisions/").
	ToSection
	// Outside leaves the content folder ("../../x").
	Outside
)

// Target is what a link destination written in a record points at.
type Target struct {
	Kind TargetKind
	ID   string // ToRecord: the record id
	Frag string // the anchor after #, if any
	Path string // ToFile: the content-relative path
}

// LinkTarget reads a link destination written in the record file file.
// A destination whose first part is a section is a record id (or a file
// of a record's folder); any other relative destination is read from the
// record file's folder, as a text editor shows it ("../pages/about.md",
// "2026-02.md", "资金明细.csv"). A record is named by its id, its file
// (<id>.md, <id>/index.md) or its folder (<id>/).
func LinkTarget(file, dest string) Target {
	dest = strings.TrimSpace(dest)
	if dest == "" || strings.HasPrefix(dest, "//") || hasScheme(dest) {
		return Target{Kind: External}
	}
	p, frag, _ := strings.Cut(dest, "#")
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	if p == "" {
		self, ok := IDFromPath(file)
		if !ok || !IsSection(self.Section) || self.Slug == "" {
			return Target{Kind: External}
		}
		return Target{Kind: ToRecord, ID: self.ID, Frag: frag}
	}
	if sec, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/"); !IsSection(sec) || strings.HasPrefix(p, ".") {
		p = path.Join(path.Dir(file), p)
		if p == ".." || strings.HasPrefix(p, "../") {
			return Target{Kind: Outside, Frag: frag}
		}
	}
	p = strings.Trim(path.Clean("/"+p), "/")
	if IsSection(p) {
		return Target{Kind: ToSection, Path: p + "/", Frag: frag}
	}
	if id := recordID(p); id != "" {
		return Target{Kind: ToRecord, ID: id, Frag: frag}
	}
	return Target{Kind: ToFile, Path: p, Frag: frag}
}

// recordID returns the record id p names: sec/slug, sec/slug.md or
// sec/slug/index.md; "" for anything else.
func recordID(p string) string {
	p = strings.TrimSuffix(p, "/index.md")
	p = strings.TrimSuffix(p, ".md")
	parts := strings.Split(p, "/")
	if len(parts) == 2 && IsSection(parts[0]) && parts[1] != "" {
		return p
	}
	return ""
}

// hasScheme reports whether dest starts with a URL scheme ("https:",
// "mailto:", "tel:").
func hasScheme(dest string) bool {
	for i, r := range dest {
		switch {
		case r == ':':
			return i > 0
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')):
		default:
			return false
		}
	}
	return false
}

// bodyLinks turns the outline of the body into links to check, with their
// positions, and the record's anchors; it reports a body beyond the
// limits and links that leave the content folder.
func (d *decoder) bodyLinks(o Outline) {
	r := d.r
	pos := func(off int) diag.Position {
		off = min(max(off, 0), len(r.Body))
		line := r.BodyLine + strings.Count(r.Body[:off], "\n")
		start := strings.LastIndexByte(r.Body[:off], '\n') + 1
		return diag.Position{File: r.File, Line: line, Col: utf8.RuneCountInString(r.Body[start:off]) + 1}
	}
	if o.Problem != nil {
		d.extra.Add(diag.Diagnostic{Pos: pos(o.Problem.Offset), Severity: diag.Error, Msg: o.Problem.Msg, Hint: o.Problem.Hint})
		return
	}
	for _, ref := range o.Refs {
		if HasPlaceholder(ref.Dest) {
			continue
		}
		t := LinkTarget(r.File, ref.Dest)
		switch t.Kind {
		case ToRecord:
			r.Links = append(r.Links, Link{Target: t.ID, Frag: t.Frag, Pos: pos(ref.Offset), Field: "body"})
		case ToFile:
			r.Links = append(r.Links, Link{Target: t.Path, Frag: t.Frag, Pos: pos(ref.Offset), Field: "body", File: true})
		case Outside:
			d.extra.Add(diag.Errorf(pos(ref.Offset), "链接 %s 指向内容文件夹以外，网站上没有这个地址", "the link %s leads outside the content folder; the site has no such address", ref.Dest).
				WithHint("链接其他记录写“栏目/文件名”，如 decisions/2026-02", "link another record as section/name, e.g. decisions/2026-02"))
		}
	}
	anchors := map[string]bool{}
	articles := map[int]bool{}
	if r.Convention != nil {
		for _, a := range SplitArticles(r.Body, r.BodyLine) {
			anchors[a.Anchor()] = true
			articles[a.N] = true
		}
	}
	for _, h := range o.Headings {
		if n, ok := ArticleStart(h.Text); ok && r.Convention != nil && articles[n] {
			continue // the article's anchor
		}
		anchors[h.ID] = true
	}
	for a := range anchors {
		r.Anchors = append(r.Anchors, a)
	}
	sort.Strings(r.Anchors)
}

// HasAnchor reports whether the record's page has the anchor #a.
func (r *Record) HasAnchor(a string) bool {
	i := sort.SearchStrings(r.Anchors, a)
	return i < len(r.Anchors) && r.Anchors[i] == a
}
