package privacy

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"gongkai/generator/diag"
)

// withCheck appends the GB 11643-1999 check character to 17 digits. It is
// written independently of the package's checkChar so that each checks the
// other.
func withCheck(t testing.TB, d17 string) string {
	t.Helper()
	if len(d17) != 17 {
		t.Fatalf("withCheck(%q): need 17 digits", d17)
	}
	w := 1
	sum := 0
	// Weight of position i (counted from the right, check char at 1) is 2^(i-1) mod 11.
	for i := 16; i >= 0; i-- {
		w = w * 2 % 11
		sum += int(d17[i]-'0') * w
	}
	c := (12 - sum%11) % 11
	if c == 10 {
		return d17 + "X"
	}
	return d17 + fmt.Sprint(c)
}

// wrongCheck returns d17 with a check character that is not the right one
// and that also fails the Luhn check, so it is no bank card either.
func wrongCheck(t testing.TB, d17 string) string {
	t.Helper()
	right := withCheck(t, d17)
	for _, c := range "0123456789" {
		s := d17 + string(c)
		if s != right && !luhnRef(s) {
			return s
		}
	}
	t.Fatalf("no wrong check digit for %s", d17)
	return ""
}

// luhnRef is an independent Luhn check for building test data.
func luhnRef(s string) bool {
	sum := 0
	for i := range len(s) {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			d = d*2/10 + d*2%10
		}
		sum += d
	}
	return sum%10 == 0
}

// withLuhn appends the Luhn check digit.
func withLuhn(s string) string {
	for c := '0'; c <= '9'; c++ {
		if luhnRef(s + string(c)) {
			return s + string(c)
		}
	}
	panic("unreachable")
}

// notLuhn appends a digit that makes the Luhn check fail.
func notLuhn(s string) string {
	for c := '0'; c <= '9'; c++ {
		if !luhnRef(s + string(c)) {
			return s + string(c)
		}
	}
	panic("unreachable")
}

// group4 writes digits in groups of four separated by sep.
func group4(s, sep string) string {
	var parts []string
	for len(s) > 4 {
		parts = append(parts, s[:4])
		s = s[4:]
	}
	return strings.Join(append(parts, s), sep)
}

// idEndingX finds a 17-digit body born on the given date whose check
// character is X.
func idEndingX(t testing.TB, area, birth string) string {
	t.Helper()
	for seq := range 1000 {
		id := withCheck(t, fmt.Sprintf("%s%s%03d", area, birth, seq))
		if id[17] == 'X' {
			return id
		}
	}
	t.Fatal("no X id")
	return ""
}

