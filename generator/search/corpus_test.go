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
	corpusDecCats  = []string{"重大事项决策", "重要干部任免", "重大项目安排", "大额资金使用"}
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
			d = Doc{URL: fmt.Sprintf("conventions/c%05d/", i), Section: "conventions", SectionName: "村规民约与居民公约",
				Category: "居民公约", Title: fmt.Sprintf("青石社区居民公约（第%d号）", i), Text: body(3 + rng.IntN(8)),
				Facets: []string{"居民公约"}}
		case r < 0.55:
			cat := corpusDiscCats[rng.IntN(len(corpusDiscCats))]
			q := 1 + rng.IntN(4)
			d = Doc{URL: fmt.Sprintf("disclosures/d%05d/", i), Section: "disclosures", SectionName: "公开事项",
				Category: cat, Title: fmt.Sprintf("%d年第%d期%s", year, i, cat), Text: body(2 + rng.IntN(4)),
				Facets:     []string{fmt.Sprintf("%d年第%s季度", year, "一二三四"[3*(q-1):3*q]), fmt.Sprintf("%d年%s季度", year, "一二三四"[3*(q-1):3*q])},
				NoticeFrom: date, NoticeTo: date}
			if cat == "财务公开" {
				for range 10 + rng.IntN(20) {
					d.Lines = append(d.Lines, word()+word()+"费用")
				}
			}
		case r < 0.75:
			d = Doc{URL: fmt.Sprintf("decisions/j%05d/", i), Section: "decisions", SectionName: "三重一大",
				Category: corpusDecCats[rng.IntN(len(corpusDecCats))],
				Title:    "关于" + word() + word() + "事项的决定", Number: fmt.Sprintf("青石居〔%d〕%d号", year, i),
				Text: "社区党组织提议 两委会商议 党员大会审议 居民代表会议决议 决议公开\n" + body(1+rng.IntN(4))}
		default:
			meeting := corpusMeetings[rng.IntN(len(corpusMeetings))]
			d = Doc{URL: fmt.Sprintf("minutes/m%05d/", i), Section: "minutes", SectionName: "会议记录",
				Category: meeting, Title: fmt.Sprintf("%s记录（%s）", meeting, date), Text: "社区党群服务中心会议室\n" + body(2+rng.IntN(5))}
			for range 2 + rng.IntN(4) {
				d.Lines = append(d.Lines, sentence())
			}
		}
		d.Date = date
		d.Lead = squeeze(d.Text, 120)
		docs = append(docs, d)
	}
	return docs
}
