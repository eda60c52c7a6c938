package markdown

import (
	"strings"

	"gongkai/generator/diag"
)

// The limits of one body. goldmark's cost grows faster than the text for
// some inputs — unclosed link openers `[a](`, runs of brackets, mixed
// emphasis, deep nesting, many list items or table cells — so a body
// beyond these limits is refused before it is converted. They are chosen
// so that the worst body within all of them converts in well under a
// second and 100 MB (BenchmarkWorstCase measures it), and lie far above
// any real notice: the demo board's longest body has 4 KB, 3 brackets and
// 49 table bars.
const (
	// MaxBytes is the largest body, in bytes of UTF-8 (about 170,000
	// Chinese characters).
	MaxBytes = 512 << 10
	// MaxBrackets bounds the [ of links, images and reference
	// definitions.
	MaxBrackets = 2000
	// MaxEmphasis bounds the emphasis and strikethrough marks * _ ~.
	MaxEmphasis = 5000
	// MaxBars bounds the | of tables (about one per table cell).
	MaxBars = 10000
	// MaxItems bounds the list items and quoted lines.
	MaxItems = 2000
	// MaxDepth bounds the nesting of lists and block quotes.
	MaxDepth = 16
	// MaxLines bounds the lines: each line, paragraph or heading is a
	// node of its own.
	MaxLines = 10000
	// MaxOther bounds the other marks that start a construct of their
	// own: < (HTML, autolinks), ` (code), & (entities), \ (escapes), @
	// (e-mail addresses) and web addresses (www., ://).
	MaxOther = 5000
	// MaxBracketWork bounds, over the paragraphs of a body, the sum of
	// each paragraph's brackets times its bytes: an unclosed link `[x](`
	// makes goldmark read on to the end of its paragraph, so one long
	// paragraph full of them is slow where the same text in short
	// paragraphs is not.
	MaxBracketWork = 1 << 25
)

// LimitError says which limit a body exceeds and where.
type LimitError struct {
	Offset int       // byte offset in the body where the limit was passed
	Msg    diag.Text // what is too much
	Hint   diag.Text // what to do
}

func (e *LimitError) Error() string { return e.Msg.Zh }

