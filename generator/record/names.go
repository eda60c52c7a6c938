package record

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"gongkai/generator/diag"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Names in the content folder become folders and files of the site, which
// is copied to Windows offices, USB sticks and Macs: a name must be one
// that every one of these systems can hold, and two names that one of them
// takes for the same name (upper and lower case, or the two Unicode forms
// of "é") must not both exist.

// reservedNames are the device names Windows refuses as a file name, with
// or without an extension.
var reservedNames = map[string]bool{
	"CON": true, "PRN": true, "AUX": true, "NUL": true, "CONIN$": true, "CONOUT$": true,
	"COM0": true, "COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT0": true, "LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true,
	"COM¹": true, "COM²": true, "COM³": true, "LPT¹": true, "LPT²": true, "LPT³": true,
}

// windowsChars are the printable characters Windows refuses in a name.
const windowsChars = `<>:"/\|?*`

// CheckName returns an error when name, one part of a path (a folder or a
// file name, with its extension), cannot be a file name on Windows: a
// reserved device name (CON, PRN, AUX, NUL, COM1–9, LPT1–9, with any
// extension), a name that ends in a dot or a space, or one with a
// character Windows refuses. file is the path the name belongs to.
func CheckName(file, name string) *diag.Diagnostic {
	base, _, _ := strings.Cut(name, ".")
	base = strings.TrimRight(base, " ")
	switch {
	case name == "." || name == "..":
		d := diag.Errorf(diag.Position{File: file}, "名称 %q 不能用作文件名", "%q cannot be a file name", name).
			WithHint("换一个名字", "choose another name")
		return &d
	case reservedNames[strings.ToUpper(base)]:
		d := diag.Errorf(diag.Position{File: file}, "名称 %q 是 Windows 的保留名（CON、PRN、AUX、NUL、COM1–9、LPT1–9），在 Windows 上无法保存或复制",
			"%q is a name Windows reserves (CON, PRN, AUX, NUL, COM1–9, LPT1–9): the file cannot be saved or copied on Windows", name).
			WithHint("换一个名字，例如 %s-1", "choose another name, such as %s-1", strings.ToLower(base))
		return &d
	case strings.HasSuffix(name, ".") || strings.HasSuffix(name, " "):
		d := diag.Errorf(diag.Position{File: file}, "名称 %q 以点或空格结尾，Windows 会把它们去掉，文件就对不上了",
			"%q ends in a dot or a space, which Windows drops, so the file would no longer match", name).
			WithHint("去掉名称末尾的点和空格", "remove the dots and spaces at the end of the name")
		return &d
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(windowsChars, r) {
			shown := string(r)
			if r < 0x20 || r == 0x7f {
				shown = fmt.Sprintf("U+%04X", r)
			}
			d := diag.Errorf(diag.Position{File: file}, "名称 %q 含有 Windows 不允许的字符 %s", "%q holds the character %s, which Windows refuses in a name", name, shown).
				WithHint("去掉 < > : \" / \\ | ? * 和控制字符", "remove < > : \" / \\ | ? * and control characters")
			return &d
		}
	}
	return nil
}

// CheckSlug returns an error when slug cannot be part of a record's
// address: when it cannot be a file name everywhere (CheckName), or holds
// spaces, ?#%\ or control characters, or starts with a dot.
func CheckSlug(file, slug string) *diag.Diagnostic {
	bad := ""
	for _, r := range slug {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(" ?#%\\\u3000", r) {
			bad = string(r)
			break
		}
	}
	if slug == "" || bad != "" || strings.HasPrefix(slug, ".") {
		d := diag.Errorf(diag.Position{File: file}, "文件名 %q 不能用作网址：不能含空格和 ?#%%\\ 等字符", "the file name %q cannot be a URL: no spaces or ?#%%\\ characters", slug).
			WithHint("请改用字母、数字和连字符，如 2026-q3-caiwu.md", "rename it with letters, digits and hyphens, e.g. 2026-q3-caiwu.md")
		return &d
	}
	return CheckName(file, slug)
}

// FoldKey returns the form of a path under which Windows and macOS take
// two names for the same file: Unicode NFC and case folded. Two paths of
// the content folder with the same key cannot both exist there.
func FoldKey(p string) string {
	if ASCII(p) {
		// NFC leaves ASCII as it is, and folding it only lowers A–Z.
		return strings.ToLower(p)
	}
	return cases.Fold().String(norm.NFC.String(p))
}

// ASCII reports whether s is plain ASCII.
func ASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// SuggestSlug returns an ASCII slug for a record dated date whose slug is
// not ASCII: its date, then the ASCII letters and digits the slug has,
// accents dropped ("2026年Q3财务" of 2026-10-08 → "2026-10-08-q3"; "café" →
// "…-cafe"), lower case. Chinese has no ASCII spelling here: the clerk may
// add a pinyin abbreviation.
func SuggestSlug(slug string, date time.Time) string {
	var words []string
	var w strings.Builder
	flush := func() {
		if w.Len() > 0 {
			words = append(words, w.String())
			w.Reset()
		}
	}
	for _, r := range norm.NFD.String(slug) { // é → e and a combining accent
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			w.WriteRune(unicode.ToLower(r))
		} else {
			flush()
		}
	}
	flush()
	out := "record"
	if !date.IsZero() {
		out = date.Format("2006-01-02")
	}
	for _, x := range words {
		if !strings.Contains(out, x) {
			out += "-" + x
		}
	}
	return out
}
