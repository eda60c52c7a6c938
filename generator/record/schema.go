package record

import (
	"sort"

	"gongkai/generator/config"
	"gongkai/generator/fields"
)

// Type is what a field of a record holds, as a form shows it.
type Type int

// The types of fields.
const (
	TypeText     Type = iota // one line of text
	TypeLongText             // a few lines of text
	TypeDate                 // a date, written without quotes
	TypeDateTime             // a date with a time of day, or a date
	TypeEnum                 // one of the field's Enum values
	TypeAmount               // a sum of money in yuan, written in quotes ("1234.50")
	TypeInt                  // a whole number: counts of people and votes
	TypeBool                 // yes or no
	TypeList                 // a list of short texts
	TypeFiles                // names of files in the record's folder
	TypeFile                 // the name of one file in the record's folder
	TypeLink                 // the id of a record of the section in Link
	TypePeriod               // 2026, 2026-Q3, 2026-10, 2026-H1
	TypeGroup                // a table with Fields of its own
	TypeRows                 // an array of tables, each with Fields
)

// Field declares one key of a record's front matter: the key, the label
// the pages give it, what it holds, whether it is required, and the hint
// the templates of `gongkai new` give. The decoder (its checks of unknown
// and missing keys and of their shapes) and the browser editor's forms
// both read the fields from Schema, so a field declared here is known to
// both.
type Field struct {
	Key      string
	Label    string // the Chinese label of the pages: 标题, 日期, 文号 …
	Type     Type
	Required bool
	Hint     string // what to write, as the templates say it
	// Example is a value as written in TOML, shown in the message for a
	// missing key.
	Example string
	// Enum are the allowed values of an Enum field, Labels (when set)
	// their names in the form; Suggest are common values of a Text field.
	Enum    []string
	Labels  []string
	Suggest []string
	// Link is the section a Link field points into.
	Link string
	// Fields are the keys of a Group or of each row of Rows.
	Fields []Field
}

// Shape returns the TOML shape of the field's value.
func (f Field) Shape() fields.Kind {
	switch f.Type {
	case TypeDate, TypeDateTime:
		return fields.DateKind
	case TypeAmount:
		return fields.AnyKind
	case TypeInt:
		return fields.IntKind
	case TypeBool:
		return fields.BoolKind
	case TypeList, TypeFiles:
		return fields.StringsKind
	case TypeGroup:
		return fields.TableKind
	case TypeRows:
		return fields.TablesKind
	}
	return fields.StringKind
}

// Keys returns the declaration of fs for fields.Table.Declare.
func Keys(fs []Field) []fields.Key {
	out := make([]fields.Key, len(fs))
	for i, f := range fs {
		out[i] = fields.Key{Name: f.Key, Kind: f.Shape(), Required: f.Required, Example: f.Example, Keys: Keys(f.Fields)}
	}
	return out
}

// Find returns the field of fs with key k.
func Find(fs []Field, k string) (Field, bool) {
	for _, f := range fs {
		if f.Key == k {
			return f, true
		}
	}
	return Field{}, false
}

// Schema returns the fields of a record of section, in the documented
// order of its front matter: the fields every record has (title, date,
// number, issuer), the section's own, then summary, tags, notice,
// unpublish_after, attachments, personal, draft, print and change_note,
// and last the section's tables ([finance], [[tables]], [[steps]],
// [[absent]], [[agenda]], [[resolutions]]). New keys are written in this
// order, and a new record's front matter follows it.
//
// site gives the values the site configures (disclosure categories,
// procedure stages, meeting kinds, the default issuer); nil leaves them
// empty.
func Schema(site *config.Site, section string) []Field {
	if site == nil {
		site = &config.Site{}
	}
	s := sectionSchema(site, section)
	head := []Field{
		{Key: "title", Label: "标题", Type: TypeText, Required: true, Hint: s.title, Example: `"…"`},
		{Key: "date", Label: s.dateLabel, Type: s.dateType, Required: true, Hint: s.date, Example: "2026-07-08"},
		{Key: "number", Label: "文号", Hint: "有文号时填写，如 青石居〔2026〕3号；每个文号只能用一次", Example: `"…"`},
		{Key: "issuer", Label: "发布单位", Hint: issuerHint(site), Example: `"…"`},
	}
	tail := []Field{
		{Key: "summary", Label: "摘要", Type: TypeLongText, Hint: "不填时取正文第一段", Example: `"…"`},
		{Key: "tags", Label: "标签", Type: TypeList, Hint: "便于查找的词，如 财务、季度公开", Example: `["…"]`},
		{Key: "notice", Label: "公示期", Type: TypeGroup, Hint: "公示期，首尾两天都算", Example: "{ from = 2026-07-08, to = 2026-07-14 }", Fields: []Field{
			{Key: "from", Label: "开始", Type: TypeDate, Required: true, Example: "2026-07-08"},
			{Key: "to", Label: "结束", Type: TypeDate, Required: true, Example: "2026-07-14"},
		}},
		{Key: "unpublish_after", Label: "撤下日期", Type: TypeDate, Hint: "过了这一天，记录从网站上撤下（账本仍保留）；名单类公示常用", Example: "2027-07-08"},
		{Key: "attachments", Label: "附件", Type: TypeFiles, Hint: "放在记录文件夹里的文件，随记录发布", Example: `["…"]`},
		{Key: "personal", Label: "含个人信息", Type: TypeBool, Hint: "列有低保、补贴、救助等个人名单：不进搜索、订阅和数据文件，不让搜索引擎收录", Example: "true"},
		{Key: "draft", Label: "草稿", Type: TypeBool, Hint: "草稿不发布，只在预览里看得到", Example: "true"},
		{Key: "print", Label: "打印", Type: TypeGroup, Hint: "公开单的纸张和方向；不填时用 site.toml 的设置", Fields: []Field{
			{Key: "paper", Label: "纸张", Type: TypeEnum, Enum: []string{"A4", "A3"}, Example: `"A4"`},
			{Key: "orientation", Label: "方向", Type: TypeEnum, Enum: []string{"portrait", "landscape"}, Labels: []string{"纵向", "横向"}, Example: `"portrait"`},
		}},
		{Key: "change_note", Label: "修改说明", Type: TypeLongText, Hint: "已发布的记录修改后再发布时，写明修改的原因（会公开）", Example: `"…"`},
	}
	out := make([]Field, 0, len(head)+len(s.own)+len(tail)+len(s.tables))
	out = append(out, head...)
	out = append(out, s.own...)
	out = append(out, tail...)
	return append(out, s.tables...)
}

