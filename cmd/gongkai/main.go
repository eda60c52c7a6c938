// Command gongkai turns a community's transparency board — conventions,
// disclosures, 三重一大 decisions and meeting minutes kept as TOML + Markdown
// files — into a public website, printable notice sheets and a
// tamper-evident record of every version.
//
// Usage:
//
//	gongkai <command> [flags]
//
// Run `gongkai help` for the commands and `gongkai <command> --help` for
// their flags.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
