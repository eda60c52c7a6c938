package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/folder"
)

// Exit codes.
const (
	exitOK      = 0
	exitContent = 1
	exitUsage   = 2
)

type command struct {
	name, args, short string
	run               func(env *env, args []string) int
}

// env is what every command is given: its output streams and language.
type env struct {
	stdout, stderr io.Writer
	lang           diag.Lang
	// tuneGC: GOGC is not set, and a build may choose the collector's
	// targets (loadGC).
	tuneGC bool
}

// loadGC sets the collector's target for the loading of a build, and has
// opt set the one for its render. A build first loads the board, which
// stays in memory to the end: a collector that runs often then only
// marks the same records again and again. The render that follows makes
// garbage, and a low target keeps the peak memory down.
func (e *env) loadGC(opt *build.Options) {
	if e.tuneGC {
		debug.SetGCPercent(300)
		opt.RenderGC = 50 // as main sets for every command
	}
}

func (e *env) say(zh, en string, args ...any) {
	fmt.Fprintln(e.stderr, diag.T(zh, en, args...).In(e.lang))
}

func commands() []command {
	return []command{
		{"init", "[DIR] [--name 名称] [--issuer 发布单位] …", "新建一个公开栏（设置、示例和使用说明）/ start a new board", cmdInit},
		{"build", "[--src content] [--out public] [--strict] [--date YYYY-MM-DD] [--base-url URL] [--offline]", "检查全部内容并生成网站和打印版 / validate and build the site", cmdBuild},
		{"serve", "[--src content] [--port 1313] [--drafts]", "本地预览，保存即刷新 / live preview on 127.0.0.1", cmdServe},
		{"new", "[--bundle] <section> <slug>", "按模板新建一条记录；--bundle 建成文件夹，可放表格和附件 / write a new record from the template", cmdNew},
		{"check", "[--src content] [--json] [--date YYYY-MM-DD]", "只检查不生成 / validate without writing", cmdCheck},
		{"publish", "-m \"说明\" [--withdraw id=\"原因\"] [--key FILE]", "登记一次发布 / register a release in the ledger", cmdPublish},
		{"verify", "[--site public|URL] [--since CHECKPOINT] [--key KEY]", "核验账本、签名和网站 / verify the ledger, its signatures and the site", cmdVerify},
		{"key", "new|show [--witness NAME]", "生成或显示签名密钥 / make or show a signing key", cmdKey},
		{"cosign", "[--site URL|DIR] | --add FILE", "副署检查点（街道、监督委员会）/ cosign a checkpoint as a witness", cmdCosign},
		{"deploy", "[--target NAME] [--dry-run] [--no-delete] [--build]", "上传网站到 site.toml 的 [[deploy]] 目标 / upload the site to its [[deploy]] targets", cmdDeploy},
		{"print", "[--pdf] [ids…]", "打印版（PDF）/ print sheets, as PDF", cmdPrint},
		{"theme", "new NAME", "复制默认主题，做自己的样式 / start the board's own theme from the default", cmdTheme},
		{"version", "", "版本信息 / version and build info", cmdVersion},
	}
}

func run(args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, lang: diag.ParseLang(os.Getenv("GONGKAI_LANG")), tuneGC: os.Getenv("GOGC") == ""}
	// --lang may stand anywhere.
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--lang" || a == "-lang":
			if i+1 < len(args) {
				e.lang = diag.ParseLang(args[i+1])
				i++
			}
		case strings.HasPrefix(a, "--lang=") || strings.HasPrefix(a, "-lang="):
			e.lang = diag.ParseLang(a[strings.IndexByte(a, '=')+1:])
		default:
			rest = append(rest, a)
		}
	}
	if len(rest) == 0 || rest[0] == "help" || rest[0] == "-h" || rest[0] == "--help" {
		if len(rest) > 1 {
			return run([]string{rest[1], "--help"}, stdout, stderr)
		}
		usage(e, stdout)
		if len(rest) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == rest[0] {
			return c.run(e, rest[1:])
		}
	}
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	e.say("没有 %q 这个命令。", "unknown command %q.", rest[0])
	if s := diag.Suggest(rest[0], names); s != "" {
		e.say("是不是想用 gongkai %s？", "did you mean gongkai %s?", s)
	}
	e.say("运行 gongkai help 查看全部命令。", "run gongkai help for the commands.")
	return exitUsage
}

func usage(e *env, w io.Writer) {
	if e.lang == diag.En {
		fmt.Fprintln(w, "gongkai — build a community transparency board: website, print sheets, versioned ledger.\n\nUsage: gongkai <command> [flags]   (--lang en for English messages)\n\nCommands:")
	} else {
		fmt.Fprintln(w, "gongkai（公开）—— 把居务/村务公开栏做成网站、打印版和可核验的版本记录。\n\n用法：gongkai <命令> [选项]   （加 --lang en 显示英文）\n\n命令：")
	}
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n           %s\n", c.name, c.args, c.short)
	}
	fmt.Fprintln(w, "\n"+diag.T("每个命令的选项：gongkai <命令> --help", "flags of a command: gongkai <command> --help").In(e.lang))
}

