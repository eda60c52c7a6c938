// Package money holds amounts of money exactly, as a whole number of fen
// (分, 0.01 yuan), never as floating point. It parses the amounts authors
// write ("6842.55", "2,180,000.00"), up to Max (just below 10^13 yuan),
// adds them without overflow, prints them plainly or
// with thousands separators, and writes them in Chinese capital numerals
// (大写金额) as accounting rules ask.
package money

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gongkai/generator/diag"
)

// Amount is an amount of money in fen (分): 100 fen make one yuan (元).
type Amount int64

// Max is the largest amount gongkai holds: 9,999,999,999,999.99 yuan, just
// below 10^13 yuan (ten trillion, 十万亿元) — far above any account of a
// village or community, and small enough that thousands of such amounts
// add up without overflowing. Parse refuses larger amounts, and Add
// refuses sums beyond it, so no total is ever wrong.
const Max Amount = 1e15 - 1

// Add returns a+b and true, or false when the sum lies outside ±Max.
func (a Amount) Add(b Amount) (Amount, bool) {
	if a > Max || a < -Max || b > Max || b < -Max {
		return 0, false
	}
	s := a + b // |a|, |b| ≤ Max: no overflow of int64
	if s > Max || s < -Max {
		return 0, false
	}
	return s, true
}

// Sub returns a−b and true, or false when the difference lies outside
// ±Max.
func (a Amount) Sub(b Amount) (Amount, bool) {
	if b < -Max || b > Max {
		return 0, false
	}
	return a.Add(-b)
}

// Sum adds amounts. It returns false, with the index of the amount that
// took the running total beyond ±Max, when the sum is out of range.
func Sum(amounts []Amount) (total Amount, at int, ok bool) {
	for i, x := range amounts {
		if total, ok = total.Add(x); !ok {
			return 0, i, false
		}
	}
	return total, 0, true
}

// ParseError says why a text is not an amount.
type ParseError struct {
	Input  string    // the text as written
	Reason diag.Text // what is wrong and how to fix it
}

// Error returns the Chinese reason.
func (e *ParseError) Error() string { return e.Reason.Zh }

func parseErr(s, zh, en string) *ParseError {
	if !strings.Contains(zh, "%s") { // a reason that does not quote the input
		return &ParseError{Input: s, Reason: diag.Text{Zh: zh, En: en}}
	}
	return &ParseError{Input: s, Reason: diag.T(zh, en, s)}
}

// Parse reads an amount in yuan: an optional minus sign, digits with
// correctly grouped thousands separators allowed ("2,180,000"), and at most
// two decimals. Spaces around it are ignored. Units such as 元 or ¥,
// letters, three or more decimals and amounts too large to hold are
// errors of type *ParseError.
func Parse(s string) (Amount, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, parseErr(s, "金额不能为空，请填写数字（如 1234.50）", "the amount is empty; write a number such as 1234.50")
	}
	neg := false
	if t[0] == '-' {
		neg = true
		t = t[1:]
	}
	if t == "" {
		return 0, parseErr(s, "负号后面要写数字：%s", "write digits after the minus sign: %s")
	}
	if err := checkChars(s, t); err != nil {
		return 0, err
	}
	intPart, frac, hasDot := strings.Cut(t, ".")
	if strings.Contains(frac, ".") {
		return 0, parseErr(s, "金额里只能有一个小数点：%s", "an amount has at most one decimal point: %s")
	}
	if strings.Contains(frac, ",") {
		return 0, parseErr(s, "小数部分不能有逗号：%s", "no commas after the decimal point: %s")
	}
	if intPart == "" || (hasDot && frac == "") {
		return 0, parseErr(s, "小数点前后都要有数字（如 0.50、12.00）：%s", "write digits on both sides of the decimal point (0.50, 12.00): %s")
	}
	if len(frac) > 2 {
		return 0, parseErr(s, "金额最多两位小数：%s", "an amount has at most two decimals (fen): %s")
	}
	digits, ok := ungroup(intPart)
	if !ok {
		return 0, parseErr(s, "千位分隔逗号的位置不对：%s；请每三位一个逗号（如 2,180,000.00），或不用逗号（2180000.00）",
			"misplaced thousands separator in %s; put one every three digits (2,180,000.00) or none (2180000.00)")
	}
	for len(frac) < 2 {
		frac += "0"
	}
	// Accumulate up to Max; anything larger is refused.
	var u uint64
	for _, c := range digits + frac {
		u = u*10 + uint64(c-'0')
		if u > uint64(Max) {
			return 0, tooLarge(s)
		}
	}
	if neg {
		return -Amount(u), nil
	}
	return Amount(u), nil
}

// checkChars rejects anything but ASCII digits, commas and points, with a
// reason that names the likely mistake.
func checkChars(s, t string) *ParseError {
	for _, r := range t {
		switch {
		case r >= '0' && r <= '9', r == ',', r == '.':
			continue
		case r >= '０' && r <= '９', r == '，', r == '．', r == '。':
			return parseErr(s, "金额请用半角（英文）数字和标点：%s", "use half-width (ASCII) digits and punctuation in amounts: %s")
		case r == '-' || r == '+':
			return parseErr(s, "负号只能写在最前面：%s", "a minus sign goes only at the very front: %s")
		case unicode.IsSpace(r):
			return parseErr(s, "金额中间不能有空格：%s", "no spaces inside an amount: %s")
		default:
			return parseErr(s, "金额只能写数字，去掉“元”等文字：%s", "an amount is digits only; remove units such as 元 or ¥ and other text: %s")
		}
	}
	return nil
}

