package main

import (
	"gongkai/generator/build"
	"gongkai/generator/diag"
	"gongkai/generator/record"
)

// stages returns the outputs beyond the foundation for a build of src.
func stages(src string, opt build.Options) []build.Stage { return nil }

// ledgerCheck verifies the ledger for `check`.
func ledgerCheck(src string, board *record.Board) diag.List { return nil }

func cmdServe(e *env, args []string) int   { e.say("serve 尚未完成", "serve is not ready"); return exitUsage }
func cmdPublish(e *env, args []string) int { e.say("publish 尚未完成", "publish is not ready"); return exitUsage }
func cmdVerify(e *env, args []string) int  { e.say("verify 尚未完成", "verify is not ready"); return exitUsage }
func cmdPrint(e *env, args []string) int   { e.say("print 尚未完成", "print is not ready"); return exitUsage }
