// Package textenc turns the bytes of an author's file into text: UTF-8 with
// or without a byte-order mark, CRLF or LF line endings, or GB18030 as saved
// by older Windows editors and spreadsheet exports. Anything else is a
// positioned error. It never changes the file itself.
package textenc

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"gongkai/generator/diag"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Decode returns the text of b with the BOM removed and line endings
// normalised to LF. file names the file in diagnostics. GB18030 input is
// decoded with a warning; input that is neither UTF-8 nor GB18030 is an
// error at the first offending byte.
func Decode(file string, b []byte) (string, diag.List) {
	var ds diag.List
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		ds.Add(diag.Errorf(diag.Position{File: file}, "文件是 UTF-16 编码，无法读取",
			"the file is UTF-16 encoded and cannot be read").
			WithHint("请在编辑器中用“另存为”选择 UTF-8 编码保存", "save it as UTF-8 (File → Save As → encoding UTF-8)"))
		return "", ds
	}
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	var text string
	if utf8.Valid(b) {
		text = string(b)
	} else {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
		if err != nil || bytes.ContainsRune(dec, utf8.RuneError) || !plausible(dec) {
			ds.Add(invalid(file, b))
			return "", ds
		}
		ds.Add(diag.Warnf(diag.Position{File: file}, "文件不是 UTF-8 编码，已按 GB18030（GBK）读取",
			"the file is not UTF-8; it was read as GB18030 (GBK)").
			WithHint("请用编辑器“另存为” UTF-8 编码，以免乱码", "save it as UTF-8 to avoid garbled text"))
		text = string(dec)
	}
	if strings.IndexByte(text, 0) >= 0 {
		line, col := LineCol(text, strings.IndexByte(text, 0))
		ds.Add(diag.Errorf(diag.Position{File: file, Line: line, Col: col}, "文件含有空字符，不是文本文件",
			"the file contains NUL bytes and is not a text file").
			WithHint("请确认这是用文本编辑器保存的 .md / .toml / .csv 文件", "make sure this is a text file saved by a text editor"))
		return "", ds
	}
	if strings.IndexByte(text, '\r') >= 0 {
		text = strings.ReplaceAll(text, "\r\n", "\n")
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	return text, ds
}

// plausible reports whether decoded GB18030 text looks like text: no control
// characters but tab and line breaks.
func plausible(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

func invalid(file string, b []byte) diag.Diagnostic {
	off := 0
	for off < len(b) {
		r, n := utf8.DecodeRune(b[off:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		off += n
	}
	line, col := LineCol(string(b[:off]), off)
	return diag.Errorf(diag.Position{File: file, Line: line, Col: col},
		"文件编码无法识别（既不是 UTF-8 也不是 GB18030），第一个无效字节是 0x%02X", "unknown file encoding (neither UTF-8 nor GB18030); first invalid byte 0x%02X", b[off]).
		WithHint("请用编辑器以 UTF-8 编码重新保存", "save the file again as UTF-8")
}

// LineCol returns the 1-based line and character column of byte offset
// off in text.
func LineCol(text string, off int) (line, col int) {
	if off > len(text) {
		off = len(text)
	}
	head := text[:off]
	line = strings.Count(head, "\n") + 1
	start := strings.LastIndexByte(head, '\n') + 1
	col = utf8.RuneCountInString(head[start:]) + 1
	return line, col
}
