package main

import (
	"testing"

	"gongkai/generator/diag"
)

func TestWithLedgerDropsTheDuplicateWarning(t *testing.T) {
	build := diag.List{
		diag.Warnf(diag.Position{File: "a.md"}, "a 有未登记的修改", "a has an unregistered change"),
		diag.Warnf(diag.Position{File: "a.md"}, "文件不是 UTF-8 编码", "not UTF-8"),
		diag.Warnf(diag.Position{File: "b.md"}, "b 有未登记的修改", "b has an unregistered change"),
		diag.Errorf(diag.Position{File: "a.md", Line: 3}, "类别不对", "bad category"),
	}
	ledgerErrs := diag.List{diag.Errorf(diag.Position{File: "a.md"}, "未登记的修改", "unregistered change")}
	got := withLedger(build, ledgerErrs)
	if len(got) != 4 {
		t.Fatalf("got %d diagnostics, want 4: %v", len(got), got)
	}
	for _, d := range got {
		if d.Pos.File == "a.md" && d.Severity == diag.Warning && d.Msg.En == "a has an unregistered change" {
			t.Errorf("the build's warning about a.md should give way to the ledger error")
		}
	}
}
