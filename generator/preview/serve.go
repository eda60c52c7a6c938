package preview

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/editor"
	"gongkai/generator/folder"
)

// Options are the settings of Serve.
type Options struct {
	Dir   string        // the content folder on disk
	Port  int           // 0: any free port
	Build build.Options // Src is set to Dir
	Log   io.Writer     // the terminal; nil: stderr
	Lang  diag.Lang
	// Ready is called with the URL once the first build is served.
	Ready func(url string)
}

// Serve builds the site in memory, serves it on 127.0.0.1 and rebuilds
// on every change of the content folder until ctx ends.
func Serve(ctx context.Context, opt Options) error {
	log := opt.Log
	if log == nil {
		log = os.Stderr
	}
	say := func(zh, en string, args ...any) { fmt.Fprintln(log, diag.T(zh, en, args...).In(opt.Lang)) }
	src, err := folder.Open(opt.Dir)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer src.Close()
	opt.Build.Src = src.FS()
	w, err := Watch(opt.Dir)
	if err != nil {
		return fmt.Errorf("serve: watch %s: %w", opt.Dir, err)
	}
	defer w.Close()
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(opt.Port)))
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	b := NewBuilder(opt.Build, log, opt.Lang)
	defer b.Stop()
	s := NewServer(b)
	res, err := b.Full()
	if err != nil {
		ln.Close()
		return err
	}
	if res.Problems == nil {
		say("已生成 %d 个文件，用时 %s", "built %d files in %s", res.Pages, res.Took.Round(time.Millisecond))
	}
	ed, err := editor.New(editor.Options{Folder: src, Build: opt.Build, Addr: ln.Addr().String(), Lang: opt.Lang, Log: log})
	if err != nil {
		ln.Close()
		return fmt.Errorf("serve: %w", err)
	}
	srv := &http.Server{Handler: ed.Wrap(s), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	url := "http://" + ln.Addr().String() + "/"
	say("正在预览：%s （按 Ctrl+C 停止）", "serving at %s (Ctrl+C stops)", url)
	say("在浏览器里编辑：%s", "edit in the browser: %s", url+strings.TrimPrefix(editor.Prefix, "/"))
	if opt.Ready != nil {
		opt.Ready(url)
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		_ = w.Run(wctx, func(cs []Change) {
			had := len(b.Problems()) > 0
			res, err := b.Update(cs)
			switch {
			case err != nil:
				msg, hint := diag.SysError(err)
				fmt.Fprintln(log, diag.Text{Zh: "生成失败：" + msg.Zh + "；" + hint.Zh, En: "build failed: " + msg.En + "; " + hint.En}.In(opt.Lang))
			case res.Problems != nil:
				s.Reload()
			default:
				if had {
					say("错误已改正", "the errors are fixed")
				}
				say("已更新 %d 个页面，用时 %s", "updated %d pages in %s", res.Pages, res.Took.Round(100*time.Microsecond))
				s.Reload()
			}
		})
	}()
	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
	}
	sctx, stop := context.WithTimeout(context.Background(), time.Second)
	defer stop()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	return nil
}