// sectionParts is what differs between sections.
type sectionParts struct {
	title, date string
	dateLabel   string
	dateType    Type
	own         []Field
	tables      []Field
}

func issuerHint(site *config.Site) string {
	if site.Issuer == "" {
		return "落款单位；不填时用 site.toml 的 issuer"
	}
	return "落款单位；不填时为 " + site.Issuer
}

func sectionSchema(site *config.Site, section string) sectionParts {
	s := sectionParts{dateLabel: "日期", dateType: TypeDate}
	switch section {
	case "conventions":
		s.title, s.date = "如 青石社区居民公约", "施行日期"
		s.own = []Field{
			{Key: "kind", Label: "类型", Type: TypeEnum, Required: true, Enum: ConventionKinds, Example: `"居民公约"`},
			{Key: "adopted_on", Label: "通过日期", Type: TypeDate, Hint: "哪一天通过", Example: "2026-07-08"},
			{Key: "adopted_by", Label: "通过会议", Hint: "由什么会议通过", Suggest: []string{"村民会议", "居民会议", "村民代表会议", "居民代表会议"}, Example: `"居民会议"`},
			{Key: "filed_with", Label: "备案机关", Hint: "向哪里备案", Suggest: nonEmpty(site.Parent), Example: `"…"`},
			{Key: "filed_on", Label: "备案日期", Type: TypeDate, Example: "2026-07-08"},
		}
	case "disclosures":
		s.title, s.date = "如 2026年第三季度社区经费收支公开", "公开日期"
		s.own = []Field{
			{Key: "category", Label: "类别", Type: TypeEnum, Required: true, Enum: site.DisclosureCategories, Example: `"居务公开"`},
			{Key: "period", Label: "所属期", Type: TypePeriod, Hint: "公开的是哪一期：2026（全年） 2026-Q3（季度） 2026-10（月） 2026-H1（半年）", Example: `"2026-Q3"`},
		}
		line := func(kind string) []Field {
			return []Field{
				{Key: "date", Label: "日期", Type: TypeDate, Required: true, Example: "2026-07-08"},
				{Key: "item", Label: "事项", Required: true, Hint: kind + "事项", Example: `"…"`},
				{Key: "amount", Label: "金额（元）", Type: TypeAmount, Required: true, Hint: "只写数字，最多两位小数，不写“元”", Example: `"1234.50"`},
				{Key: "voucher", Label: "凭证号", Hint: "如 记-07-01", Example: `"记-07-01"`},
			}
		}
		s.tables = []Field{
			{Key: "finance", Label: "账目", Type: TypeGroup, Hint: "财务公开填账目：期末余额 = 期初余额 + 收入合计 − 支出合计，程序会核对", Fields: []Field{
				{Key: "opening", Label: "期初余额", Type: TypeAmount, Required: true, Hint: "只写数字，最多两位小数，不写“元”", Example: `"1234.50"`},
				{Key: "closing", Label: "期末余额", Type: TypeAmount, Required: true, Hint: "只写数字，最多两位小数，不写“元”", Example: `"1234.50"`},
				{Key: "file", Label: "账目表格", Type: TypeFile, Hint: "账目在 Excel 里时：表格（.xlsx）放进记录文件夹，表头要有 日期、摘要、收入、支出；这时不填下面的收支", Example: `"账目.xlsx"`},
				{Key: "sheet", Label: "工作表", Hint: "不填时读第一张工作表", Example: `"…"`},
				{Key: "income", Label: "收入", Type: TypeRows, Hint: "一笔收入一行", Fields: line("收入")},
				{Key: "expense", Label: "支出", Type: TypeRows, Hint: "一笔支出一行", Fields: line("支出")},
			}},
			{Key: "tables", Label: "表格", Type: TypeRows, Hint: "名单或明细表：表格（.xlsx 或 .csv）放在记录文件夹里", Fields: []Field{
				{Key: "title", Label: "标题", Required: true, Example: `"资金使用明细"`},
				{Key: "file", Label: "文件", Type: TypeFile, Required: true, Example: `"明细.xlsx"`},
				{Key: "sheet", Label: "工作表", Hint: "Excel 表格不填时读第一张", Example: `"…"`},
				{Key: "sum", Label: "合计列", Type: TypeList, Hint: "要合计的列，会同时写出大写金额", Example: `["金额"]`},
			}},
		}
	case "decisions":
		s.title, s.date = "如 关于更换小区消防器材的决定", "作出决定的日期"
		s.own = []Field{
			{Key: "category", Label: "类别", Type: TypeEnum, Required: true, Enum: DecisionCategories, Example: `"重大事项决策"`},
			{Key: "origin", Label: "动议事由", Type: TypeEnum, Enum: Origins, Example: `"党员群众建议"`},
			{Key: "amount", Label: "金额（元）", Type: TypeAmount, Hint: "大额资金使用必须写金额；只写数字，最多两位小数", Example: `"128000.00"`},
		}
		s.tables = []Field{
			{Key: "steps", Label: "程序", Type: TypeRows, Hint: "每个程序步骤一行，按 site.toml 里 [procedure] 的顺序，日期不能倒退", Fields: []Field{
				{Key: "stage", Label: "程序", Type: TypeEnum, Required: true, Enum: site.Procedure, Example: `"…"`},
				{Key: "date", Label: "日期", Type: TypeDate, Required: true, Example: "2026-07-08"},
				{Key: "body", Label: "机构或会议", Hint: "提议的机构或会议", Example: `"…"`},
				{Key: "minutes", Label: "会议记录", Type: TypeLink, Link: "minutes", Hint: "表决的一步写那次会议的记录，结果按它的票数算", Example: `"minutes/2026-03-18-daibiao"`},
				{Key: "note", Label: "说明", Example: `"…"`},
			}},
		}
	case "minutes":
		s.title, s.date = "会议名称 + 记录，如 青石社区居民代表会议记录（2026年6月16日）", "开会的日期和时间"
		s.dateLabel, s.dateType = "时间", TypeDateTime
		s.own = []Field{
			{Key: "meeting", Label: "会议", Required: true, Suggest: meetings(site), Example: `"居民代表会议"`},
			{Key: "place", Label: "地点", Example: `"…"`},
			{Key: "chair", Label: "主持人", Example: `"…"`},
			{Key: "recorder", Label: "记录人", Example: `"…"`},
			{Key: "expected", Label: "应到人数", Type: TypeInt, Example: "35"},
			{Key: "present", Label: "实到人数", Type: TypeInt, Hint: "不能多于应到人数", Example: "29"},
		}
		s.tables = []Field{
			{Key: "absent", Label: "缺席", Type: TypeRows, Hint: "缺席的人，一人一行", Fields: []Field{
				{Key: "name", Label: "姓名", Required: true, Example: `"…"`},
				{Key: "reason", Label: "原因", Example: `"…"`},
			}},
			{Key: "agenda", Label: "议题", Type: TypeRows, Hint: "一个议题一行", Fields: []Field{
				{Key: "item", Label: "议题", Required: true, Example: `"…"`},
			}},
			{Key: "resolutions", Label: "表决事项", Type: TypeRows, Hint: "赞成 + 反对 + 弃权 不能多于实到人数", Fields: []Field{
				{Key: "text", Label: "决议事项", Required: true, Example: `"…"`},
				{Key: "for", Label: "赞成", Type: TypeInt, Required: true, Example: "27"},
				{Key: "against", Label: "反对", Type: TypeInt, Example: "0"},
				{Key: "abstain", Label: "弃权", Type: TypeInt, Example: "0"},
				{Key: "result", Label: "结果", Type: TypeEnum, Enum: []string{"通过", "未通过"}, Hint: "不填时按票数计算", Example: `"通过"`},
				{Key: "decision", Label: "对应决策", Type: TypeLink, Link: "decisions", Hint: "表决的是三重一大决策时选它", Example: `"decisions/2026-02"`},
			}},
		}
	case "pages":
		s.title, s.date = "如 联系我们", ""
	}
	return s
}

// meetings returns the meeting kinds the site knows, sorted.
func meetings(site *config.Site) []string {
	out := make([]string, 0, len(site.Meetings))
	for k := range site.Meetings {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