func TestScan(t *testing.T) {
	id := withCheck(t, "11010519491231002")
	id2 := withCheck(t, "50010319850614231")
	idX := idEndingX(t, "440305", "20000229")
	bad := wrongCheck(t, "11010519491231002")
	badDate := withCheck(t, "11010519491331002") // month 13
	card16 := withLuhn("622202123456789")
	card19 := withLuhn("621700123456789012")
	cardBad := notLuhn("622202123456789")
	if luhnRef(withCheck(t, "11010519491231002")) {
		t.Log("note: id also passes Luhn; ResidentID must still win")
	}
	idLuhn := "" // an 18-digit valid ID that also passes Luhn
	for seq := range 1000 {
		s := withCheck(t, fmt.Sprintf("32010219780815%03d", seq))
		if s[17] != 'X' && luhnRef(s) {
			idLuhn = s
			break
		}
	}
	if idLuhn == "" {
		t.Fatal("no id that passes Luhn")
	}
	I, O, M, B := ResidentID, OldID, Mobile, BankCard
	tests := []struct {
		in   string
		want []Kind
	}{
		// Resident IDs.
		{"身份证号：" + id, []Kind{I}},
		{id2, []Kind{I}},
		{"身份证 " + idX + " 。", []Kind{I}},
		{strings.ToLower(idX), []Kind{I}},
		{"号码" + bad + "有误", nil},
		{badDate, nil},
		{"20" + id, nil},            // inside a 20-digit run
		{id + "12", nil},            // inside a longer run
		{"ID" + id, nil},            // glued to letters
		{id + "号", []Kind{I}},       // Chinese text stands apart
		{"（" + id + "）", []Kind{I}}, // full-width brackets
		{id[:6] + " " + id[6:14] + " " + id[14:], []Kind{I}},
		{idLuhn, []Kind{I}}, // most specific kind wins
		{"2026-" + id, nil}, // dashed into a longer code
		{id + "," + id2, []Kind{I, I}},
		{"a" + id + " " + id2, []Kind{I}},
		// Old IDs.
		{"旧证 110105490101002", []Kind{O}},
		{"110105491301002", nil}, // month 13
		{"110105490230002", nil}, // 30 February
		// Mobiles.
		{"电话13812345678", []Kind{M}},
		{"138-1234-5678", []Kind{M}},
		{"138 1234 5678", []Kind{M}},
		{"+86 138 1234 5678", []Kind{M}},
		{"+8613812345678", []Kind{M}},
		{"+86-138-1234-5678", []Kind{M}},
		{"8613812345678", []Kind{M}},
		{"19912345678、15012345678", []Kind{M, M}},
		{"12345678901", nil}, // 12… is no mobile prefix
		{"138****5678", nil},
		{"13812345678.00", nil},
		{"v13812345678", nil},
		{"138123456789", nil},
		{"138-1234-5678-9", nil},
		{"13812345678 138-1234-5678", []Kind{M, M}},
		// Bank cards.
		{"卡号 " + card16, []Kind{B}},
		{card19, []Kind{B}},
		{group4(card16, " "), []Kind{B}},
		{group4(card16, "-"), []Kind{B}},
		{group4(card19, " "), []Kind{B}},
		{"银联卡 " + group4(card19, "-") + " 已核对", []Kind{B}},
		{cardBad, nil},
		{group4(cardBad, " "), nil},
		{card16 + "***", nil},
		// Things that are not personal numbers.
		{"500***********2318", nil},
		{"110***********1234", nil},
		{"凭证 记-04-07", nil},
		{"金额 2460000.00 元", nil},
		{"1,234,567.89", nil},
		{"2026-07-08", nil},
		{"20260708", nil},
		{"青石居〔2026〕3号", nil},
		{"监督电话 023-6800-0001", nil},
		{"023-68000001", nil},
		{"", nil},
		{"第 3 条 第 12 款", nil},
	}
	rules := DefaultRules()
	for _, tc := range tests {
		got := rules.Scan(tc.in)
		var kinds []Kind
		for _, f := range got {
			kinds = append(kinds, f.Kind)
			if f.Offset < 0 || f.Offset+f.Len > len(tc.in) || tc.in[f.Offset:f.Offset+f.Len] != f.Text {
				t.Errorf("Scan(%q): finding %+v outside text", tc.in, f)
			}
		}
		if !reflect.DeepEqual(kinds, tc.want) {
			t.Errorf("Scan(%q) = %v, want %v", tc.in, kinds, tc.want)
		}
	}
}

