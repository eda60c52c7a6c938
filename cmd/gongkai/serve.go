package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"gongkai/generator/build"
	"gongkai/generator/preview"
)

func cmdServe(e *env, args []string) int {
	fs := e.flags("serve", "[--src content] [--port 1313] [--drafts] [--date YYYY-MM-DD]",
		"在本机 127.0.0.1 上预览网站；保存文件后只重新生成改动的部分，打开的浏览器自动刷新。内容有错误时，页面上方列出错误，仍显示上一次成功生成的页面。\nPreview the site on 127.0.0.1; saving a file rebuilds what changed and reloads open browsers. Content errors show over the last good build.")
	c := addCommon(fs)
	port := fs.Int("port", 1313, "端口 / the port")
	drafts := fs.Bool("drafts", false, "包括草稿 / include drafts")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !e.noArgs("serve", pos) {
		return exitUsage
	}
	if *port < 0 || *port > 65535 {
		e.say("--port 应在 0 到 65535 之间：%d", "--port must be between 0 and 65535: %d", *port)
		return exitUsage
	}
	today, src, ok := e.open(c)
	if !ok {
		return exitUsage
	}
	src.Close() // serve opens the folder itself, beside its watcher
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := preview.Serve(ctx, preview.Options{
		Dir: src.Dir(), Port: *port, Log: e.stderr, Lang: e.lang,
		Build: build.Options{Today: today, Drafts: *drafts},
	})
	if err != nil {
		e.fail("预览失败：", "serve failed: ", err)
		return exitContent
	}
	return exitOK
}
