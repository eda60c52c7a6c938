// Package link makes the relative URLs between pages of the built site, so
// that public/ works under any host path and straight from disk. Pages are
// named by their site-relative directory ("decisions/2026-02/", "" for the
// home page) or file ("feed.xml").
package link

import "strings"

// Rel returns the URL of target as seen from the page at from. Both are
// site-relative; a trailing slash marks a directory page. With offline,
// directory links name their index.html so a copy browses from disk.
func Rel(from, target string, offline bool) string {
	fromDir := from
	if i := strings.LastIndexByte(fromDir, '/'); i >= 0 {
		fromDir = fromDir[:i+1]
	} else {
		fromDir = ""
	}
	up := strings.Count(fromDir, "/")
	var b strings.Builder
	b.Grow(3*up + len(target) + 10)
	for i := 0; i < up; i++ {
		b.WriteString("../")
	}
	b.WriteString(target)
	if offline && (target == "" || strings.HasSuffix(target, "/")) {
		b.WriteString("index.html")
	}
	s := b.String()
	if s == "" {
		return "./"
	}
	return s
}

// Page returns the site-relative directory of a record's page.
func Page(id string) string { return id + "/" }

// Version returns the page of version n of a record.
func Version(id string, n int) string { return id + "/v" + itoa(n) + "/" }

// Print returns the print sheet page of a record.
func Print(id string) string { return "print/" + id + "/" }

func itoa(n int) string {
	if n <= 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// DataDir is the folder of the open data files.
const DataDir = "data/"

// FinanceCSV returns the CSV file of a record's finance account.
func FinanceCSV(id string) string { return DataDir + id + "-finance.csv" }

// TableCSV returns the CSV file of a record's n-th table (from 1).
func TableCSV(id string, n int) string { return DataDir + id + "-" + itoa(n) + ".csv" }
