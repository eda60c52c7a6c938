package fields

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gongkai/generator/diag"
	"gongkai/generator/zh"

	"github.com/BurntSushi/toml"
)

// This file turns a TOML syntax error into the clerk's words. The TOML
// parser says what it expected in its own terms ("expected a top-level item
// to end with a newline … but got '年'"), often a line after the mistake.
// When it fails, a small lenient scanner walks the document again looking
// for the mistakes people make — Chinese quotes, 2026年7月16日, a key
// written twice, a [ or " left open, text without quotes, numbers with
// units — and names the first one at the place where it was made, with the
// line as it should be written. What it does not recognise is reported at
// the parser's position in general words.

// problem is one mistake found in the text.
type problem struct {
	off  int // byte offset in the text where the mistake is
	msg  diag.Text
	hint diag.Text
}

func prob(off int, msgZh, msgEn, hintZh, hintEn string) *problem {
	return &problem{off: off, msg: diag.Text{Zh: msgZh, En: msgEn}, hint: diag.Text{Zh: hintZh, En: hintEn}}
}

func syntaxError(file, text string, firstLine int, err error) diag.Diagnostic {
	var pe toml.ParseError
	errOff := -1
	if errors.As(err, &pe) {
		errOff = min(max(pe.Position.Start, 0), len(text))
		if pe.Position.Line >= 1 {
			// Start is reliable except after a line break; keep it on the
			// reported line.
			ls := lineStart(text, pe.Position.Line)
			if errOff < ls {
				errOff = ls
			}
		}
	}
	l := &lint{src: text, firstLine: firstLine, frontMatter: firstLine > 1, defs: map[string]int{}, arrays: map[string]int{}}
	p := l.run()
	if p == nil || errOff >= 0 && lineOf(text, p.off) > lineOf(text, errOff) {
		p = fallback(text, errOff, pe.Message, firstLine > 1)
	}
	line, col := position(text, p.off)
	d := diag.Diagnostic{Pos: diag.Position{File: file, Line: line + firstLine - 1, Col: col}, Severity: diag.Error, Msg: p.msg, Hint: p.hint, Cause: err}
	return d
}

// lineStart returns the byte offset where line n (from 1) starts.
func lineStart(text string, n int) int {
	off := 0
	for i := 1; i < n; i++ {
		j := strings.IndexByte(text[off:], '\n')
		if j < 0 {
			return len(text)
		}
		off += j + 1
	}
	return off
}

// lineOf returns the line (from 1) of byte offset off.
func lineOf(text string, off int) int {
	return strings.Count(text[:min(off, len(text))], "\n") + 1
}

// position returns the line and the column in characters of off. The
// column never lies past the end of its line; an empty line has none.
func position(text string, off int) (line, col int) {
	off = min(max(off, 0), len(text))
	line = lineOf(text, off)
	start := strings.LastIndexByte(text[:off], '\n') + 1
	end := strings.IndexByte(text[start:], '\n')
	if end < 0 {
		end = len(text) - start
	}
	lineText := strings.TrimRight(text[start:start+end], "\r")
	n := utf8.RuneCountInString(lineText)
	if n == 0 {
		return line, 0
	}
	col = utf8.RuneCountInString(text[start:min(off, start+len(lineText))]) + 1
	return line, min(col, n)
}

// fallback explains an error the scanner did not recognise, at the
// parser's position, in general words.
func fallback(text string, off int, msg string, frontMatter bool) *problem {
	if off < 0 {
		off = 0
	}
	hintZh := "每行写一项设置：名称 = 值；文字加英文双引号（title = \"…\"），数字直接写（present = 41），日期写成 2026-07-08"
	hintEn := "write one setting a line: name = value; text in double quotes (title = \"…\"), numbers as digits (present = 41), dates as 2026-07-08"
	switch {
	case strings.Contains(msg, "already"):
		return prob(off, "这一项重复了：同一个名称只能写一次", "this is defined twice: a name may be given only once",
			"删去重复的一项，或把两处合并", "delete the repeated one, or merge the two")
	case strings.Contains(msg, "out of range"):
		return prob(off, "这个数字太大，超出了能处理的范围", "this number is too large to handle", "请核对这个数字是否多写了位数", "check whether the number has too many digits")
	case strings.Contains(msg, "datetime"):
		return prob(off, "日期不存在或写法不对", "the date does not exist or is written wrongly",
			"请核对年、月、日，并写成 2026-07-08 这样的格式", "check the year, month and day and write it like 2026-07-08")
	}
	if r, _ := utf8.DecodeRuneInString(text[off:]); off < len(text) && unicode.IsPrint(r) && r != ' ' {
		return prob(off, fmt.Sprintf("这一行的写法有误：在“%c”这里看不懂", r), fmt.Sprintf("this line is not written correctly: cannot read it at “%c”", r), hintZh, hintEn)
	}
	return prob(off, "这一行的写法有误", "this line is not written correctly", hintZh, hintEn)
}

// context is where a value stands: at the top of the document, in a list
// or in an inline table.
type context int

const (
	top context = iota
	inArray
	inInline
)

// lint is the lenient scanner that looks for the first mistake.
type lint struct {
	src         string
	i           int
	firstLine   int
	frontMatter bool
	table       string
	arrays      map[string]int // array-of-tables path → current index
	defs        map[string]int // defined key path → offset of its key
}