// ungroup removes thousands separators, checking that they stand every
// three digits from the right and that there are digits at all.
func ungroup(s string) (string, bool) {
	if !strings.Contains(s, ",") {
		return s, s != ""
	}
	groups := strings.Split(s, ",")
	if n := len(groups[0]); n < 1 || n > 3 {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

// tooLarge is the error for an amount beyond Max.
func tooLarge(s string) *ParseError {
	return parseErr(s, "金额超出范围：%s；金额最多 9999999999999.99 元（不到十万亿元）", "the amount %s is out of range: at most 9999999999999.99 yuan (just under ten trillion)")
}

// FromTOML converts a value decoded by BurntSushi/toml. Amounts are
// written as quoted decimal strings ("1234.50"), parsed with Parse: a bare
// TOML number is refused with a reason that says to add the quotes, since
// a TOML float (1e5, 0.1) cannot be trusted to the fen.
func FromTOML(v any) (Amount, error) {
	switch x := v.(type) {
	case string:
		return Parse(x)
	case int64:
		return 0, unquoted(strconv.FormatInt(x, 10))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, parseErr(strconv.FormatFloat(x, 'g', -1, 64), "应为金额（如 \"1234.50\"），不能是 %s", "expected an amount (such as \"1234.50\"), not %s")
		}
		return 0, unquoted(strconv.FormatFloat(x, 'f', -1, 64))
	}
	return 0, &ParseError{Input: fmt.Sprint(v), Reason: diag.T("应为金额（如 \"1234.50\"）", "expected an amount (such as \"1234.50\")")}
}

// unquoted is the error for an amount written as a bare number.
func unquoted(n string) *ParseError {
	return &ParseError{Input: n, Reason: diag.T("金额要加英文双引号：写成 \"%s\"", "an amount is written in double quotes: \"%s\"", n)}
}

// abs returns the magnitude of a, which fits in uint64 even for the
// smallest Amount.
func (a Amount) abs() uint64 {
	if a < 0 {
		return uint64(-(a + 1)) + 1
	}
	return uint64(a)
}

// String returns the amount in yuan with two decimals: "61927.45",
// "-12.30".
func (a Amount) String() string {
	u := a.abs()
	s := strconv.FormatUint(u/100, 10) + "." + twoDigits(u%100)
	if a < 0 {
		return "-" + s
	}
	return s
}

// Yuan returns the amount in yuan with two decimals, the same as String.
func (a Amount) Yuan() string { return a.String() }

// Grouped returns the amount with thousands separators: "61,927.45".
func (a Amount) Grouped() string {
	u := a.abs()
	y := strconv.FormatUint(u/100, 10)
	var b strings.Builder
	if a < 0 {
		b.WriteByte('-')
	}
	for i, c := range y {
		if i > 0 && (len(y)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	b.WriteByte('.')
	b.WriteString(twoDigits(u % 100))
	return b.String()
}

func twoDigits(n uint64) string {
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}

const (
	capDigits = "零壹贰叁肆伍陆柒捌玖"
)

// capDigit returns the capital numeral of d (0..9).
func capDigit(d uint64) string {
	i := 0
	for range d {
		_, n := utf8.DecodeRuneInString(capDigits[i:])
		i += n
	}
	r, _ := utf8.DecodeRuneInString(capDigits[i:])
	return string(r)
}

// Daxie writes the amount in Chinese capital numerals (大写金额) following
// accounting rules: 整 after 元 or 角 and none after 分, a run of inner
// zeros read as one 零, 零 after 元 when the unit digit is zero and 角 is
// not, 壹拾 rather than 拾, 零元整 for zero and 负 before a negative
// amount. 2308.66 → 贰仟叁佰零捌元陆角陆分.
func (a Amount) Daxie() string {
	u := a.abs()
	var b strings.Builder
	if a < 0 {
		b.WriteString("负")
	}
	yuan, jiao, fen := u/100, u/10%10, u%10
	if u == 0 {
		return "零元整"
	}
	if yuan > 0 {
		b.WriteString(integer(yuan))
		b.WriteString("元")
		if jiao == 0 && fen == 0 {
			b.WriteString("整")
			return b.String()
		}
		if jiao == 0 || yuan%10 == 0 {
			b.WriteString("零")
		}
	}
	if jiao > 0 {
		b.WriteString(capDigit(jiao) + "角")
		if fen == 0 {
			b.WriteString("整")
			return b.String()
		}
	}
	b.WriteString(capDigit(fen) + "分")
	return b.String()
}

// integer writes n > 0 in capital numerals, with 万 and 亿 sections.
func integer(n uint64) string {
	switch {
	case n >= 1e8:
		return sectioned(integer(n/1e8)+"亿", n%1e8, 1e7)
	case n >= 1e4:
		return sectioned(section(n/1e4)+"万", n%1e4, 1e3)
	}
	return section(n)
}

// sectioned appends the lower part lo of a number to its written high
// part, with one 零 when lo has leading zeros (lo < full).
func sectioned(high string, lo, full uint64) string {
	switch {
	case lo == 0:
		return high
	case lo < full:
		return high + "零" + integer(lo)
	}
	return high + integer(lo)
}

// section writes 1 ≤ n ≤ 9999.
func section(n uint64) string {
	units := [4]string{"仟", "佰", "拾", ""}
	digits := [4]uint64{n / 1000, n / 100 % 10, n / 10 % 10, n % 10}
	var b strings.Builder
	zero := false
	for i, d := range digits {
		if d == 0 {
			zero = b.Len() > 0
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		b.WriteString(capDigit(d) + units[i])
	}
	return b.String()
}
