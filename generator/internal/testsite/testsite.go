// Package testsite builds the demo board of content/ in memory, with a
// record past its unpublish_after added, for the tests of the stages that
// must leave such records out (feeds, sitemap, data files). It is apart
// from testboard because it imports build, whose own tests use testboard.
package testsite

import (
	"testing"
	"time"

	"gongkai/generator/build"
	"gongkai/generator/internal/testboard"
	"gongkai/generator/record"
)

// ExpiredID is the id of the added record, public but past its
// unpublish_after on Today.
const ExpiredID = "disclosures/zz-expired"

const expired = `+++
title = "已到期撤下的公告"
date = 2025-11-01
category = "居务公开"
unpublish_after = 2026-01-31
+++

本公告已到期。
`

// Today is the day the demo board is built for.
var Today = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// Build builds the demo board plus the expired record into memory.
func Build(t testing.TB) (*build.MemOutput, *record.Board) {
	t.Helper()
	fsys := testboard.Demo(t, map[string]string{ExpiredID + ".md": expired})
	out, board, ds, err := build.ToMemory(build.Options{Src: fsys, Today: Today})
	if err != nil || out == nil {
		t.Fatalf("build: %v %v", err, ds)
	}
	return out, board
}