func (l *lint) eof() bool { return l.i >= len(l.src) }

func (l *lint) peek() rune {
	if l.i >= len(l.src) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(l.src[l.i:])
	return r
}

// fileLine is the line of the file (not of the TOML block) of off.
func (l *lint) fileLine(off int) int { return lineOf(l.src, off) + l.firstLine - 1 }

// odd reports a character that looks like a space or nothing but is not
// one TOML accepts.
func (l *lint) odd(r rune) *problem {
	switch r {
	case '\u3000':
		return prob(l.i, "这里有一个全角空格", "there is a full-width space here",
			"删去它，或换成半角空格（英文输入法下的空格）", "delete it or replace it with an ordinary space")
	case '\u00a0', '\u200b', '\u200c', '\u200d', '\ufeff', '\u2060':
		return prob(l.i, fmt.Sprintf("这里有一个看不见的字符（U+%04X），多半是从网页或文档里复制来的", r),
			fmt.Sprintf("there is an invisible character here (U+%04X), probably copied from a web page or document", r),
			"删去这一行中的这个字符，或把这一行重新输入一遍", "delete the character, or type the line again")
	}
	if r >= 0 && (r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f) {
		return prob(l.i, fmt.Sprintf("这里有一个看不见的控制字符（U+%04X）", r), fmt.Sprintf("there is an invisible control character here (U+%04X)", r),
			"删去这个字符，或把这一行重新输入一遍", "delete the character, or type the line again")
	}
	return nil
}

// blank skips spaces, and with lines also line breaks and comments. It
// reports whether it crossed a line break.
func (l *lint) blank(lines bool) (crossed bool, p *problem) {
	for !l.eof() {
		switch c := l.src[l.i]; {
		case c == ' ' || c == '\t' || c == '\r':
			l.i++
		case c == '\n' && lines:
			l.i++
			crossed = true
		case c == '#' && lines:
			for !l.eof() && l.src[l.i] != '\n' {
				l.i++
			}
		default:
			if p := l.odd(l.peek()); p != nil {
				return crossed, p
			}
			return crossed, nil
		}
	}
	return crossed, nil
}

func (l *lint) run() *problem {
	for {
		if _, p := l.blank(true); p != nil {
			return p
		}
		if l.eof() {
			return nil
		}
		var p *problem
		switch l.peek() {
		case '[':
			p = l.header()
		case '【', '［', '〔':
			p = prob(l.i, "表头要用英文方括号 [ ]，这里用了中文括号", "a table header uses ASCII brackets [ ], not Chinese ones",
				"改成 "+fixHeader(l.restOfLine(l.i)), "write "+fixHeader(l.restOfLine(l.i)))
		default:
			p = l.keyValue(l.table, top)
		}
		if p != nil {
			return p
		}
	}
}

// restOfLine returns the text from off to the end of its line.
func (l *lint) restOfLine(off int) string {
	rest := l.src[off:]
	if j := strings.IndexByte(rest, '\n'); j >= 0 {
		rest = rest[:j]
	}
	return strings.TrimRight(rest, " \t\r")
}

func fixHeader(s string) string {
	s = strings.NewReplacer("【", "[", "】", "]", "［", "[", "］", "]", "〔", "[", "〕", "]").Replace(s)
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	return s
}

func (l *lint) header() *problem {
	start := l.i
	l.i++
	array := l.peek() == '['
	if array {
		l.i++
	}
	parts, p := l.key()
	if p != nil {
		return p
	}
	name := strings.Join(parts, ".")
	open, close := "[", "]"
	if array {
		open, close = "[[", "]]"
	}
	if len(parts) == 0 {
		return prob(start, "表头的名称要用英文，如 [finance]", "a table header's name is written in ASCII, e.g. [finance]",
			"请对照示例改正这一行", "correct the line after the examples")
	}
	l.blank(false)
	if !strings.HasPrefix(l.src[l.i:], close) {
		return prob(start, fmt.Sprintf("表头 %s%s 缺少结尾的 %s", open, name, close), fmt.Sprintf("the table header %s%s is missing its closing %s", open, name, close),
			fmt.Sprintf("改成 %s%s%s", open, name, close), fmt.Sprintf("write %s%s%s", open, name, close))
	}
	l.i += len(close)
	path := resolve(l.arrays, parts)
	if array {
		n, seen := l.arrays[path]
		if seen {
			n++
		}
		l.arrays[path] = n
		l.table = path + "[" + strconv.Itoa(n) + "]"
	} else {
		if prev, dup := l.defs["["+path+"]"]; dup {
			return prob(start, fmt.Sprintf("[%s] 写了两次（第 %d 行和第 %d 行）", name, l.fileLine(prev), l.fileLine(start)),
				fmt.Sprintf("[%s] is written twice (lines %d and %d)", name, l.fileLine(prev), l.fileLine(start)),
				fmt.Sprintf("把两处的内容合并到一个 [%s] 下面，删去这一行", name), fmt.Sprintf("merge both parts under one [%s] and delete this line", name))
		}
		l.defs["["+path+"]"] = start
		l.table = path
	}
	return l.endOfLine()
}

