package money

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	good := []struct {
		in   string
		want Amount
	}{
		{"6842.55", 684255},
		{"6842.5", 684250},
		{"6842", 684200},
		{"-12.30", -1230},
		{"  6842.55 ", 684255},
		{"\t12\n", 1200},
		{"　12.00　", 1200}, // full-width spaces around
		{"2,180,000.00", 218000000},
		{"180,000", 18000000},
		{"1,000", 100000},
		{"0", 0},
		{"0.00", 0},
		{"-0.05", -5},
		{"0.05", 5},
		{"007", 700},
		{"9999999999999.99", Max},
		{"-9,999,999,999,999.99", -Max},
	}
	for _, c := range good {
		got, err := Parse(c.in)
		if err != nil || got != c.want {
			t.Errorf("Parse(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	bad := []struct {
		in, reason string
	}{
		{"", "不能为空"},
		{"   ", "不能为空"},
		{"-", "负号后面"},
		{"6842.555", "金额最多两位小数：6842.555"},
		{"1.234", "最多两位小数"},
		{"6842.55元", "金额只能写数字，去掉“元”等文字"},
		{"¥100", "去掉“元”等文字"},
		{"1e3", "去掉“元”等文字"},
		{"abc", "只能写数字"},
		{"2,180,000.00元", "去掉“元”等文字"},
		{"21,80,000", "千位分隔逗号的位置不对"},
		{",100", "千位分隔逗号的位置不对"},
		{"1000,000", "千位分隔逗号的位置不对"},
		{"1,00", "千位分隔逗号的位置不对"},
		{"1,000,", "千位分隔逗号的位置不对"},
		{"1.00,5", "小数部分不能有逗号"},
		{"1.2.3", "只能有一个小数点"},
		{".5", "小数点前后"},
		{"5.", "小数点前后"},
		{"-.5", "小数点前后"},
		{"1 000", "不能有空格"},
		{"--5", "负号只能写在最前面"},
		{"+5", "负号只能写在最前面"},
		{"5-", "负号只能写在最前面"},
		{"１２", "半角"},
		{"12。5", "半角"},
		{"10000000000000", "金额超出范围：10000000000000；金额最多 9999999999999.99 元"},
		{"-10000000000000.00", "超出范围"},
		{"61489146912417192.05", "超出范围"},
		{"92233720368547758.08", "超出范围"},
		{"100000000000000000000", "超出范围"},
	}
	for _, c := range bad {
		got, err := Parse(c.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) = %d, %v; want a *ParseError", c.in, got, err)
			continue
		}
		if pe.Input != c.in || !strings.Contains(pe.Error(), c.reason) || pe.Error() != pe.Reason.Zh || pe.Reason.En == "" {
			t.Errorf("Parse(%q) error = %+v; want input kept and reason containing %q", c.in, pe, c.reason)
		}
	}
}

