package render

import (
	"errors"
	"io"
	"io/fs"
	"regexp"
	"strconv"
	"strings"

	"gongkai/generator/diag"
)

// TemplateError is an error of a theme's template: the file under the
// theme ("templates/record.html"), the line and column, and what
// html/template or text/template said.
type TemplateError struct {
	File      string
	Line, Col int
	Msg       string
	Err       error
}

func (e *TemplateError) Error() string { return e.Err.Error() }
func (e *TemplateError) Unwrap() error { return e.Err }

// templatePos finds the innermost "template: NAME:LINE:COL: " (or
// "html/template:NAME:LINE:COL: ") of an error: a partial's error comes
// wrapped in the error of the template that called it.
var templatePos = regexp.MustCompile(`(?:html/)?template: ?([^:\s"]+):(\d+):(?:(\d+):)? `)

// newTemplateError reads the place of err in the theme.
func newTemplateError(err error) *TemplateError {
	var te *TemplateError
	if errors.As(err, &te) {
		return te
	}
	e := &TemplateError{Err: err, Msg: err.Error()}
	text := err.Error()
	ms := templatePos.FindAllStringSubmatchIndex(text, -1)
	if len(ms) == 0 {
		return e
	}
	m := ms[len(ms)-1]
	e.File = fileOf(text[m[2]:m[3]])
	e.Line, _ = strconv.Atoi(text[m[4]:m[5]])
	if m[6] >= 0 {
		e.Col, _ = strconv.Atoi(text[m[6]:m[7]])
	}
	e.Msg = text[m[1]:]
	return e
}

// The problems a theme's author meets most, in plain words.
var templateProblems = []struct {
	re     *regexp.Regexp
	zh, en string
	hint   diag.Text
}{
	{regexp.MustCompile(`can't evaluate field (\w+) in type \*?(?:\w+\.)?(\S+)`), "没有字段 .%[1]s（这里的数据是 %[2]s）", "there is no field .%[1]s (the data here is %[2]s)",
		diag.T("每个模板能用的字段和类型见 docs/themes.md；字段名区分大小写", "docs/themes.md lists the fields and types of every template; names are case-sensitive")},
	{regexp.MustCompile(`nil pointer evaluating (\S+)\.(\w+)`), "%[1]s 是空的（不是每条记录都有），不能取它的 .%[2]s", "%[1]s is empty here (not every record has it), so it has no .%[2]s",
		diag.T("先用 {{with …}} 或 {{if …}} 判断它有没有", "test it first with {{with …}} or {{if …}}")},
	{regexp.MustCompile(`function "(\w+)" not defined`), "没有函数 %[1]s", "there is no function %[1]s",
		diag.T("模板能用的函数见 docs/themes.md", "docs/themes.md lists the functions templates can use")},
	{regexp.MustCompile(`wrong number of args for (\w+): want (\d+) got (\d+)`), "%[1]s 要 %[2]s 个参数，这里给了 %[3]s 个", "%[1]s takes %[2]s arguments, %[3]s given",
		diag.T("见 docs/themes.md 里的函数说明", "see the functions in docs/themes.md")},
	{regexp.MustCompile(`no such template "([^"]+)"`), "没有名为 %[1]s 的模板", "there is no template %[1]s",
		diag.T("部件放在 templates/partials/ 里，用 {{template \"partials/名字.html\" .}} 引用", "partials live in templates/partials/ and are used as {{template \"partials/NAME.html\" .}}")},
	{regexp.MustCompile(`no template "([^"]+)" associated`), "没有名为 %[1]s 的模板", "there is no template %[1]s",
		diag.T("部件放在 templates/partials/ 里，用 {{template \"partials/名字.html\" .}} 引用", "partials live in templates/partials/ and are used as {{template \"partials/NAME.html\" .}}")},
	{regexp.MustCompile(`bad character (U\+[0-9A-F]+ '.*')`), "{{ 和 }} 之间出现了 %[1]s：是不是少写了 }}？", "%[1]s inside {{ }}: is a }} missing?",
		diag.T("每个 {{ 都要有配对的 }}", "every {{ needs its }}")},
	{regexp.MustCompile(`(unexpected .*|unclosed action.*|unterminated .*|missing value for .*)`), "写法有误：%[1]s", "syntax error: %[1]s",
		diag.T("检查 {{ 和 }} 是否成对、{{if}} {{range}} {{with}} 是否都有 {{end}}", "check that every {{ has its }} and every {{if}}, {{range}}, {{with}} its {{end}}")},
}

// Diagnostic returns the error as a diagnostic at the theme file that
// holds it. origin, when not nil, turns a theme path into the file the
// clerk edits and says whether it is the board's own (else it is the
// default theme's).
func (e *TemplateError) Diagnostic(origin func(string) (string, bool)) diag.Diagnostic {
	file, own := e.File, false
	if origin != nil && file != "" {
		file, own = origin(e.File)
	}
	where := diag.T("默认主题的模板", "the default theme's template")
	if own {
		where = diag.T("主题模板", "the theme's template")
	}
	msg := strings.TrimSpace(e.Msg)
	if i := strings.LastIndex(msg, "error calling "); i >= 0 && !strings.Contains(msg[i:], "template: ") {
		msg = msg[i:]
	}
	text := diag.T("%s", "%s", msg)
	hint := diag.T("改正模板后再生成；模板能用的字段见 docs/themes.md", "fix the template and build again; docs/themes.md lists what templates can use")
	for _, p := range templateProblems {
		if m := p.re.FindStringSubmatch(msg); m != nil {
			args := make([]any, len(m)-1)
			for i := range args {
				args[i] = m[i+1]
			}
			text, hint = diag.T(p.zh, p.en, args...), p.hint
			break
		}
	}
	d := diag.Errorf(diag.Position{File: file, Line: e.Line, Col: e.Col}, "%s出错：%s", "%s is wrong: %s", where.Zh, text.Zh)
	d.Msg.En = where.En + " is wrong: " + text.En
	d.Hint = hint
	return d.Wrap(e.Err)
}

// origin returns the theme's Origin, when the theme tells where its
// files come from.
func origin(theme fs.FS) func(string) (string, bool) {
	if o, ok := theme.(interface{ Origin(string) (string, bool) }); ok {
		return o.Origin
	}
	return nil
}

// templateProblem returns err, an error of a template of theme, as a
// diagnostic at the theme file.
func templateProblem(theme fs.FS, err error) error {
	var d diag.Diagnostic
	if errors.As(err, &d) {
		return err
	}
	return newTemplateError(err).Diagnostic(origin(theme))
}

// pageProblem explains the failure err of the page template name on p:
// the minified templates count lines differently, so the page is run
// again on the theme's templates as they are written, to find the place.
func (r *Renderer) pageProblem(name string, p *Page, err error) error {
	if raw, rerr := r.kit.tmpls.rawTemplates(); rerr == nil {
		if parts, perr := newPartials(raw, &r.bufs); perr == nil && parts.pages[name] != nil {
			if again := parts.pages[name].ExecuteTemplate(io.Discard, "page", p); again != nil {
				err = again
			}
		}
	}
	d := newTemplateError(err).Diagnostic(origin(r.kit.theme))
	d.Msg.Zh += "（生成 " + p.Path + " 时）"
	d.Msg.En += " (making " + p.Path + ")"
	return d
}

// Text runs the theme's text template name ("feed.xml", "robots.txt")
// with data.
func (r *Renderer) Text(name string, data any) ([]byte, error) {
	b, err := r.kit.tmpls.Text(name, data)
	if err != nil {
		return nil, templateProblem(r.kit.theme, err)
	}
	return b, nil
}
