// Package a11y holds the reading-experience tests of the default theme:
// axe-core (WCAG 2.2 AA) on every page type of a built board in light and
// dark mode, no page wider than a 360 px phone (or a 320 px window, the
// 200% zoom of WCAG's reflow rule), the 大字 switch surviving a reload,
// pages readable with JavaScript off, and a record page under 30 KB gzip.
//
// The browser tests need Chromium and axe-core's axe.min.js (found in
// $GONGKAI_AXE, ~/.cache/gongkai-conformance/node_modules/axe-core or a
// node_modules folder above the working directory). Without them they skip
// visibly, unless GONGKAI_REQUIRE_BROWSER=1 makes that a failure.
// GONGKAI_A11Y_ALL=1 checks every page of the build instead of one of each
// type.
package a11y
