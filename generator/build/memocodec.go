package build

import (
	"encoding/binary"
	"errors"
)

// The note is written in a compact form of its own: it holds an entry
// for every file and folder of the site (tens of thousands), read and
// written by every build, and a general encoding spends more time on it
// than the rest of a small rebuild.

// encode appends the note to b.
func (m *memo) encode(b []byte) []byte {
	w := memoWriter{b}
	w.int(int64(m.Format))
	w.str(m.Base)
	w.str(m.Global)
	w.int(m.Folder)
	w.int(int64(len(m.Records)))
	for id, fp := range m.Records {
		w.str(id)
		w.str(fp)
	}
	w.int(int64(len(m.Files)))
	for name, f := range m.Files {
		w.str(name)
		w.str(f.Unit)
		w.int(f.Size)
		w.int(f.MTime)
		w.b = append(w.b, f.Sum[:]...)
	}
	w.int(int64(len(m.Deps)))
	for name, d := range m.Deps {
		w.str(name)
		w.int(d.Size)
		w.int(d.MTime)
		w.str(d.Sum)
	}
	w.int(int64(len(m.Dirs)))
	for name, t := range m.Dirs {
		w.str(name)
		w.int(t)
	}
	for _, gone := range m.Gone.lists() {
		w.int(int64(len(*gone)))
		for _, name := range *gone {
			w.str(name)
		}
	}
	return w.b
}

type memoWriter struct{ b []byte }

func (w *memoWriter) int(v int64) { w.b = binary.AppendVarint(w.b, v) }

func (w *memoWriter) str(s string) {
	w.b = binary.AppendUvarint(w.b, uint64(len(s)))
	w.b = append(w.b, s...)
}

var errMemo = errors.New("build: a damaged note")

// decodeMemo reads a note written by encode.
func decodeMemo(b []byte) (*memo, error) {
	r := memoReader{b: b}
	m := &memo{Format: int(r.int())}
	if r.err != nil || m.Format != memoFormat {
		return nil, errMemo
	}
	m.Base = r.str()
	m.Global = r.str()
	m.Folder = r.int()
	n := r.count()
	m.Records = make(map[string]string, n)
	for range n {
		id := r.str()
		m.Records[id] = r.str()
	}
	n = r.count()
	m.Files = make(map[string]memoFile, n)
	for range n {
		name := r.str()
		f := memoFile{Unit: r.str(), Size: r.int(), MTime: r.int()}
		copy(f.Sum[:], r.bytes(len(f.Sum)))
		m.Files[name] = f
	}
	n = r.count()
	m.Deps = make(map[string]depStamp, n)
	for range n {
		name := r.str()
		m.Deps[name] = depStamp{Size: r.int(), MTime: r.int(), Sum: r.str()}
	}
	n = r.count()
	m.Dirs = make(map[string]int64, n)
	for range n {
		name := r.str()
		m.Dirs[name] = r.int()
	}
	for _, gone := range m.Gone.lists() {
		n = r.count()
		if n > 0 {
			*gone = make([]string, n)
		}
		for i := range n {
			(*gone)[i] = r.str()
		}
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, errMemo
	}
	return m, nil
}

type memoReader struct {
	b   []byte
	err error
}

func (r *memoReader) int() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads the length of a list, which cannot be more than the bytes
// left.
func (r *memoReader) count() int {
	v := r.int()
	if v < 0 || v > int64(len(r.b)) {
		r.fail()
		return 0
	}
	return int(v)
}

func (r *memoReader) bytes(n int) []byte {
	if n > len(r.b) {
		r.fail()
		return make([]byte, n)
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *memoReader) str() string {
	v, n := binary.Uvarint(r.b)
	if n <= 0 || v > uint64(len(r.b)-n) {
		r.fail()
		return ""
	}
	// The note's bytes are mapped and kept (see readMemo): its names
	// are not copied.
	s := bytesString(r.b[n : n+int(v)])
	r.b = r.b[n+int(v):]
	return s
}

func (r *memoReader) fail() {
	if r.err == nil {
		r.err = errMemo
	}
	r.b = nil
}
