package main

func cmdPrint(e *env, args []string) int {
	e.say("print 尚未完成", "print is not ready")
	return exitUsage
}
