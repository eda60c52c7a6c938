package main

import (
	"gongkai/generator/diag"
	"gongkai/generator/record"
)

// ledgerCheck verifies the ledger for `check`.
func ledgerCheck(src string, board *record.Board) diag.List { return nil }

func cmdPublish(e *env, args []string) int {
	e.say("publish 尚未完成", "publish is not ready")
	return exitUsage
}
func cmdVerify(e *env, args []string) int {
	e.say("verify 尚未完成", "verify is not ready")
	return exitUsage
}
