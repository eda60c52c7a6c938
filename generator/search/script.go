package search

import (
	"bytes"
	_ "embed"
)

//go:embed search.js
var script []byte

// Script returns the browser script of the search page (plain JavaScript,
// no dependencies, no eval, nothing inline, so a Content-Security-Policy of
// script-src 'self' allows it), with the synonym table filled in. It
// expects the page described in search.js's header comment: a form#search
// with data-index, an input named q, a status element #search-status and
// an ol#results in main. The caller names the file and minifies it; the
// slice is a fresh copy.
func Script() []byte {
	return bytes.Replace(script, []byte("/*REWRITES*/[]"), rewritesJSON(), 1)
}
