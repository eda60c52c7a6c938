// Package themes holds the default theme, embedded into the binary so that
// gongkai works from any folder: page templates, CSS and script, print
// sheet layout, and the record templates that `gongkai new` writes.
package themes

import (
	"embed"
	"io/fs"
)

//go:embed all:default
var files embed.FS

// Default returns the default theme: templates/, assets/ and archetypes/.
func Default() fs.FS {
	sub, err := fs.Sub(files, "default")
	if err != nil {
		panic(err) // the embedded folder is always there
	}
	return sub
}