// endOfLine accepts spaces and a comment up to the line's end.
func (l *lint) endOfLine() *problem {
	if _, p := l.blank(false); p != nil {
		return p
	}
	if l.eof() || l.src[l.i] == '\n' || l.src[l.i] == '#' {
		return nil
	}
	rest := l.restOfLine(l.i)
	if i := strings.IndexByte(rest, '='); i > 0 {
		return prob(l.i, fmt.Sprintf("一行只能写一项设置：“%s”要另起一行", rest), fmt.Sprintf("one setting a line: put “%s” on a line of its own", rest),
			"在它前面换行", "start a new line before it")
	}
	return prob(l.i, fmt.Sprintf("这一项后面多了“%s”", rest), fmt.Sprintf("there is more after the value: “%s”", rest),
		"删去多余的文字；要写说明，请在前面加 #", "delete the extra text; to add a remark, put # before it")
}

// key reads a dotted key of bare or quoted parts.
func (l *lint) key() ([]string, *problem) {
	var parts []string
	for {
		l.blank(false)
		c := l.peek()
		switch {
		case c == '"' || c == '\'':
			start := l.i
			l.i++
			for !l.eof() && l.src[l.i] != byte(c) && l.src[l.i] != '\n' {
				if c == '"' && l.src[l.i] == '\\' {
					l.i++
				}
				l.i++
			}
			if l.eof() || l.src[l.i] != byte(c) {
				return nil, prob(start, "名称的引号没有结束", "the quotes around this name are not closed",
					"在名称后面补上引号，或去掉引号", "close the quotes after the name, or remove them")
			}
			l.i++
			parts = append(parts, strings.Trim(l.src[start:l.i], `"'`))
		case c >= 0 && c < utf8.RuneSelf && isBareASCII(byte(c)):
			start := l.i
			for !l.eof() && isBareASCII(l.src[l.i]) {
				l.i++
			}
			parts = append(parts, l.src[start:l.i])
		default:
			return parts, nil
		}
		l.blank(false)
		if l.peek() != '.' {
			return parts, nil
		}
		l.i++
	}
}