// Check returns the first limit body exceeds, or nil. It reads the body
// once, in time proportional to its length.
func Check(body string) *LimitError {
	if len(body) > MaxBytes {
		return &LimitError{Offset: MaxBytes, Msg: diag.T("正文太长（%d KB），最多 %d KB", "the body is too long (%d KB); at most %d KB", len(body)>>10, MaxBytes>>10),
			Hint: diag.T("把长名单做成 CSV 表格附件，或拆成几条记录", "put long lists into a CSV table, or split the record")}
	}
	var c counts
	// The paragraph being read starts at start (-1 between paragraphs);
	// work sums each paragraph's brackets times its bytes.
	start, work, off := -1, 0, 0
	for line := 1; ; line++ {
		if line > MaxLines && off < len(body) {
			return &LimitError{Offset: off, Msg: diag.T("正文太长（超过 %d 行）", "the body is too long (more than %d lines)", MaxLines),
				Hint: diag.T("把长名单做成 CSV 表格附件，或拆成几条记录", "put long lists into a CSV table, or split the record")}
		}
		end := strings.IndexByte(body[off:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += off
		}
		text := body[off:end]
		blank := strings.TrimSpace(text) == ""
		if !blank {
			if start < 0 {
				start = off
			}
			if e := c.line(text, off); e != nil {
				return e
			}
		}
		if start >= 0 && (blank || end == len(body)) {
			if work += c.inBlock * (end - start); work > MaxBracketWork {
				return &LimitError{Offset: start, Msg: diag.T("这一段又长、方括号 [ 又多，转换起来太慢", "this paragraph is too long for its many brackets [: it would be too slow to convert"),
					Hint: diag.T("在句子之间空一行，把长段落分成几段；或减少方括号和链接", "split the long paragraph with blank lines, or use fewer brackets and links")}
			}
			start, c.inBlock = -1, 0
		}
		if end == len(body) {
			return nil
		}
		off = end + 1
	}
}

// counts are the running counts of a body's marks; inBlock counts the
// brackets of the paragraph being read.
type counts struct {
	brackets, emphasis, bars, items, other, inBlock int
}

// line adds the nesting, list items, brackets, emphasis marks, table
// bars and other marks of one line, which starts at byte off of the body,
// and returns the first limit they pass.
func (c *counts) line(line string, off int) *LimitError {
	depth, marks, rest := containers(line)
	if depth > MaxDepth {
		return &LimitError{Offset: off, Msg: diag.T("列表或引用嵌套太深（%d 层），最多 %d 层", "lists or quotes are nested too deep (%d levels); at most %d", depth, MaxDepth),
			Hint: diag.T("减少缩进和 > 的层数", "use fewer levels of indentation and >")}
	}
	if c.items += marks; c.items > MaxItems {
		return &LimitError{Offset: off, Msg: diag.T("列表项和引用行太多（超过 %d 个）", "too many list items and quoted lines (more than %d)", MaxItems),
			Hint: diag.T("把长名单做成 CSV 表格附件，或拆成几条记录", "put long lists into a CSV table, or split the record")}
	}
	for i := len(line) - len(rest); i < len(line); i++ {
		switch line[i] {
		case '[':
			c.inBlock++
			if c.brackets++; c.brackets > MaxBrackets {
				return &LimitError{Offset: off + i, Msg: diag.T("正文里的方括号 [ 太多（超过 %d 个）", "too many brackets [ in the body (more than %d)", MaxBrackets),
					Hint: diag.T("链接和方括号最多 %d 个；如是名单，请做成 CSV 表格附件", "at most %d links and brackets; put a long list into a CSV table", MaxBrackets)}
			}
		case '*', '_', '~':
			if c.emphasis++; c.emphasis > MaxEmphasis {
				return &LimitError{Offset: off + i, Msg: diag.T("正文里的 * _ ~ 太多（超过 %d 个）", "too many * _ ~ in the body (more than %d)", MaxEmphasis),
					Hint: diag.T("加粗、斜体和删除线的符号最多 %d 个", "at most %d marks of bold, italic and strikethrough", MaxEmphasis)}
			}
		case '|':
			if c.bars++; c.bars > MaxBars {
				return &LimitError{Offset: off + i, Msg: diag.T("表格太大（竖线 | 超过 %d 个）", "the tables are too large (more than %d bars |)", MaxBars),
					Hint: diag.T("把大表格做成 CSV 表格附件（[[tables]]）", "put a large table into a CSV file ([[tables]])")}
			}
		case '<', '`', '&', '\\', '@', ':', 'w', 'W':
			if (line[i] == ':' && !strings.HasPrefix(line[i:], "://")) || ((line[i] == 'w' || line[i] == 'W') && !strings.HasPrefix(strings.ToLower(line[i:min(i+4, len(line))]), "www.")) {
				continue
			}
			if c.other++; c.other > MaxOther {
				return &LimitError{Offset: off + i, Msg: diag.T("正文里的 < ` & \\ @ 和网址太多（超过 %d 个）", "too many < ` & \\ @ and web addresses in the body (more than %d)", MaxOther),
					Hint: diag.T("这些符号和网址最多 %d 个；长名单请做成 CSV 表格附件", "at most %d of these marks and web addresses; put a long list into a CSV table", MaxOther)}
			}
		}
	}
	return nil
}

// containers reads the start of a line as Markdown nests it: indentation,
// block quote marks > and list markers (- + * or a number with . or )).
// It returns the nesting depth (one level for each > and each list
// marker, and one for each two columns of indentation before a marker or
// the text; the space that follows a marker does not count), the number
// of markers, and the rest of the line.
func containers(line string) (depth, marks int, rest string) {
	col, i := 0, 0
	marker := func(next int) {
		depth++
		marks++
		i = next
		if i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++ // the separator after a marker
		}
	}
	for i < len(line) {
		switch c := line[i]; {
		case c == ' ':
			col++
			i++
		case c == '\t':
			col += 4 - col%4
			i++
		case c == '>':
			marker(i + 1)
		case (c == '-' || c == '+' || c == '*') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
			marker(i + 1)
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j < len(line) && (line[j] == '.' || line[j] == ')') && (j+1 == len(line) || line[j+1] == ' ' || line[j+1] == '\t') {
				marker(j + 1)
				continue
			}
			return depth + col/2, marks, line[i:]
		default:
			return depth + col/2, marks, line[i:]
		}
	}
	return depth + col/2, marks, ""
}