// flags makes a FlagSet whose errors and --help print in the user's
// language and exit with code 2.
func (e *env) flags(name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "gongkai %s %s\n\n%s\n\n", name, args, about)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags, allowing them after positional arguments too. It
// returns ok false with the exit code when parsing ended the command.
func parse(fs *flag.FlagSet, args []string) (pos []string, code int, ok bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			return nil, exitUsage, false
		}
		if fs.NArg() == 0 {
			return pos, 0, true
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

type commonFlags struct {
	src  *string
	date *string
}

func addCommon(fs *flag.FlagSet) commonFlags {
	return commonFlags{
		src:  fs.String("src", "content", "内容文件夹 / the content folder"),
		date: fs.String("date", "", "把这一天当作“今天”（YYYY-MM-DD），用于可重复的生成 / fix today's date"),
	}
}

func (e *env) today(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		e.say("--date 应写成 2026-11-27 这样的日期：%q", "--date must look like 2026-11-27: %q", s)
		return time.Time{}, false
	}
	return t, true
}

// srcFS opens the content folder: everything is read and written through
// it, and nothing outside it. The caller closes it.
func (e *env) srcFS(src string) (*folder.Folder, bool) {
	st, err := os.Stat(src)
	if err != nil || !st.IsDir() {
		e.say("找不到内容文件夹 %s。请在项目文件夹里运行，或用 --src 指定。", "content folder %s not found; run in the project folder or use --src.", src)
		return nil, false
	}
	if abs, err := filepath.Abs(src); err == nil {
		src = abs
	}
	f, err := folder.Open(src)
	if err != nil {
		e.say("无法打开内容文件夹 %s：%v", "cannot open the content folder %s: %v", src, err)
		return nil, false
	}
	return f, true
}

// open reads the common flags: the build date and the content folder,
// which the caller closes.
func (e *env) open(c commonFlags) (today time.Time, src *folder.Folder, ok bool) {
	if today, ok = e.today(*c.date); !ok {
		return
	}
	src, ok = e.srcFS(*c.src)
	return
}

// noArgs refuses positional arguments to a command that takes none.
func (e *env) noArgs(name string, pos []string) bool {
	if len(pos) == 0 {
		return true
	}
	e.say("%s 不接受参数 %q", "%s takes no arguments: %q", name, strings.Join(pos, " "))
	return false
}

// terminal reports whether the command's stderr is a terminal: progress
// is shown there, and nowhere else.
func (e *env) terminal() bool {
	f, ok := e.stderr.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progress shows a running count of the files written while a build
// runs, on a terminal only; it returns the function that ends it.
func (e *env) progress(opt *build.Options) (stop func()) {
	if !e.terminal() {
		return func() {}
	}
	f := e.stderr.(*os.File)
	var n atomic.Int64
	opt.Progress = func(string) { n.Add(1) }
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprint(f, "\r\033[K")
				return
			case <-t.C:
				fmt.Fprintf(f, "\r%s", diag.T("生成中：已写入 %d 个文件…", "building: %d files written…", n.Load()).In(e.lang))
			}
		}
	}()
	return func() { close(done); <-finished }
}

// fail says that something failed because of err, an error of the
// system, in plain words with the fix: zh and en start the sentence
// ("生成失败：", "build failed: ").
func (e *env) fail(zh, en string, err error) {
	var d diag.Diagnostic
	if errors.As(err, &d) {
		// A problem with its place (a theme's template): the place, what
		// is wrong and the fix.
		fmt.Fprintln(e.stderr, strings.TrimRight(diag.Text{Zh: zh, En: en}.In(e.lang), "：: ")+diag.T("。", ".").In(e.lang))
		e.report(diag.List{d})
		return
	}
	msg, hint := diag.SysError(err)
	fmt.Fprintln(e.stderr, diag.Text{Zh: zh + msg.Zh, En: en + msg.En}.In(e.lang))
	if h := hint.In(e.lang); h != "" {
		fmt.Fprintln(e.stderr, diag.T("    提示：", "    hint: ").In(e.lang)+h)
	}
}

func (e *env) report(ds diag.List) {
	ds.Print(e.stderr, e.lang)
}

func cmdVersion(e *env, args []string) int {
	fs := e.flags("version", "", "版本信息 / version and build info")
	if _, code, ok := parse(fs, args); !ok {
		return code
	}
	v, goV, rev := "(devel)", "", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		goV = bi.GoVersion
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				rev = s.Value
			}
		}
	}
	fmt.Fprintf(e.stdout, "gongkai %s", v)
	if rev != "" {
		fmt.Fprintf(e.stdout, " (%s)", rev[:min(len(rev), 12)])
	}
	fmt.Fprintf(e.stdout, " %s\n", goV)
	return exitOK
}
