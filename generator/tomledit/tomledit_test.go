package tomledit

import (
	"strings"
	"testing"
)

// minutes is the front matter of a minutes template, partly filled in.
const minutes = `# 会议记录。把所有【请填写：……】换成真实内容；不需要的行整行删去。
title = "居民代表会议记录"
date = 2026-06-16T14:30:00         # 开会的日期和时间
meeting = "居民代表会议"          # 居民代表会议 村民代表会议
place = "【请填写：地点】"
expected = 0                      # 【请填写：应到人数】
present = 0                       # 【请填写：实到人数】，不能多于应到

# 缺席的人，一人一段；没有就删去
# [[absent]]
# name = "【请填写：姓名】"

[[agenda]]                        # 议题，一个一段
item = "议题一"

[[resolutions]]                   # 表决事项，一个一段
text = "同意"
for = 0                           # 【请填写：赞成票】
against = 0
# decision = "decisions/【请填写：对应的决策文件名】"
`

var minutesOrder = []string{"title", "date", "number", "issuer", "meeting", "place", "chair", "recorder", "expected", "present", "summary", "tags", "notice", "change_note", "absent", "agenda", "resolutions"}

func edit(t *testing.T, text string, f func(d *Doc) error) string {
	t.Helper()
	d, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	if err := f(d); err != nil {
		t.Fatal(err)
	}
	out, err := d.Text()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func wantText(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestUnchanged(t *testing.T) {
	for _, text := range []string{minutes, strings.ReplaceAll(minutes, "\n", "\r\n"), "", "a = 1", "a = 1\r\nb = 2\n"} {
		wantText(t, edit(t, text, func(*Doc) error { return nil }), text)
	}
}

func TestSetKeepsComments(t *testing.T) {
	got := edit(t, minutes, func(d *Doc) error {
		if err := d.Set("place", String("青石社区党群服务中心")); err != nil {
			return err
		}
		if err := d.Set("expected", Int(35)); err != nil {
			return err
		}
		return d.Set("resolutions[0].for", Int(27))
	})
	want := strings.NewReplacer(`place = "【请填写：地点】"`, `place = "青石社区党群服务中心"`,
		"expected = 0                      #", "expected = 35                      #",
		"for = 0                           #", "for = 27                           #").Replace(minutes)
	wantText(t, got, want)
}

func TestInsertInOrder(t *testing.T) {
	got := edit(t, minutes, func(d *Doc) error {
		if err := d.Insert("", "chair", String("周某"), minutesOrder); err != nil {
			return err
		}
		if err := d.Insert("", "number", String("青石居〔2026〕3号"), minutesOrder); err != nil {
			return err
		}
		return d.Insert("resolutions[0]", "abstain", Int(2), []string{"text", "for", "against", "abstain", "result", "decision"})
	})
	want := strings.NewReplacer(
		"date = 2026-06-16T14:30:00         # 开会的日期和时间\n", "date = 2026-06-16T14:30:00         # 开会的日期和时间\nnumber = \"青石居〔2026〕3号\"\n",
		"place = \"【请填写：地点】\"\n", "place = \"【请填写：地点】\"\nchair = \"周某\"\n",
		"against = 0\n", "against = 0\nabstain = 2\n").Replace(minutes)
	wantText(t, got, want)
}

func TestDeleteLines(t *testing.T) {
	got := edit(t, minutes, func(d *Doc) error {
		if err := d.Delete("place"); err != nil {
			return err
		}
		return d.Delete("resolutions[0].against")
	})
	want := strings.NewReplacer("place = \"【请填写：地点】\"\n", "", "against = 0\n", "").Replace(minutes)
	wantText(t, got, want)
}

func TestAppendFirstElementInOrder(t *testing.T) {
	got := edit(t, minutes, func(d *Doc) error {
		if err := d.Append("absent", Table{Entries: []Entry{{"name", String("李某")}, {"reason", String("外出务工")}}}, minutesOrder); err != nil {
			return err
		}
		return d.Append("absent", Table{Entries: []Entry{{"name", String("赵某")}}}, minutesOrder)
	})
	want := strings.Replace(minutes, "\n[[agenda]]", "\n[[absent]]\nname = \"李某\"\nreason = \"外出务工\"\n\n[[absent]]\nname = \"赵某\"\n\n[[agenda]]", 1)
	wantText(t, got, want)
}

func TestAppendAfterLastElement(t *testing.T) {
	got := edit(t, minutes, func(d *Doc) error {
		return d.Append("agenda", Table{Entries: []Entry{{"item", String("议题二")}}}, minutesOrder)
	})
	want := strings.Replace(minutes, "item = \"议题一\"\n", "item = \"议题一\"\n\n[[agenda]]\nitem = \"议题二\"\n", 1)
	wantText(t, got, want)
}

func TestDeleteElement(t *testing.T) {
	text := "title = \"x\"\n\n[[agenda]]\nitem = \"一\"\n\n[[agenda]]\nitem = \"二\"\n\n[[agenda]]\nitem = \"三\"\n"
	got := edit(t, text, func(d *Doc) error { return d.DeleteElement("agenda", 1) })
	wantText(t, got, "title = \"x\"\n\n[[agenda]]\nitem = \"一\"\n\n[[agenda]]\nitem = \"三\"\n")
	got = edit(t, text, func(d *Doc) error {
		if err := d.DeleteElement("agenda", 0); err != nil {
			return err
		}
		if err := d.DeleteElement("agenda", 2); err != nil {
			return err
		}
		return d.Append("agenda", Table{Entries: []Entry{{"item", String("四")}}}, []string{"title", "agenda"})
	})
	wantText(t, got, "title = \"x\"\n\n[[agenda]]\nitem = \"二\"\n\n[[agenda]]\nitem = \"四\"\n")
}

func TestInlineTables(t *testing.T) {
	text := "title = \"x\"\nnotice = { from = 2026-10-13, to = 2026-10-22 }   # 公示期\n"
	wantText(t, edit(t, text, func(d *Doc) error { return d.Set("notice.to", Date("2026-10-25")) }),
		"title = \"x\"\nnotice = { from = 2026-10-13, to = 2026-10-25 }   # 公示期\n")
	wantText(t, edit(t, text, func(d *Doc) error { return d.Delete("notice.from") }),
		"title = \"x\"\nnotice = { to = 2026-10-22 }   # 公示期\n")
	wantText(t, edit(t, text, func(d *Doc) error { return d.Delete("notice.to") }),
		"title = \"x\"\nnotice = { from = 2026-10-13 }   # 公示期\n")
	wantText(t, edit(t, "notice = { to = 2026-10-22 }\n", func(d *Doc) error {
		return d.Insert("notice", "from", Date("2026-10-13"), []string{"from", "to"})
	}), "notice = { from = 2026-10-13, to = 2026-10-22 }\n")
	wantText(t, edit(t, "title = \"x\"\ndate = 2026-10-13\n\n[finance]\nopening = \"1\"\n", func(d *Doc) error {
		return d.Insert("", "notice", Table{Inline: true, Entries: []Entry{{"from", Date("2026-10-13")}, {"to", Date("2026-10-22")}}}, []string{"title", "date", "notice", "finance"})
	}), "title = \"x\"\ndate = 2026-10-13\nnotice = { from = 2026-10-13, to = 2026-10-22 }\n\n[finance]\nopening = \"1\"\n")
}

func TestSections(t *testing.T) {
	order := []string{"title", "category", "finance", "tables"}
	fin := Table{Entries: []Entry{
		{"opening", String("100.00")}, {"closing", String("150.00")},
		{"income", Array{{Entries: []Entry{{"date", Date("2026-07-10")}, {"item", String("经费")}, {"amount", String("50.00")}}}}},
	}}
	text := "title = \"x\"\ncategory = \"财务公开\"\n\n# 名单\n[[tables]]\ntitle = \"名单\"\nfile = \"a.csv\"\n"
	got := edit(t, text, func(d *Doc) error { return d.Insert("", "finance", fin, order) })
	wantText(t, got, "title = \"x\"\ncategory = \"财务公开\"\n\n[finance]\nopening = \"100.00\"\nclosing = \"150.00\"\n\n[[finance.income]]\ndate = 2026-07-10\nitem = \"经费\"\namount = \"50.00\"\n\n# 名单\n[[tables]]\ntitle = \"名单\"\nfile = \"a.csv\"\n")
	// Removing the account removes its lines too.
	wantText(t, edit(t, got, func(d *Doc) error { return d.Delete("finance") }), text)
	// A line of an account placed after the income lines.
	got2 := edit(t, got, func(d *Doc) error {
		return d.Append("finance.expense", Table{Entries: []Entry{{"date", Date("2026-07-11")}, {"item", String("支出")}, {"amount", String("1.00")}}},
			[]string{"opening", "closing", "file", "sheet", "income", "expense"})
	})
	if !strings.Contains(got2, "amount = \"50.00\"\n\n[[finance.expense]]\ndate = 2026-07-11\nitem = \"支出\"\namount = \"1.00\"\n\n# 名单") {
		t.Errorf("expense not after income:\n%s", got2)
	}
}

func TestCRLFAndMultiline(t *testing.T) {
	text := "title = \"x\"\r\ndate = 2026-01-01\r\n"
	got := edit(t, text, func(d *Doc) error {
		return d.Insert("", "summary", String("第一行\n第二行 \"引号\" \\"), []string{"title", "date", "summary"})
	})
	wantText(t, got, "title = \"x\"\r\ndate = 2026-01-01\r\nsummary = \"\"\"\r\n第一行\r\n第二行 \\\"引号\\\" \\\\\"\"\"\r\n")
}

func TestErrors(t *testing.T) {
	d, err := Parse(minutes)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Set("nope", Int(1)); err == nil {
		t.Error("Set of a missing key succeeded")
	}
	if err := d.Delete("place"); err != nil {
		t.Fatal(err)
	}
	if err := d.Set("place", String("x")); err == nil {
		t.Error("Set of a deleted key succeeded")
	}
	if err := d.Insert("", "title", String("x"), nil); err == nil {
		t.Error("Insert of a present key succeeded")
	}
	if _, err := Parse("a = "); err == nil {
		t.Error("Parse of invalid TOML succeeded")
	}
	if err := d.Insert("", "date2", Date("nope"), nil); err == nil {
		t.Error("a bad date was written")
	}
}

// TestSectionsIntoEmpty: a document written from nothing has a blank
// line before each section, as a person writes it.
func TestSectionsIntoEmpty(t *testing.T) {
	got := edit(t, "", func(d *Doc) error {
		if err := d.Insert("", "title", String("记录"), minutesOrder); err != nil {
			return err
		}
		if err := d.Insert("", "expected", Int(35), minutesOrder); err != nil {
			return err
		}
		if err := d.Append("agenda", Table{Entries: []Entry{{Key: "item", Value: String("议题一")}}}, minutesOrder); err != nil {
			return err
		}
		return d.Append("resolutions", Table{Entries: []Entry{{Key: "text", Value: String("同意")}, {Key: "for", Value: Int(30)}}}, minutesOrder)
	})
	want := "title = \"记录\"\nexpected = 35\n\n[[agenda]]\nitem = \"议题一\"\n\n[[resolutions]]\ntext = \"同意\"\nfor = 30\n"
	if got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}
