package build

import "syscall"

// mapPopulate maps the pages of a cache file at once: they are all read.
const mapPopulate = syscall.MAP_POPULATE