func isBareASCII(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// chineseKeys are the Chinese words people write for common keys.
var chineseKeys = map[string]string{
	"标题": "title", "题目": "title", "日期": "date", "时间": "date", "类别": "category", "分类": "category",
	"金额": "amount", "摘要": "summary", "文号": "number", "发布单位": "issuer", "落款": "issuer",
	"公示期": "notice", "期间": "period", "会议": "meeting", "地点": "place", "主持人": "chair",
	"记录人": "recorder", "应到": "expected", "实到": "present", "事项": "item", "凭证号": "voucher",
}

func (l *lint) keyValue(prefix string, ctx context) *problem {
	start := l.i
	parts, p := l.key()
	if p != nil {
		return p
	}
	if len(parts) == 0 {
		return l.notAKey(start)
	}
	name := parts[len(parts)-1]
	path := strings.Join(parts, ".")
	if prefix != "" {
		path = prefix + "." + path
	}
	l.blank(false)
	switch c := l.peek(); c {
	case '=':
		l.i++
	case '：', ':', '＝':
		value := strings.TrimSpace(l.restOfLine(l.i + utf8.RuneLen(c)))
		return prob(l.i, fmt.Sprintf("名称和值之间要用英文等号 =，这里写的是“%c”", c), fmt.Sprintf("a name and its value are separated by an ASCII =, not “%c”", c),
			fmt.Sprintf("改成 %s = %s", strings.Join(parts, "."), value), fmt.Sprintf("write %s = %s", strings.Join(parts, "."), value))
	case -1, '\n', '\r', '#':
		if ctx == top && len(parts) == 1 {
			return prob(start, fmt.Sprintf("“%s”后面少了 = 和值", name), fmt.Sprintf("“%s” has no = and value", name),
				l.notKeyHint(), l.notKeyHintEn())
		}
		return prob(start, fmt.Sprintf("%s 后面少了 = 和值", path), fmt.Sprintf("%s has no = and value", path),
			fmt.Sprintf("写成 %s = 值", name), fmt.Sprintf("write %s = value", name))
	default:
		if p := l.odd(c); p != nil {
			return p
		}
		value := strings.TrimSpace(l.restOfLine(l.i))
		return prob(l.i, fmt.Sprintf("%s 后面少了等号 =", strings.Join(parts, ".")), fmt.Sprintf("%s is missing its =", strings.Join(parts, ".")),
			fmt.Sprintf("改成 %s = %s", strings.Join(parts, "."), value), fmt.Sprintf("write %s = %s", strings.Join(parts, "."), value))
	}
	if prev, dup := l.defs[path]; dup {
		return prob(start, fmt.Sprintf("%s 写了两次（第 %d 行和第 %d 行）", path, l.fileLine(prev), l.fileLine(start)),
			fmt.Sprintf("%s is written twice (lines %d and %d)", path, l.fileLine(prev), l.fileLine(start)),
			"同一项只能写一次：删去不对的那一行", "a setting may be given once: delete the wrong line")
	}
	l.defs[path] = start
	if _, p := l.blank(false); p != nil {
		return p
	}
	if p := l.value(path, name, start, ctx); p != nil {
		return p
	}
	if ctx == top {
		return l.endOfLine()
	}
	return nil
}

func (l *lint) notKeyHint() string {
	if l.frontMatter {
		return "设置区（两个 +++ 之间）每行写一项：名称 = 值，如 title = \"…\"；正文要写在第二个 +++ 下面"
	}
	return "每行写一项设置：名称 = 值，如 title = \"…\"；说明文字前面加 #"
}

func (l *lint) notKeyHintEn() string {
	if l.frontMatter {
		return "between the +++ lines write one setting a line: name = value, e.g. title = \"…\"; the text goes below the second +++"
	}
	return "write one setting a line: name = value, e.g. title = \"…\"; put # before a remark"
}

// notAKey explains a line that does not start with a name.
func (l *lint) notAKey(start int) *problem {
	c := l.peek()
	if c == '=' {
		return prob(start, "等号前面缺少名称", "the name before = is missing", "写成 名称 = 值，如 present = 41", "write name = value, e.g. present = 41")
	}
	if p := l.odd(c); p != nil {
		return p
	}
	line := l.restOfLine(start)
	word := line
	if i := strings.IndexAny(line, "=＝：:"); i > 0 {
		word = strings.TrimSpace(line[:i])
		if en, ok := chineseKeys[word]; ok {
			value := strings.TrimSpace(strings.TrimLeft(line[i:], "=＝：:"))
			return prob(start, fmt.Sprintf("设置项的名称要用英文，不能写“%s”", word), fmt.Sprintf("setting names are in English, not “%s”", word),
				fmt.Sprintf("改成 %s = %s", en, value), fmt.Sprintf("write %s = %s", en, value))
		}
		return prob(start, fmt.Sprintf("设置项的名称要用英文字母，不能写“%s”", word), fmt.Sprintf("setting names are written in ASCII letters, not “%s”", word),
			"请对照模板或示例，写成 名称 = 值，如 title = \"…\"", "follow the template: name = value, e.g. title = \"…\"")
	}
	return prob(start, "这一行不是“名称 = 值”的写法", "this line is not of the form name = value", l.notKeyHint(), l.notKeyHintEn())
}

func (l *lint) value(path, name string, keyOff int, ctx context) *problem {
	c := l.peek()
	switch {
	case c == -1 || c == '\n' || c == '\r' || c == '#' || c == ',' && ctx != top || c == '}' && ctx == inInline:
		return prob(keyOff, fmt.Sprintf("%s = 后面没有写值", name), fmt.Sprintf("nothing is written after %s =", name),
			fmt.Sprintf("补上值，如 %s = %s；不需要这一项时删去这一行", name, example(name)), fmt.Sprintf("write a value, e.g. %s = %s; delete the line if it is not needed", name, example(name)))
	case c == '"' || c == '\'':
		return l.str(name, keyOff, ctx)
	case strings.ContainsRune("“”‘’＂＇「」『』", c):
		return l.wideQuote(name, ctx)
	case c == '[':
		return l.array(path, name, keyOff)
	case c == '{':
		return l.inline(path)
	}
	return l.scalar(name, ctx)
}

// example is a sample value for a key, for hints.
func example(name string) string {
	switch name {
	case "date", "from", "to", "adopted_on", "filed_on", "unpublish_after":
		return "2026-07-08"
	case "amount", "opening", "closing", "major_amount":
		return `"1234.50"`
	case "expected", "present", "for", "against", "abstain", "notice_min_days", "due_days":
		return "26"
	case "personal", "draft", "unsafe_html":
		return "true"
	case "tags", "attachments", "sum", "stages":
		return `["…", "…"]`
	}
	return `"…"`
}

func (l *lint) wideQuote(name string, ctx context) *problem {
	start := l.i
	rest := l.restOfLine(start)
	_, w := utf8.DecodeRuneInString(rest)
	inner := rest[w:]
	if j := strings.IndexAny(inner, "“”‘’＂＇「」『』"); j >= 0 {
		inner = inner[:j]
	} else if j := strings.IndexAny(inner, ",}]#"); j >= 0 && ctx != top {
		inner = inner[:j]
	}
	fix := fmt.Sprintf("%s = \"%s\"", name, strings.TrimSpace(inner))
	if ctx == inArray {
		fix = fmt.Sprintf("\"%s\"", strings.TrimSpace(inner))
	}
	return prob(start, fmt.Sprintf("文字要用英文双引号 \" 括起来，不能用中文引号 %s", rest[:w]),
		fmt.Sprintf("text is enclosed in ASCII double quotes \", not in Chinese quotes %s", rest[:w]),
		fmt.Sprintf("改成 %s（在英文输入法下输入引号）", fix), fmt.Sprintf("write %s (type the quotes with an English keyboard layout)", fix))
}

// str reads a quoted string.
func (l *lint) str(name string, keyOff int, ctx context) *problem {
	start := l.i
	q := l.src[l.i]
	triple := strings.Repeat(string(q), 3)
	if strings.HasPrefix(l.src[l.i:], triple) {
		end := strings.Index(l.src[l.i+3:], triple)
		if end < 0 {
			return prob(start, fmt.Sprintf("这里开始的多行文字 %s 没有结束", triple), fmt.Sprintf("the multi-line text opened here with %s is not closed", triple),
				fmt.Sprintf("在多行文字的末尾另起一行写 %s", triple), fmt.Sprintf("close it with %s on a line after the text", triple))
		}
		l.i += 3 + end + 3
		for strings.HasPrefix(l.src[l.i:], string(q)) { // up to two more quotes belong to the text
			l.i++
		}
		return nil
	}
	l.i++
	for !l.eof() {
		c := l.src[l.i]
		switch {
		case c == q:
			l.i++
			if ctx == top {
				return l.afterString(start, name)
			}
			return nil
		case c == '\n':
			return l.openString(start, name)
		case c == '\\' && q == '"':
			if p := l.escape(name); p != nil {
				return p
			}
			continue
		case c < 0x20 && c != '\t' || c == 0x7f:
			return l.odd(rune(c))
		}
		l.i++
	}
	return l.openString(start, name)
}

// escape checks the escape sequence at l.i and moves past it.
func (l *lint) escape(name string) *problem {
	at := l.i
	l.i++
	if l.eof() {
		return nil
	}
	c := l.src[l.i]
	n := 0
	switch c {
	case 'b', 't', 'n', 'f', 'r', 'e', '"', '\\':
		l.i++
		return nil
	case 'x':
		n = 2
	case 'u':
		n = 4
	case 'U':
		n = 8
	}
	if n > 0 && l.i+1+n <= len(l.src) && isHex(l.src[l.i+1:l.i+1+n]) {
		l.i += 1 + n
		return nil
	}
	r, _ := utf8.DecodeRuneInString(l.src[l.i:])
	return prob(at, fmt.Sprintf("双引号里的反斜杠 \\ 有特殊含义，“\\%c”不能这样写", r), fmt.Sprintf("a backslash \\ has a special meaning inside double quotes; “\\%c” is not allowed", r),
		fmt.Sprintf("把 \\ 改成 /，或把文字改用英文单引号括起来（如 %s = '…'）", name),
		fmt.Sprintf("write / instead of \\, or enclose the text in single quotes (%s = '…')", name))
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune("0123456789abcdefABCDEF", rune(s[i])) {
			return false
		}
	}
	return true
}

