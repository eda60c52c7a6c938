package config

import (
	"fmt"
	"strings"
	"testing"

	"gongkai/generator/ledger"
)

func TestLedgerKeys(t *testing.T) {
	_, board, _ := ledger.NewKey("example.org/qingshi")
	_, w1, _ := ledger.NewKey("青石街道办事处")
	_, other, _ := ledger.NewKey("example.org/other")
	head := "title = \"x\"\nissuer = \"y\"\nbase_url = \"https://Example.org/qingshi/\"\n[ledger]\n"

	s, ds := Parse(head + fmt.Sprintf("key = %q\nwitnesses = [%q]\n", board.Text, w1.Text))
	if ds.HasErrors() || s.Ledger.Origin != "example.org/qingshi" || s.Ledger.Board.Text != board.Text ||
		len(s.Ledger.Witnesses) != 1 || s.Ledger.Witnesses[0].Name != "青石街道办事处" {
		t.Fatalf("ledger keys %+v: %v", s.Ledger, ds)
	}
	if s, _ := Parse(strings.TrimSuffix(head, "[ledger]\n")); s.Ledger.Origin != "example.org/qingshi" || s.Ledger.Board != nil {
		t.Errorf("default origin %+v", s.Ledger)
	}
	if s, ds := Parse(head + fmt.Sprintf("origin = \"example.org/other\"\nkey = %q\n", other.Text)); ds.HasErrors() || s.Ledger.Origin != "example.org/other" {
		t.Errorf("origin given: %+v %v", s.Ledger, ds)
	}
	broken := board.Text[:len(board.Text)-3] + "A" + board.Text[len(board.Text)-2:]
	for _, c := range []struct {
		text, want string
		line       int
	}{
		{fmt.Sprintf("key = %q\n", other.Text), "与账本的来源", 5},
		{fmt.Sprintf("key = %q\n", broken), "不是有效的公钥", 5},
		{fmt.Sprintf("key = %q\n", "example.org/qingshi"), "不是有效的公钥", 5},
		{fmt.Sprintf("witnesses = [%q, %q]\n", w1.Text, w1.Text), "两把名叫", 5},
		{fmt.Sprintf("witnesses = [%q]\n", board.Text), "两把名叫", 5},
		{fmt.Sprintf("\nwitnesses = [%q]\n", "青石+xx"), "不是有效的公钥", 6},
		{"origin = \"a b\"\n", "origin", 5},
		{"keys = \"x\"\n", "keys", 5},
	} {
		_, ds := Parse(head + c.text)
		if !ds.HasErrors() {
			t.Errorf("%q: no error", c.text)
			continue
		}
		d := ds.Sorted()[0]
		if !strings.Contains(d.Format("zh"), c.want) || d.Pos.Line != c.line {
			t.Errorf("%q: got %s, want %q at line %d", c.text, d.Format("zh"), c.want, c.line)
		}
	}
}