func TestScanFinding(t *testing.T) {
	id := withCheck(t, "11010519491231002")
	text := "张三 " + id + "，+86 138 1234 5678"
	got := DefaultRules().Scan(text)
	want := []Finding{
		{Offset: len("张三 "), Len: 18, Kind: ResidentID, Text: id, Masked: "110***********" + id[14:]},
		{Offset: len("张三 " + id + "，"), Len: len("+86 138 1234 5678"), Kind: Mobile, Text: "+86 138 1234 5678", Masked: "138****5678"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Scan = %+v\nwant %+v", got, want)
	}
}

func TestCheckChar(t *testing.T) {
	// A published sample number and the test helper must agree.
	if got := withCheck(t, "11010519491231002"); got != "11010519491231002X" {
		t.Errorf("withCheck = %s, want 11010519491231002X", got)
	}
	for _, body := range []string{"11010519491231002", "44030520000229001", "50010319850614231", "00000000000000000"} {
		want := withCheck(t, body)
		if got := checkChar(body); got != want[17] {
			t.Errorf("checkChar(%s) = %c, want %c", body, got, want[17])
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct {
		rules  Rules
		kind   Kind
		digits string
		want   string
	}{
		{DefaultRules(), ResidentID, "110105194912310021", "110***********0021"},
		{DefaultRules(), ResidentID, "11010519491231002X", "110***********002X"},
		{DefaultRules(), Mobile, "13812345678", "138****5678"},
		{DefaultRules(), Mobile, "138-1234-5678", "138****5678"},
		{DefaultRules(), BankCard, "6222 0212 3456 7890", "622*********7890"},
		{DefaultRules(), OldID, "110105490101002", "110********1002"},
		{Rules{IDKeep: [2]int{2, 3}, PhoneKeep: [2]int{3, 4}}, ResidentID, "350102199001011234", "35*************234"},
		{Rules{IDKeep: [2]int{0, 4}, PhoneKeep: [2]int{0, 0}}, Mobile, "13812345678", "***********"},
		{Rules{IDKeep: [2]int{10, 10}}, ResidentID, "110105194912310021", "******************"},
		{Rules{IDKeep: [2]int{-1, 4}}, BankCard, "6222021234567890", "************7890"},
		{DefaultRules(), Mobile, "", ""},
	}
	for _, tc := range tests {
		if got := tc.rules.Mask(tc.kind, tc.digits); got != tc.want {
			t.Errorf("%v.Mask(%v, %q) = %q, want %q", tc.rules, tc.kind, tc.digits, got, tc.want)
		}
	}
}

func TestLint(t *testing.T) {
	id := withCheck(t, "11010519491231002")
	text := "+++\ntitle = \"补贴名单\"\n+++\n\n| 姓名 | 电话 |\n| 李四 | 13512345678 |\n\n身份证：" + id + "\n"
	ds := Rules{IDKeep: [2]int{2, 3}, PhoneKeep: [2]int{3, 4}}.Lint("disclosures/a.md", text)
	var got []string
	for _, d := range ds {
		got = append(got, d.Format(diag.Zh), d.Format(diag.En))
	}
	want := []string{
		"disclosures/a.md:6:8: 错误：发现未遮挡的手机号码 135****5678（原文第 6 行）\n    提示：请改为 135****5678：个人信息不得完整公开，须遮挡中间数字",
		"disclosures/a.md:6:8: error: unmasked mobile number 135****5678 (line 6 of the text)\n    hint: replace it with 135****5678: personal numbers must not be published in full",
		"disclosures/a.md:8:5: 错误：发现未遮挡的居民身份证号 11*************02X（原文第 8 行）\n    提示：请改为 11*************02X：个人信息不得完整公开，须遮挡中间数字",
		"disclosures/a.md:8:5: error: unmasked resident ID number 11*************02X (line 8 of the text)\n    hint: replace it with 11*************02X: personal numbers must not be published in full",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Lint =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, s := range got {
		if strings.Contains(s, "13512345678") || strings.Contains(s, id) {
			t.Errorf("message prints the number: %s", s)
		}
	}
	if ds := DefaultRules().Lint("a.md", "电话 135****5678，身份证 110***********002X"); len(ds) != 0 {
		t.Errorf("masked forms reported: %v", ds)
	}
}

func TestKindName(t *testing.T) {
	want := map[Kind]string{ResidentID: "居民身份证号", OldID: "旧身份证号", Mobile: "手机号码", BankCard: "银行卡号"}
	for k, w := range want {
		if got := k.Name(diag.Zh); got != w {
			t.Errorf("%d.Name(Zh) = %s, want %s", k, got, w)
		}
		if k.Name(diag.En) == w {
			t.Errorf("%d.Name(En) is Chinese", k)
		}
	}
}

func ExampleRules_Mask() {
	r := DefaultRules()
	fmt.Println(r.Mask(ResidentID, "110105194912310021"))
	fmt.Println(r.Mask(Mobile, "138-1234-5678"))
	fmt.Println(r.Mask(BankCard, "6217 0012 3456 7890 123"))
	r.IDKeep = [2]int{2, 3}
	fmt.Println(r.Mask(ResidentID, "350102199001011234"))
	// Output:
	// 110***********0021
	// 138****5678
	// 621************0123
	// 35*************234
}

func FuzzScan(f *testing.F) {
	for _, s := range []string{
		"身份证 11010519491231002X", "+86 138 1234 5678", "6222 0212 3456 7890 12",
		"110105490101002", "记-04-07 2460000.00", "138****5678", "1-2-3-4-5-6-7-8-9-0",
		"8613812345678x", "+", "1 ", "11010519491231002x1",
	} {
		f.Add(s)
	}
	r := DefaultRules()
	f.Fuzz(func(t *testing.T, s string) {
		prev := 0
		for _, fd := range r.Scan(s) {
			if fd.Offset < prev || fd.Len <= 0 || fd.Offset+fd.Len > len(s) {
				t.Fatalf("Scan(%q): bad finding %+v", s, fd)
			}
			if s[fd.Offset:fd.Offset+fd.Len] != fd.Text {
				t.Fatalf("Scan(%q): Text %q does not match", s, fd.Text)
			}
			if strings.Count(fd.Masked, "*") == 0 {
				t.Fatalf("Scan(%q): mask %q hides nothing", s, fd.Masked)
			}
			prev = fd.Offset + fd.Len
		}
		r.Lint("x.md", s)
	})
}

func FuzzMask(f *testing.F) {
	f.Add(0, "13812345678", 3, 4)
	f.Add(2, "6222 0212-3456", 0, 0)
	f.Add(1, "一二三", 9, -3)
	f.Fuzz(func(t *testing.T, kind int, digits string, a, b int) {
		r := Rules{IDKeep: [2]int{a, b}, PhoneKeep: [2]int{b, a}}
		got := r.Mask(Kind(kind), digits)
		n := utf8.RuneCountInString(digits) - strings.Count(digits, " ") - strings.Count(digits, "-")
		if utf8.RuneCountInString(got) != n {
			t.Fatalf("Mask(%q) = %q: %d characters, want %d", digits, got, utf8.RuneCountInString(got), n)
		}
	})
}