// afterString checks what follows a closed string on its line: a second
// quote means the text held an ASCII quote of its own.
func (l *lint) afterString(start int, name string) *problem {
	save := l.i
	l.blank(false)
	if l.eof() || l.src[l.i] == '\n' || l.src[l.i] == '#' {
		l.i = save
		return nil
	}
	rest := l.restOfLine(start)
	if last := strings.LastIndexByte(rest, '"'); last > 0 && strings.Count(rest, `"`) > 2 && save == l.i {
		inner := rest[1:last]
		var b strings.Builder
		open := true
		for _, r := range inner {
			if r == '"' {
				if open {
					b.WriteString("“")
				} else {
					b.WriteString("”")
				}
				open = !open
				continue
			}
			b.WriteRune(r)
		}
		fix := fmt.Sprintf("%s = \"%s\"", name, b.String())
		return prob(save-1, "文字中间又出现了英文双引号 \"，文字在这里就结束了", "an ASCII double quote inside the text ends it here",
			fmt.Sprintf("文字里的引号请改用中文引号“”：%s", fix), fmt.Sprintf("use Chinese quotes “” inside the text: %s", fix))
	}
	l.i = save
	return l.endOfLine()
}

// keyLine matches a line that starts a new setting or table.
var keyLine = regexp.MustCompile(`^[ \t]*(?:[A-Za-z0-9_-]+(?:[ \t]*\.[ \t]*[A-Za-z0-9_-]+)*[ \t]*=|\[|\+\+\+)`)

// openString explains a string whose closing quote is not on its line:
// either the text runs on over a line break (closed on a later line) or
// the quote was forgotten.
func (l *lint) openString(start int, name string) *problem {
	q := l.src[start]
	rest := l.src[start+1:]
	nl := strings.IndexByte(rest, '\n')
	for off := nl; off >= 0 && off+1 < len(rest); {
		next := rest[off+1:]
		end := strings.IndexByte(next, '\n')
		line := next
		if end >= 0 {
			line = next[:end]
		}
		if keyLine.MatchString(line) {
			break
		}
		if strings.IndexByte(line, q) >= 0 {
			endLine := l.fileLine(start + 1 + off + 1)
			triple := strings.Repeat(string(q), 3)
			return prob(start, fmt.Sprintf("文字不能在引号里换行：第 %d 行开始的 %c 到第 %d 行才结束", l.fileLine(start), q, endLine),
				fmt.Sprintf("text cannot break across lines inside quotes: the %c opened on line %d closes on line %d", q, l.fileLine(start), endLine),
				fmt.Sprintf("分几行写的文字要用三个引号括起来：%s = %s（另起一行写文字，最后一行写 %s）", name, triple, triple),
				fmt.Sprintf("enclose text of several lines in three quotes: %s = %s, the text on the next lines, then %s", name, triple, triple))
		}
		if end < 0 {
			break
		}
		off += 1 + end + 1
	}
	return prob(start, fmt.Sprintf("这里的 %c 没有结束：文字要在同一行里用 %c 收尾", q, q), fmt.Sprintf("the %c opened here is not closed on its line", q),
		fmt.Sprintf("在文字末尾补上 %c，如 %s = %c…%c", q, name, q, q), fmt.Sprintf("close the text with %c, e.g. %s = %c…%c", q, name, q, q))
}

