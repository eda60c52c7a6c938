package zh

import (
	"fmt"
	"testing"
	"time"
)

func TestParseNumeral(t *testing.T) {
	good := []struct {
		in   string
		want int
	}{
		{"一", 1}, {"两", 2}, {"九", 9}, {"十", 10}, {"一十", 10}, {"十二", 12},
		{"一十二", 12}, {"二十", 20}, {"二十三", 23}, {"九十九", 99}, {"一百", 100},
		{"两百", 200}, {"一百零五", 105}, {"一百〇五", 105}, {"一百一十", 110},
		{"一百一十五", 115}, {"三百二十", 320}, {"九百九十九", 999},
		{"12", 12}, {"1", 1}, {"999", 999}, {"１２", 12}, {"1000", 1000}, {"9999", 9999},
		{"一千", 1000}, {"一千零五", 1005}, {"一千零一十", 1010}, {"一千零一十一", 1011},
		{"一千一百", 1100}, {"一千二百三十四", 1234}, {"两千", 2000}, {"九千九百九十九", 9999},
	}
	for _, c := range good {
		if got, ok := ParseNumeral(c.in); !ok || got != c.want {
			t.Errorf("ParseNumeral(%q) = %d, %v; want %d", c.in, got, ok, c.want)
		}
	}
	bad := []string{"", "零", "〇", "0", "012", "10000", "99999999999999999999999", "-1", "一万", "千",
		"一千零十", "一千五十", "一千零", "一千零一百", "一千十", "一千零两",
		"百", "十十", "一二", "一百十", "一百五", "一百零", "一百零十", "一百零两", "二十两", "两十",
		"〇百", "十零", "一 二", "第一", "一条", "a", "1二", "一百零五五"}
	for _, s := range bad {
		if got, ok := ParseNumeral(s); ok {
			t.Errorf("ParseNumeral(%q) = %d, true; want false", s, got)
		}
	}
}

func TestNumeral(t *testing.T) {
	cases := []struct {
		n    int
		want string
	}{
		{1, "一"}, {10, "十"}, {11, "十一"}, {12, "十二"}, {20, "二十"}, {21, "二十一"},
		{100, "一百"}, {105, "一百零五"}, {110, "一百一十"}, {111, "一百一十一"},
		{200, "二百"}, {999, "九百九十九"}, {0, "0"}, {1000, "一千"}, {1005, "一千零五"},
		{1010, "一千零一十"}, {1100, "一千一百"}, {9999, "九千九百九十九"}, {10000, "10000"}, {-3, "-3"},
	}
	for _, c := range cases {
		if got := Numeral(c.n); got != c.want {
			t.Errorf("Numeral(%d) = %q; want %q", c.n, got, c.want)
		}
	}
	for n := 1; n <= MaxNumeral; n++ {
		if got, ok := ParseNumeral(Numeral(n)); !ok || got != n {
			t.Errorf("ParseNumeral(Numeral(%d) = %q) = %d, %v", n, Numeral(n), got, ok)
		}
	}
}

func TestParseArticle(t *testing.T) {
	cases := []struct {
		in   string
		n    int
		rest string
		ok   bool
	}{
		{"第十二条", 12, "", true},
		{"第十二条　内容…", 12, "内容…", true},
		{"第一条 为了规范居民自治", 1, "为了规范居民自治", true},
		{"  第三条\t", 3, "", true},
		{"第 12 条 内容", 12, "内容", true},
		{"第一百零五条　　附则　", 105, "附则", true},
		{"第二条内容", 2, "内容", true},
		{"第十二章", 0, "", false},
		{"十二条", 0, "", false},
		{"第条", 0, "", false},
		{"第一千条", 1000, "", true},
		{"第一万条", 0, "", false},
		{"第一节 第二条", 0, "", false},
		{"", 0, "", false},
	}
	for _, c := range cases {
		n, rest, ok := ParseArticle(c.in)
		if n != c.n || rest != c.rest || ok != c.ok {
			t.Errorf("ParseArticle(%q) = %d, %q, %v; want %d, %q, %v", c.in, n, rest, ok, c.n, c.rest, c.ok)
		}
	}
}

