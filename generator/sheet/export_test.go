package sheet

// CSSString is cssString, for the tests.
var CSSString = cssString