func (l *lint) array(path, name string, keyOff int) *problem {
	open := l.i
	l.i++
	unclosed := func() *problem {
		return prob(open, "这里的 [ 没有对应的 ]", "the [ opened here is never closed",
			fmt.Sprintf("在列表最后一项后面补上 ]，如 %s = %s", name, example(name)),
			fmt.Sprintf("close the list with ] after its last item, e.g. %s = %s", name, example(name)))
	}
	for n := 0; ; n++ {
		crossed, p := l.blank(true)
		if p != nil {
			return p
		}
		if l.eof() {
			return unclosed()
		}
		if l.src[l.i] == ']' {
			l.i++
			return nil
		}
		if crossed && keyLine.MatchString(l.restOfLine(l.i)) && l.src[l.i] != '[' {
			return unclosed()
		}
		if p := l.value(fmt.Sprintf("%s[%d]", path, n), name, keyOff, inArray); p != nil {
			return p
		}
		crossed, p = l.blank(true)
		if p != nil {
			return p
		}
		switch c := l.peek(); {
		case c == ',':
			l.i++
		case c == ']':
			l.i++
			return nil
		case c == '，' || c == '、':
			return prob(l.i, fmt.Sprintf("列表的各项之间要用英文逗号 , 隔开，这里用了“%c”", c), fmt.Sprintf("list items are separated by an ASCII comma, not “%c”", c),
				fmt.Sprintf("把“%c”换成 ,（在英文输入法下输入）", c), fmt.Sprintf("replace “%c” with ,", c))
		case c == -1 || crossed:
			return unclosed()
		default:
			return prob(l.i, "列表的各项之间要用英文逗号 , 隔开", "list items are separated by commas",
				fmt.Sprintf("如 %s = %s", name, example(name)), fmt.Sprintf("e.g. %s = %s", name, example(name)))
		}
	}
}

func (l *lint) inline(path string) *problem {
	open := l.i
	l.i++
	unclosed := func() *problem {
		return prob(open, "这里的 { 没有对应的 }", "the { opened here is never closed",
			"在最后一项后面补上 }，如 notice = { from = 2026-07-08, to = 2026-07-14 }", "close it with } after the last item, e.g. notice = { from = 2026-07-08, to = 2026-07-14 }")
	}
	for {
		_, p := l.blank(true)
		if p != nil {
			return p
		}
		if l.eof() {
			return unclosed()
		}
		if l.src[l.i] == '}' {
			l.i++
			return nil
		}
		if p := l.keyValue(path, inInline); p != nil {
			return p
		}
		crossed, p := l.blank(true)
		if p != nil {
			return p
		}
		switch c := l.peek(); {
		case c == ',':
			l.i++
		case c == '}':
			l.i++
			return nil
		case c == '，' || c == '、':
			return prob(l.i, fmt.Sprintf("{ } 里的各项之间要用英文逗号 , 隔开，这里用了“%c”", c), fmt.Sprintf("items inside { } are separated by an ASCII comma, not “%c”", c),
				fmt.Sprintf("把“%c”换成 ,", c), fmt.Sprintf("replace “%c” with ,", c))
		case c == -1 || crossed:
			return unclosed()
		default:
			return prob(l.i, "{ } 里的各项之间要用英文逗号 , 隔开", "items inside { } are separated by commas",
				"如 notice = { from = 2026-07-08, to = 2026-07-14 }", "e.g. notice = { from = 2026-07-08, to = 2026-07-14 }")
		}
	}
}

// scalar reads an unquoted value up to where it must end and explains it
// when it is not a valid number, date or true/false.
func (l *lint) scalar(name string, ctx context) *problem {
	start := l.i
	end := start
	for end < len(l.src) {
		c := l.src[end]
		if c == '\n' || c == '#' || ctx != top && (c == ',' || c == ']' || c == '}') {
			break
		}
		if ctx != top && strings.HasPrefix(l.src[end:], "，") {
			break
		}
		end++
	}
	tok := strings.TrimRight(l.src[start:end], " \t\r")
	l.i = start + len(tok)
	if validScalar(tok) {
		return nil
	}
	return explainValue(start, name, tok, ctx)
}

func validScalar(tok string) bool {
	var m map[string]any
	_, err := toml.Decode("v = "+tok, &m)
	return err == nil
}