func TestFormatDate(t *testing.T) {
	cases := []struct {
		y, m, d         int
		arabic, chinese string
	}{
		{2026, 11, 7, "2026年11月7日", "二〇二六年十一月七日"},
		{2026, 1, 1, "2026年1月1日", "二〇二六年一月一日"},
		{2026, 10, 10, "2026年10月10日", "二〇二六年十月十日"},
		{2026, 12, 31, "2026年12月31日", "二〇二六年十二月三十一日"},
		{2000, 1, 1, "2000年1月1日", "二〇〇〇年一月一日"},
		{2000, 2, 29, "2000年2月29日", "二〇〇〇年二月二十九日"},
		{1999, 9, 9, "1999年9月9日", "一九九九年九月九日"},
		{2026, 7, 14, "2026年7月14日", "二〇二六年七月十四日"},
		{2026, 3, 20, "2026年3月20日", "二〇二六年三月二十日"},
		{2010, 5, 30, "2010年5月30日", "二〇一〇年五月三十日"},
		{2031, 11, 11, "2031年11月11日", "二〇三一年十一月十一日"},
	}
	for _, c := range cases {
		tm := time.Date(c.y, time.Month(c.m), c.d, 23, 59, 0, 0, time.UTC)
		if got := FormatDate(tm, Arabic); got != c.arabic {
			t.Errorf("FormatDate(%v, Arabic) = %q; want %q", tm, got, c.arabic)
		}
		if got := FormatDate(tm, Chinese); got != c.chinese {
			t.Errorf("FormatDate(%v, Chinese) = %q; want %q", tm, got, c.chinese)
		}
	}
	// The date is the one of t's own location.
	sh := time.FixedZone("CST", 8*3600)
	tm := time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC).In(sh)
	if got := FormatDate(tm, Arabic); got != "2027年1月1日" {
		t.Errorf("FormatDate in +08:00 = %q; want 2027年1月1日", got)
	}
}

func TestParseDateStyle(t *testing.T) {
	cases := []struct {
		in   string
		want DateStyle
		ok   bool
	}{
		{"", Arabic, true}, {"arabic", Arabic, true}, {"chinese", Chinese, true},
		{" Chinese ", Chinese, true}, {"roman", Arabic, false}, {"中文", Arabic, false},
	}
	for _, c := range cases {
		got, ok := ParseDateStyle(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseDateStyle(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	if Chinese.String() != "chinese" || Arabic.String() != "arabic" {
		t.Errorf("String() = %q, %q", Chinese, Arabic)
	}
}

func FuzzParseNumeral(f *testing.F) {
	for _, s := range []string{"十二", "一百零五", "一百一十", "两百", "12", "〇", "第一条", "一百十", "１２", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := ParseNumeral(s)
		if !ok {
			return
		}
		if n < 1 || n > 999 {
			t.Fatalf("ParseNumeral(%q) = %d, out of range", s, n)
		}
		if m, ok := ParseNumeral(Numeral(n)); !ok || m != n {
			t.Fatalf("ParseNumeral(Numeral(%d) = %q) = %d, %v", n, Numeral(n), m, ok)
		}
		ParseArticle("第" + s + "条 x")
	})
}

func ExampleNumeral() {
	for _, n := range []int{10, 12, 20, 105, 110} {
		fmt.Print(Numeral(n), " ")
	}
	fmt.Println()
	// Output: 十 十二 二十 一百零五 一百一十
}

func ExampleParseNumeral() {
	n, ok := ParseNumeral("一百零五")
	fmt.Println(n, ok)
	// Output: 105 true
}

func ExampleParseArticle() {
	n, rest, ok := ParseArticle("第十二条　居民应当爱护公共设施。")
	fmt.Println(n, rest, ok)
	// Output: 12 居民应当爱护公共设施。 true
}

func ExampleFormatDate() {
	t := time.Date(2026, 11, 7, 0, 0, 0, 0, time.UTC)
	fmt.Println(FormatDate(t, Arabic))
	fmt.Println(FormatDate(t, Chinese))
	// Output:
	// 2026年11月7日
	// 二〇二六年十一月七日
}
