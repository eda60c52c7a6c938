package main

func cmdServe(e *env, args []string) int {
	e.say("serve 尚未完成", "serve is not ready")
	return exitUsage
}