var (
	reZhDate   = regexp.MustCompile(`^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?(?:\s*(\d{1,2})\s*[:：时点]\s*(\d{1,2})?\s*分?(?:\s*[:：]\s*(\d{1,2}))?)?$`)
	reSepDate  = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?$`)
	reUnit     = regexp.MustCompile(`^([+-]?[0-9,]*[0-9](?:\.[0-9]+)?)\s*(\S+)$`)
	reGrouped  = regexp.MustCompile(`^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$`)
	reDigits   = regexp.MustCompile(`^[+-]?[0-9_]+(?:\.[0-9_]+)?(?:[eE][+-]?[0-9]+)?$`)
	reTextLike = regexp.MustCompile(`^[\p{L}\p{N}\p{Han}_\-·（）()、\s]+$`)
)

// amountKey reports whether a key holds money.
func amountKey(name string) bool {
	switch name {
	case "amount", "opening", "closing", "major_amount":
		return true
	}
	return false
}

// explainValue says what is wrong with an unquoted value tok at off.
func explainValue(off int, name, tok string, ctx context) *problem {
	if m := reZhDate.FindStringSubmatch(tok); m != nil {
		return dateProblem(off, name, tok, m[1:], true)
	}
	if m := reSepDate.FindStringSubmatch(tok); m != nil {
		return dateProblem(off, name, tok, m[1:], false)
	}
	if strings.ContainsAny(tok, "０１２３４５６７８９") {
		fixed := strings.Map(func(r rune) rune {
			if r >= '０' && r <= '９' {
				return '0' + r - '０'
			}
			if r == '．' {
				return '.'
			}
			return r
		}, tok)
		return prob(off, fmt.Sprintf("数字要用半角（英文输入法下的）数字，这里写的是“%s”", tok), fmt.Sprintf("numbers are written with ASCII digits, not “%s”", tok),
			fmt.Sprintf("改成 %s = %s", name, quoteIfAmount(name, fixed)), fmt.Sprintf("write %s = %s", name, quoteIfAmount(name, fixed)))
	}
	if reDigits.MatchString(tok) {
		digits := strings.TrimLeft(strings.ReplaceAll(tok, "_", ""), "+-")
		if len(digits) > 1 && digits[0] == '0' && digits[1] != '.' {
			fixed := strings.TrimLeft(digits, "0")
			if fixed == "" || fixed[0] == '.' {
				fixed = "0" + fixed
			}
			return prob(off, fmt.Sprintf("数字 %s 不能以 0 开头", tok), fmt.Sprintf("the number %s cannot start with 0", tok),
				fmt.Sprintf("改成 %s = %s", name, quoteIfAmount(name, fixed)), fmt.Sprintf("write %s = %s", name, quoteIfAmount(name, fixed)))
		}
		if amountKey(name) {
			return prob(off, fmt.Sprintf("数字 %s 太大，超出了能处理的范围", tok), fmt.Sprintf("the number %s is too large to handle", tok),
				fmt.Sprintf("金额请写成带英文双引号的文字，如 %s = \"1234.50\"，并核对位数", name), fmt.Sprintf("write amounts in quotes, e.g. %s = \"1234.50\", and check the digits", name))
		}
		return prob(off, fmt.Sprintf("数字 %s 太大，超出了能处理的范围", tok), fmt.Sprintf("the number %s is too large to handle", tok),
			"请核对这个数字是否多写了位数", "check whether the number has too many digits")
	}
	if reGrouped.MatchString(tok) {
		return prob(off, fmt.Sprintf("带千位逗号的数字要加英文双引号：“%s”", tok), fmt.Sprintf("a number with thousands commas must be quoted: “%s”", tok),
			fmt.Sprintf("改成 %s = \"%s\"（或不用逗号：%s = \"%s\"）", name, tok, name, strings.ReplaceAll(tok, ",", "")),
			fmt.Sprintf("write %s = \"%s\" (or without commas: %s = \"%s\")", name, tok, name, strings.ReplaceAll(tok, ",", "")))
	}
	if m := reUnit.FindStringSubmatch(tok); m != nil && !strings.ContainsAny(m[2], "=\"'") {
		num := strings.ReplaceAll(m[1], ",", "")
		return prob(off, fmt.Sprintf("这里只写数字，不能带“%s”", m[2]), fmt.Sprintf("write the number only, without “%s”", m[2]),
			fmt.Sprintf("改成 %s = %s", name, quoteIfAmount(name, num)), fmt.Sprintf("write %s = %s", name, quoteIfAmount(name, num)))
	}
	numeral := strings.TrimRight(tok, "人票名户个元")
	if n, ok := zh.ParseNumeral(numeral); ok && !amountKey(name) {
		return prob(off, fmt.Sprintf("数字要用阿拉伯数字写：“%s”应写成 %d", tok, n), fmt.Sprintf("write numbers with digits: “%s” is %d", tok, n),
			fmt.Sprintf("改成 %s = %d", name, n), fmt.Sprintf("write %s = %d", name, n))
	}
	switch strings.ToLower(tok) {
	case "true", "false", "yes", "no", "是", "否", "对", "错", "真", "假", "有", "无":
		v := "true"
		if strings.ContainsAny(strings.ToLower(tok), "fn否错假无") {
			v = "false"
		}
		return prob(off, fmt.Sprintf("这里只能写 true（是）或 false（否），不能写“%s”", tok), fmt.Sprintf("write true or false here, not “%s”", tok),
			fmt.Sprintf("改成 %s = %s", name, v), fmt.Sprintf("write %s = %s", name, v))
	}
	if fields := strings.Fields(tok); len(fields) > 1 && validScalar(fields[0]) {
		rest := strings.TrimSpace(tok[len(fields[0]):])
		restOff := off + strings.Index(tok[len(fields[0]):], rest) + len(fields[0])
		if strings.Contains(rest, "=") {
			return prob(restOff, fmt.Sprintf("一行只能写一项设置：“%s”要另起一行", rest), fmt.Sprintf("one setting a line: put “%s” on a line of its own", rest),
				"在它前面换行", "start a new line before it")
		}
		return prob(restOff, fmt.Sprintf("这一项后面多了“%s”", rest), fmt.Sprintf("there is more after the value: “%s”", rest),
			"删去多余的文字；要写说明，请在前面加 #", "delete the extra text; to add a remark, put # before it")
	}
	if reTextLike.MatchString(tok) {
		if amountKey(name) {
			return prob(off, fmt.Sprintf("金额只能写数字，这里写的是“%s”", tok), fmt.Sprintf("an amount is digits only, not “%s”", tok),
				fmt.Sprintf("改成 %s = \"1234.50\" 这样的数字", name), fmt.Sprintf("write a number like %s = \"1234.50\"", name))
		}
		fix, fixEn := fmt.Sprintf("%s = \"%s\"", name, tok), fmt.Sprintf("%s = \"%s\"", name, tok)
		if ctx == inArray {
			fix, fixEn = fmt.Sprintf("\"%s\"（列表的每一项都要加引号）", tok), fmt.Sprintf("\"%s\" (every item of a list is quoted)", tok)
		}
		return prob(off, fmt.Sprintf("文字要用英文双引号括起来：“%s”", tok), fmt.Sprintf("text must be enclosed in double quotes: “%s”", tok),
			"改成 "+fix, "write "+fixEn)
	}
	return prob(off, fmt.Sprintf("“%s”不是有效的值", tok), fmt.Sprintf("“%s” is not a valid value", tok),
		fmt.Sprintf("文字加英文双引号（%s = \"…\"），数字直接写（26），日期写成 2026-07-08", name),
		fmt.Sprintf("put text in double quotes (%s = \"…\"), numbers as digits (26), dates as 2026-07-08", name))
}

func quoteIfAmount(name, v string) string {
	if amountKey(name) {
		return `"` + v + `"`
	}
	return v
}

// dateProblem explains a date written as 2026年7月16日, 2026/7/16 or
// 2026-02-30: the form to use, or the part that does not exist.
func dateProblem(off int, name, tok string, m []string, chinese bool) *problem {
	n := make([]int, len(m))
	for i, s := range m {
		n[i], _ = strconv.Atoi(s)
	}
	y, mo, d := n[0], n[1], n[2]
	hasTime := m[3] != ""
	if what, en := impossible(y, mo, d, n[3], n[4], n[5], hasTime); what != "" {
		return prob(off, fmt.Sprintf("日期“%s”不存在：%s", tok, what), fmt.Sprintf("the date “%s” does not exist: %s", tok, en),
			"请核对年、月、日，日期写成 2026-07-08 这样的格式（年-月-日）", "check the year, month and day; write dates like 2026-07-08")
	}
	fix := fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
	if hasTime {
		fix += fmt.Sprintf("T%02d:%02d:%02d", n[3], n[4], n[5])
	}
	return prob(off, fmt.Sprintf("日期要写成 %s 这样（年-月-日，月和日各两位），不能写“%s”", fix, tok),
		fmt.Sprintf("write the date as %s (year-month-day, two digits each for month and day), not “%s”", fix, tok),
		fmt.Sprintf("改成 %s = %s（不加引号）", name, fix), fmt.Sprintf("write %s = %s (without quotes)", name, fix))
}

// impossible names what does not exist in a date and time, in Chinese and
// English, or returns "".
func impossible(y, mo, d, hh, mm, ss int, hasTime bool) (string, string) {
	switch {
	case mo < 1 || mo > 12:
		return fmt.Sprintf("一年只有 12 个月，没有 %d 月", mo), fmt.Sprintf("a year has 12 months, there is no month %d", mo)
	case d < 1:
		return "日不能是 0", "the day cannot be 0"
	case d > daysIn(y, mo):
		return fmt.Sprintf("%d年%d月只有 %d 天，没有 %d 日", y, mo, daysIn(y, mo), d), fmt.Sprintf("%d-%02d has %d days, there is no day %d", y, mo, daysIn(y, mo), d)
	case hasTime && (hh > 23 || mm > 59 || ss > 59):
		return fmt.Sprintf("时间 %02d:%02d 不存在：小时是 0 到 23，分钟和秒是 0 到 59", hh, mm), fmt.Sprintf("the time %02d:%02d does not exist: hours run 0–23, minutes and seconds 0–59", hh, mm)
	}
	return "", ""
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// DateText explains a date written as text in key ("2026年7月16日",
// "2026-02-30"), which a date field cannot take: the form to use, or the
// part of the date that does not exist. ok is false when s does not look
// like a date at all.
func DateText(key, s string) (msg, hint diag.Text, ok bool) {
	t := strings.TrimSpace(s)
	var p *problem
	if m := reZhDate.FindStringSubmatch(t); m != nil {
		p = dateProblem(0, key, t, m[1:], true)
	} else if m := reSepDate.FindStringSubmatch(t); m != nil {
		p = dateProblem(0, key, t, m[1:], false)
	}
	if p == nil {
		return msg, hint, false
	}
	return p.msg, p.hint, true
}
