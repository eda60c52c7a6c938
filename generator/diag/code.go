package diag

// WithCode returns d with its stable code: a dotted name of the stage
// and the kind of problem, such as "ledger.unregistered", that programs
// and commands match instead of the message text.
func (d Diagnostic) WithCode(code string) Diagnostic {
	d.Code = code
	return d
}

// Has reports whether any diagnostic has code.
func (l List) Has(code string) bool {
	for _, d := range l {
		if d.Code == code {
			return true
		}
	}
	return false
}
