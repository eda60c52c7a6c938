// Package corpus generates valid synthetic boards of any size for
// benchmarks and tests, modelled on ../shared/tools/gencorpus.py: records
// whose votes fit attendance, whose accounts balance and whose decisions
// link minutes that exist.
package corpus

import (
	"fmt"
	"math/rand"
	"strings"
	"testing/fstest"
	"time"
)

var words = []string{
	"社区", "居民", "党组织", "议事", "协商", "公开", "监督", "服务", "群众", "网格",
	"楼栋", "志愿者", "环境", "整治", "改造", "项目", "资金", "预算", "安置", "养老",
	"卫生", "治安", "调解", "纠纷", "文化", "广场", "物业", "业主", "委员会", "会议",
	"代表", "表决", "决议", "实施", "验收", "公示", "意见", "建议", "反馈", "落实",
	"老旧小区", "基础设施", "公共设施", "便民", "党群服务中心", "健身", "绿化", "道路",
}

var digits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

func numeral(n int) string {
	switch {
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + strings.TrimPrefix(digits[n%10], "零")
	case n < 100:
		s := digits[n/10] + "十"
		if n%10 != 0 {
			s += digits[n%10]
		}
		return s
	}
	return fmt.Sprint(n)
}

// Site is the site.toml of generated boards.
const Site = `title = "青石社区居务公开栏"
community = "青石社区"
issuer = "青石社区居民委员会"
base_url = "https://example.org/qingshi/"
notice_min_days = 5

[contact]
phone = "023-0000-0000"
supervise_phone = "023-0000-0001"

[procedure]
stages = ["社区党组织提议", "两委会商议", "党员大会审议", "居民代表会议决议", "决议公开", "实施结果公开"]
`

type gen struct{ rng *rand.Rand }

func (g gen) sentence() string {
	var b strings.Builder
	n := 4 + g.rng.Intn(6)
	for i := 0; i < n; i++ {
		b.WriteString(words[g.rng.Intn(len(words))])
		if i < n-1 && g.rng.Intn(3) == 0 {
			b.WriteString("，")
		}
	}
	return b.String() + "。"
}

func (g gen) body(paras int) string {
	var b strings.Builder
	for p := 0; p < paras; p++ {
		for s := 0; s < 3+g.rng.Intn(4); s++ {
			b.WriteString(g.sentence())
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

func (g gen) day(year int) time.Time {
	return time.Date(year, time.Month(1+g.rng.Intn(12)), 1+g.rng.Intn(28), 0, 0, 0, 0, time.UTC)
}

func fen(a int) string { return fmt.Sprintf("%d.%02d", a/100, a%100) }

// Board returns a board of n records as files relative to the content
// folder (site.toml included).
func Board(n int, seed int64) map[string]string {
	g := gen{rand.New(rand.NewSource(seed))}
	files := map[string]string{"site.toml": Site}
	made := 0
	for i := 1; made < n; i++ {
		year := 2015 + i%12
		r := g.rng.Float64()
		switch {
		case r < 0.05:
			var b strings.Builder
			b.WriteString("# 第一章 总则\n\n")
			for a := 1; a <= 8+g.rng.Intn(20); a++ {
				fmt.Fprintf(&b, "## 第%s条\n\n%s\n\n", numeral(a), g.sentence())
			}
			d := g.day(year)
			files[fmt.Sprintf("conventions/c%05d.md", i)] = fmt.Sprintf("+++\ntitle = \"青石社区居民公约（第%d号）\"\ndate = %s\nkind = \"居民公约\"\n+++\n\n%s",
				i, d.Format("2006-01-02"), b.String())
			made++
		case r < 0.55:
			d := g.day(year)
			fm := fmt.Sprintf("title = \"%d年第%d期居务公开\"\ndate = %s\ncategory = \"财务公开\"\nperiod = \"%d-Q%d\"\nnotice = { from = %s, to = %s }\n",
				year, i, d.Format("2006-01-02"), year, 1+g.rng.Intn(4), d.Format("2006-01-02"), d.AddDate(0, 0, 7).Format("2006-01-02"))
			opening := 100000 + g.rng.Intn(4900000)
			closing := opening
			var lines strings.Builder
			for _, kind := range []string{"income", "expense"} {
				for k := 0; k < 5+g.rng.Intn(10); k++ {
					a := 1000 + g.rng.Intn(200000)
					if kind == "income" {
						closing += a
					} else {
						closing -= a
					}
					fmt.Fprintf(&lines, "\n[[finance.%s]]\ndate = %s\nitem = \"%s%s费用\"\namount = \"%s\"\nvoucher = \"记-%02d-%02d\"\n",
						kind, g.day(year).Format("2006-01-02"), words[g.rng.Intn(len(words))], words[g.rng.Intn(len(words))], fen(a), k+1, 1+g.rng.Intn(98))
				}
			}
			if closing < 0 {
				opening -= closing
				closing = 0
			}
			fm += fmt.Sprintf("\n[finance]\nopening = \"%s\"\nclosing = \"%s\"\n%s", fen(opening), fen(closing), lines.String())
			files[fmt.Sprintf("disclosures/d%05d.md", i)] = "+++\n" + fm + "+++\n\n" + g.body(2+g.rng.Intn(4))
			made++
		default:
			expected := 15 + g.rng.Intn(30)
			present := (2*expected+2)/3 + g.rng.Intn(expected-(2*expected+2)/3+1)
			d := g.day(year)
			forV := present/2 + 1 + g.rng.Intn(present-present/2)
			minID, decID := fmt.Sprintf("minutes/m%05d", i), fmt.Sprintf("decisions/j%05d", i)
			withDec := made+2 <= n && g.rng.Intn(2) == 0
			link := ""
			if withDec {
				link = fmt.Sprintf("decision = \"%s\"\n", decID)
			}
			files[minID+".md"] = fmt.Sprintf("+++\ntitle = \"居民代表会议记录（%s）\"\ndate = %sT14:30:00\nmeeting = \"居民代表会议\"\nexpected = %d\npresent = %d\n\n[[agenda]]\nitem = \"%s\"\n\n[[resolutions]]\ntext = \"%s\"\nfor = %d\nagainst = %d\nabstain = 0\n%s+++\n\n%s",
				d.Format("2006-01-02"), d.Format("2006-01-02"), expected, present, g.sentence(), g.sentence(), forV, present-forV, link, g.body(2+g.rng.Intn(4)))
			made++
			if withDec {
				var steps strings.Builder
				stages := []string{"社区党组织提议", "两委会商议", "党员大会审议", "居民代表会议决议", "决议公开"}
				for k, s := range stages {
					fmt.Fprintf(&steps, "\n[[steps]]\nstage = \"%s\"\ndate = %s\n", s, d.AddDate(0, 0, k-3).Format("2006-01-02"))
					if k == 3 {
						fmt.Fprintf(&steps, "minutes = \"%s\"\n", minID)
					}
				}
				files[decID+".md"] = fmt.Sprintf("+++\ntitle = \"关于%s%s事项的决定\"\ndate = %s\nnumber = \"青石居〔%d〕%d号\"\ncategory = \"重大事项决策\"\n%s+++\n\n%s",
					words[g.rng.Intn(len(words))], words[g.rng.Intn(len(words))], d.Format("2006-01-02"), year, i, steps.String(), g.body(1+g.rng.Intn(3)))
				made++
			}
		}
	}
	return files
}

// FS returns Board(n, seed) as an in-memory file system.
func FS(n int, seed int64) fstest.MapFS {
	m := fstest.MapFS{}
	for name, text := range Board(n, seed) {
		m[name] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
	}
	return m
}
