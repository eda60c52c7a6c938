package search

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// The words of ../../../shared/tools/gencorpus.py, so the synthetic board
// has the same vocabulary (and the same very common grams) as the one the
// conformance check builds.
var corpusWords = strings.Fields(`社区 居民 党组织 议事 协商 公开 监督 服务 群众 网格
楼栋 志愿者 环境 整治 改造 项目 资金 预算 安置 养老 卫生 治安 调解 纠纷 文化 广场
物业 业主 委员会 会议 代表 表决 决议 实施 验收 公示 意见 建议 反馈 落实 老旧小区
基础设施 公共设施 便民 党群服务中心 健身 绿化 道路 照明 围墙 排水 管网 慰问 困难群众
低保 补贴 救助 培训`)

var (
	corpusPunct    = []string{"，", "，", "，", "、", "；"}
	corpusDiscCats = []string{"党务公开", "居务公开", "财务公开", "惠民资金", "工程项目", "其他"}
	corpusMeetings = []string{"居民代表会议", "两委联席会议", "党员大会", "党组织委员会"}
)

// corpus makes n synthetic records shaped like gencorpus.py's: titles,
// numbers, dates, sentences of the common words, finance items.
func corpus(n int, seed uint64) []Doc {
	rng := rand.New(rand.NewPCG(seed, 1))
	word := func() string { return corpusWords[rng.IntN(len(corpusWords))] }
	sentence := func() string {
		var b strings.Builder
		k := 4 + rng.IntN(6)
		for i := range k {
			b.WriteString(word())
			if i < k-1 && rng.Float64() < 0.35 {
				b.WriteString(corpusPunct[rng.IntN(len(corpusPunct))])
			}
		}
		b.WriteString("。")
		return b.String()
	}
	body := func(paras int) string {
		var b strings.Builder
		for p := range paras {
			if p > 0 {
				b.WriteString("\n\n")
			}
			for range 3 + rng.IntN(5) {
				b.WriteString(sentence())
			}
		}
		return b.String()
	}
	docs := make([]Doc, 0, n)
	for i := 1; len(docs) < n; i++ {
		year := 2015 + i%12
		date := fmt.Sprintf("%04d-%02d-%02d", year, 1+rng.IntN(12), 1+rng.IntN(28))
		var d Doc
		switch r := rng.Float64(); {
		case r < 0.05:
			d = Doc{URL: fmt.Sprintf("conventions/c%05d/", i), Section: "conventions", SectionName: "居民公约",
				Title: fmt.Sprintf("青石社区居民公约（第%d号）", i), Text: body(3 + rng.IntN(8))}
		case r < 0.55:
			cat := corpusDiscCats[rng.IntN(len(corpusDiscCats))]
			d = Doc{URL: fmt.Sprintf("disclosures/d%05d/", i), Section: "disclosures", SectionName: "居务公开",
				Title: fmt.Sprintf("%d年第%d期%s", year, i, cat), Text: body(2 + rng.IntN(4))}
			if cat == "财务公开" {
				var b strings.Builder
				for k := range 10 + rng.IntN(20) {
					fmt.Fprintf(&b, "\n%s%s费用 %d.%02d 记-%02d-%02d", word(), word(), rng.IntN(500000), rng.IntN(100), k+1, 1+rng.IntN(99))
				}
				d.Text += b.String()
			}
		case r < 0.75:
			d = Doc{URL: fmt.Sprintf("decisions/j%05d/", i), Section: "decisions", SectionName: "三重一大",
				Title: "关于" + word() + word() + "事项的决定", Number: fmt.Sprintf("青石居〔%d〕%d号", year, i),
				Text: body(1 + rng.IntN(4))}
		default:
			meeting := corpusMeetings[rng.IntN(len(corpusMeetings))]
			text := body(2 + rng.IntN(5))
			for range 2 + rng.IntN(4) {
				text += "\n" + sentence()
			}
			d = Doc{URL: fmt.Sprintf("minutes/m%05d/", i), Section: "minutes", SectionName: "会议记录",
				Title: fmt.Sprintf("%s记录（%s）", meeting, date), Text: text}
		}
		d.Date = date
		docs = append(docs, d)
	}
	return docs
}
