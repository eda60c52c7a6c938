//go:build unix && !linux

package build

// mapPopulate: the pages of a cache file are mapped as they are read.
const mapPopulate = 0