func TestFromTOML(t *testing.T) {
	good := []struct {
		in   any
		want Amount
	}{
		{"6842.55", 684255},
		{"-0.01", -1},
	}
	for _, c := range good {
		got, err := FromTOML(c.in)
		if err != nil || got != c.want {
			t.Errorf("FromTOML(%#v) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	bad := []struct {
		in     any
		reason string
	}{
		{"6842.55元", "去掉“元”"},
		{int64(50000), `金额要加英文双引号：写成 "50000"`},
		{1e5, `金额要加英文双引号：写成 "100000"`},
		{6842.55, `写成 "6842.55"`},
		{6842.555, `写成 "6842.555"`},
		{math.Inf(1), "应为金额"},
		{math.NaN(), "应为金额"},
		{true, `应为金额（如 "1234.50"）`},
		{nil, "应为金额"},
		{[]any{"1"}, "应为金额"},
		{map[string]any{}, "应为金额"},
	}
	for _, c := range bad {
		got, err := FromTOML(c.in)
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(pe.Error(), c.reason) || pe.Reason.En == "" {
			t.Errorf("FromTOML(%#v) = %d, %v; want an error containing %q", c.in, got, err, c.reason)
		}
	}
}

func TestAdd(t *testing.T) {
	cases := []struct {
		a, b, want Amount
		ok         bool
	}{
		{1, 2, 3, true},
		{Max, 0, Max, true},
		{Max, 1, 0, false},
		{-Max, -1, 0, false},
		{Max, -Max, 0, true},
		{math.MaxInt64, 0, 0, false},
		{0, math.MinInt64, 0, false},
	}
	for _, c := range cases {
		if got, ok := c.a.Add(c.b); got != c.want || ok != c.ok {
			t.Errorf("%d.Add(%d) = %d, %v; want %d, %v", c.a, c.b, got, ok, c.want, c.ok)
		}
	}
	if _, ok := Amount(0).Sub(math.MinInt64); ok {
		t.Error("0 − MinInt64 was accepted")
	}
	// The sums of the report: 61489146912417192.05 cannot be written at
	// all, and the largest amounts add up to an error, not a wrap-around.
	if _, at, ok := Sum([]Amount{Max, 5, 6}); ok || at != 1 {
		t.Errorf("Sum(Max, 5, 6) = ok %v at %d; want the error at 1", ok, at)
	}
}

// FuzzSum adds amounts as written and checks the total against exact
// big-integer arithmetic: either the exact sum, when it lies within ±Max,
// or an error at the amount that left the range — never a wrapped total.
func FuzzSum(f *testing.F) {
	f.Add("6842.55", "-12.30", "9999999999999.99")
	f.Add("9999999999999.99", "0.01", "0")
	f.Add("-9999999999999.99", "-9999999999999.99", "9999999999999.99")
	f.Add("61489146912417192.05", ".05", ".06")
	f.Fuzz(func(t *testing.T, x, y, z string) {
		var as []Amount
		exact := new(big.Int)
		for _, s := range []string{x, y, z} {
			a, err := Parse(s)
			if err != nil {
				continue
			}
			if a > Max || a < -Max {
				t.Fatalf("Parse(%q) = %d, beyond Max", s, a)
			}
			as = append(as, a)
		}
		total, at, ok := Sum(as)
		run := new(big.Int)
		limit := big.NewInt(int64(Max))
		for i, a := range as {
			run.Add(run, big.NewInt(int64(a)))
			if run.CmpAbs(limit) > 0 {
				if ok || at != i {
					t.Fatalf("Sum(%v) = %d, ok %v at %d; the running total leaves the range at %d", as, total, ok, at, i)
				}
				return
			}
		}
		exact.Set(run)
		if !ok || big.NewInt(int64(total)).Cmp(exact) != 0 {
			t.Fatalf("Sum(%v) = %d, %v; want %s", as, total, ok, exact)
		}
	})
}

func TestString(t *testing.T) {
	cases := []struct {
		a              Amount
		plain, grouped string
	}{
		{0, "0.00", "0.00"},
		{5, "0.05", "0.05"},
		{-1230, "-12.30", "-12.30"},
		{6192745, "61927.45", "61,927.45"},
		{100000, "1000.00", "1,000.00"},
		{99999, "999.99", "999.99"},
		{218000000, "2180000.00", "2,180,000.00"},
		{-218000000, "-2180000.00", "-2,180,000.00"},
		{Max, "9999999999999.99", "9,999,999,999,999.99"},
		{math.MaxInt64, "92233720368547758.07", "92,233,720,368,547,758.07"},
		{math.MinInt64, "-92233720368547758.08", "-92,233,720,368,547,758.08"},
	}
	for _, c := range cases {
		if got := c.a.String(); got != c.plain {
			t.Errorf("Amount(%d).String() = %q; want %q", int64(c.a), got, c.plain)
		}
		if got := c.a.Yuan(); got != c.plain {
			t.Errorf("Amount(%d).Yuan() = %q; want %q", int64(c.a), got, c.plain)
		}
		if got := c.a.Grouped(); got != c.grouped {
			t.Errorf("Amount(%d).Grouped() = %q; want %q", int64(c.a), got, c.grouped)
		}
	}
}

func TestDaxie(t *testing.T) {
	cases := []struct {
		in, want string
	}{
		// DOMAIN.md and the task's examples.
		{"2308.66", "贰仟叁佰零捌元陆角陆分"},
		{"35680", "叁万伍仟陆佰捌拾元整"},
		{"325.04", "叁佰贰拾伍元零肆分"},
		{"0.05", "伍分"},
		{"10.00", "壹拾元整"},
		{"100000.30", "壹拾万元零叁角整"},
		{"1000000000.01", "壹拾亿元零壹分"},
		{"50000", "伍万元整"},
		{"40382.55", "肆万零叁佰捌拾贰元伍角伍分"},
		{"61927.45", "陆万壹仟玖佰贰拾柒元肆角伍分"},
		{"100010000", "壹亿零壹万元整"},
		{"1000100", "壹佰万零壹佰元整"},
		// Examples from the accounting rules (会计基础工作规范).
		{"1409.50", "壹仟肆佰零玖元伍角整"},
		{"6007.14", "陆仟零柒元壹角肆分"},
		{"1680.32", "壹仟陆佰捌拾元零叁角贰分"},
		{"107000.53", "壹拾万柒仟元零伍角叁分"},
		{"16409.02", "壹万陆仟肆佰零玖元零贰分"},
		{"12345.60", "壹万贰仟叁佰肆拾伍元陆角整"},
		// Zeros, sections and edges.
		{"0", "零元整"},
		{"0.00", "零元整"},
		{"0.30", "叁角整"},
		{"0.35", "叁角伍分"},
		{"1", "壹元整"},
		{"15", "壹拾伍元整"},
		{"110", "壹佰壹拾元整"},
		{"1001", "壹仟零壹元整"},
		{"10001", "壹万零壹元整"},
		{"10010", "壹万零壹拾元整"},
		{"101000", "壹拾万壹仟元整"},
		{"1000010", "壹佰万零壹拾元整"},
		{"10000000", "壹仟万元整"},
		{"100000000", "壹亿元整"},
		{"110000000", "壹亿壹仟万元整"},
		{"100000100", "壹亿零壹佰元整"},
		{"1000000000000", "壹万亿元整"},
		{"1000000010000", "壹万亿零壹万元整"},
		{"2180000.00", "贰佰壹拾捌万元整"},
		{"6400000.00", "陆佰肆拾万元整"},
		{"-12.30", "负壹拾贰元叁角整"},
		{"-0.01", "负壹分"},
		{"9999999999999.99", "玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"},
	}
	for _, c := range cases {
		a, err := Parse(c.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.Daxie(); got != c.want {
			t.Errorf("%s: Daxie() = %s; want %s", c.in, got, c.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"6842.55", "-12.30", "2,180,000.00", "6842.555", "6842.55元", "", " 1 ", ",", "-", ".", "1,0", "92233720368547758.08", "-92233720368547758.08", "０", "1e3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Reason.Zh == "" || pe.Reason.En == "" {
				t.Fatalf("Parse(%q): error %v is not a complete *ParseError", s, err)
			}
			return
		}
		for _, text := range []string{a.String(), a.Grouped()} {
			b, err := Parse(text)
			if err != nil || b != a {
				t.Fatalf("Parse(%q) = %d; Parse(%q) = %d, %v", s, a, text, b, err)
			}
		}
		if d := a.Daxie(); d == "" || strings.Contains(d, "零零") {
			t.Fatalf("Daxie(%s) = %q", a, d)
		}
	})
}

func ExampleParse() {
	a, err := Parse("2,180,000.00")
	fmt.Println(int64(a), err)
	_, err = Parse("6842.55元")
	fmt.Println(err)
	// Output:
	// 218000000 <nil>
	// 金额只能写数字，去掉“元”等文字：6842.55元
}

func ExampleAmount_Daxie() {
	for _, s := range []string{"2308.66", "35680", "325.04", "100000.30"} {
		a, _ := Parse(s)
		fmt.Println(a.Daxie())
	}
	// Output:
	// 贰仟叁佰零捌元陆角陆分
	// 叁万伍仟陆佰捌拾元整
	// 叁佰贰拾伍元零肆分
	// 壹拾万元零叁角整
}

func ExampleAmount_Grouped() {
	a, _ := Parse("61927.45")
	fmt.Println(a.Grouped(), a.String())
	// Output: 61,927.45 61927.45
}

func ExampleFromTOML() {
	for _, v := range []any{"6842.55", int64(50000), 6842.555} {
		a, err := FromTOML(v)
		fmt.Println(a, err)
	}
	// Output:
	// 6842.55 <nil>
	// 0.00 金额要加英文双引号：写成 "50000"
	// 0.00 金额要加英文双引号：写成 "6842.555"
}
