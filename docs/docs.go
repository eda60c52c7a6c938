// Package docs holds the documents the site publishes as they are kept in
// the repository: the method of verifying a board's ledger (verify.md,
// the /ledger/verify/ page) and the reference verification script
// (verify.py, published at /ledger/verify.py).
package docs

import _ "embed"

//go:embed verify.md
var verifyMethod string

//go:embed verify.py
var verifyScript []byte

// VerifyMethod returns verify.md: how anyone checks a published ledger.
func VerifyMethod() string { return verifyMethod }

// VerifyScript returns verify.py, the reference verification script.
func VerifyScript() []byte { return append([]byte(nil), verifyScript...) }
