package record_test

import (
	"fmt"
	"strings"
	"testing"

	"gongkai/generator/record"
)

func TestCheckArticles(t *testing.T) {
	tests := []struct {
		numbers string // the article numbers of the body, in order
		want    []string
	}{
		{"一 二 三", nil},
		{"一 二 四", []string{"3: 第四条之前缺少第三条"}},
		{"一 二 二 四", []string{"3: 第二条出现了两次（此处应为第三条）"}},     // a slip of the pen
		{"一 二 二 三", []string{"3: 第二条出现了两次（此处应为第三条）"}},     // an article written twice
		{"一 二 三 五 五 六", []string{"4: 第五条之前缺少第四条"}},        // a slip of the pen
		{"一 二 三 五 六 七", []string{"4: 第五条之前缺少第四条"}},        // a missing article
		{"一 二 三 三 四 五", []string{"4: 第三条出现了两次（此处应为第四条）"}}, // an extra article
		{"二 三", []string{"1: 第二条之前缺少第一条"}},
		{"", nil},
	}
	for _, tt := range tests {
		var body strings.Builder
		for _, n := range strings.Fields(tt.numbers) {
			fmt.Fprintf(&body, "## 第%s条\n", n)
		}
		var got []string
		for _, d := range record.CheckArticles("c.md", body.String(), 1) {
			got = append(got, fmt.Sprintf("%d: %s", d.Pos.Line, d.Msg.Zh))
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: got %q, want %q", tt.numbers, got, tt.want)
			continue
		}
		for i := range got {
			if !strings.Contains(got[i], tt.want[i][:2]) || !strings.Contains(got[i], tt.want[i][3:]) {
				t.Errorf("%s: got %q, want %q", tt.numbers, got[i], tt.want[i])
			}
		}
	}
}
