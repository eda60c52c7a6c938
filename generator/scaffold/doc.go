// Package scaffold writes new content for a clerk: `gongkai new <section>
// <slug>` makes a record from the theme's template for its section
// (themes/default/archetypes/<section>.md), filled with the date and the
// site's defaults.
//
// A new record is written only inside the content folder, through its
// os.Root (never through a link to a folder, which build would not follow,
// let alone one that leads out of the folder), never over an
// existing file, and only under a name that works everywhere: not one
// Windows reserves (CON, NUL, COM1 …), none ending in a dot or a space,
// none with a character Windows refuses, and none that Windows or macOS
// would take for an existing record's (upper and lower case, Unicode
// forms). A name that is not plain ASCII is written with a warning that
// suggests an ASCII one: it makes a shorter address and QR code.
//
// # Placeholders
//
// A template marks every piece of text the clerk must replace as
//
//	【请填写：说明】
//
// — in a value (title = "【请填写：标题】"), in the body, or in a commented
// line the clerk may uncomment. record.PlaceholderMark is the mark: a
// record that still holds it outside a TOML comment is an error at its
// line and column in check, build and publish, until it is replaced, so an
// untouched template is never published. A number is either written the
// same way, in quotes (expected = "【请填写：应到人数】"), or left at 0 with
// the placeholder in a comment (expected = 0  # 【请填写：应到人数】): the
// record's own rules refuse a meeting that expects nobody, one that voted
// with nobody present and a vote without votes. Templates rewritten later
// keep this convention; a test checks that every template has
// placeholders and that each one is reported.
package scaffold
