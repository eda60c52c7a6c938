package scaffold

// The files of a new board. {…} marks what boardFiles fills in from the
// answers and the date; everything else is written as it stands.

const siteTOML = `# 本公开栏的设置。# 后面是说明，不会发布。
# 文字加英文双引号，数字直接写，日期写成 2026-07-08。改完运行 gongkai check 检查。

title     = {名称}
community = {社区}
issuer    = {发布单位}            # 落款：公开内容默认由谁发布
parent    = {上级}
base_url  = {网址}     # 网站发布后的地址，二维码和订阅都用它；还没有网站时先不用改
notice_min_days = 5               # 公示期至少几天（首尾两天都算）
major_amount = "50000"            # 大额资金：三重一大决策达到或超过这个金额（元）要写明 amount

[contact]
phone = {电话}
supervise_phone = {监督电话}      # 监督电话，印在每张公开单上
address = {地址}

[procedure]
# 三重一大决策的程序（四议两公开），按先后顺序：
stages = [{程序}]

[print]
paper  = "A4"                     # 打印纸：A4 或 A3
header = {名称}                   # 打印版最上面的一行

# 公开日历：写明每类公开多久公开一次，程序会提醒到期未公开的。
# 需要时去掉下面几行前面的 #，since 写从哪一期开始算。
# [[schedule]]
# category = "财务公开"
# every    = "quarter"            # month（每月） quarter（每季度） half（每半年） year（每年）
# due_days = 20                   # 每期结束后多少天内公开
# since    = "{上季}"
`

const aboutPage = `+++
title = "关于本公开栏"
date = {今天}
+++

本公开栏由{发布单位文字}发布，依法公开{居务公开}、财务、党务和“三重一大”事项，欢迎{居民}监督。

- 办公电话：{电话文字}
- 监督电话：{监督电话文字}
- 办公地址：{地址文字}
`

const exampleConvention = `+++
# 示例：{公约}。这是草稿（draft = true），不会发布。
# 照着改成本地的{公约}，改好后删去 draft 这一行，再运行 gongkai publish。
title = "{社区串}{公约}（示例）"
date = {今天}
kind = "{公约}"                  # 村规民约 居民公约 自治章程 议事规则 其他
adopted_on = {十天前}             # 哪一天通过
adopted_by = "{居民会议}"          # 由什么会议通过
# filed_with = "青石街道办事处"   # 向哪里备案
# filed_on = {今天}
draft = true
+++

# 第一章 总则

## 第一条

为了维护本{社区文字}公共秩序，促进邻里和睦，根据有关法律法规，经{居民会议}讨论通过，制定本{公约}。

## 第二条

本{公约}适用于本{社区文字}全体{居民}。

# 第二章 附则

## 第三条

本{公约}自通过之日起施行。
`

const exampleDisclosure = `+++
# 示例：财务公开。这是草稿（draft = true），不会发布。
# 改成真实的账目，或用 gongkai new disclosures 文件名 另写一条，再删去这个示例。
title = "{上季名}经费收支公开（示例）"
date = {今天}
category = "财务公开"             # 党务公开 居务公开 村务公开 财务公开 惠民资金 救助帮扶 工程项目 其他
period = "{上季}"                  # 公开的是哪一期：2026（全年） 2026-Q3（季度） 2026-10（月） 2026-H1（半年）
notice = { from = {今天}, to = {公示止} }   # 公示期，首尾两天都算
draft = true

[finance]
opening = "52310.00"              # 期初余额。金额加英文双引号，最多两位小数，不写“元”
closing = "75467.45"              # 期末余额 = 期初 + 收入合计 − 支出合计，程序会核对
# 账目在 Excel 里时：把表格放在这条记录旁边，写上 file = "账目.xlsx"，删去下面各笔。
# 表格的表头要有 日期、摘要、收入、支出 几列（凭证号可有可无），见 使用说明.txt。

[[finance.income]]                # 一笔收入；有几笔就写几段
date = {十天前}
item = "街道拨付社区工作经费"
amount = "30000.00"
voucher = "记-01"                 # 凭证号，没有可删去这一行

[[finance.expense]]               # 一笔支出
date = {三天前}
item = "楼道照明维修材料"
amount = "6842.55"
voucher = "记-02"
+++

以上收支已经{监委会}审核。{居民}如有疑问，请在公示期内反映，监督电话：{监督电话文字}。
`

const exampleDecision = `+++
# 示例：“三重一大”决策。这是草稿（draft = true），不会发布。
title = "关于更换小区消防器材的决定（示例）"
date = {三天前}
category = "重大事项决策"         # 重大事项决策 重要干部任免 重大项目安排 大额资金使用
origin = "党员群众建议"           # 党员群众建议 干部提议 上级安排 其他
# amount = "128000.00"            # 大额资金使用必须写金额
draft = true

[[steps]]                         # 每个程序步骤一段，按 site.toml 里 [procedure] 的顺序
stage = "{提议}"
date = {十天前}

[[steps]]
stage = "{代表会议}决议"
date = {三天前}
minutes = "minutes/{三天前}-daibiao"   # 表决的会议记录；结果按它的票数算
+++

决定更换小区内过期的消防器材，所需经费从社区公益事业经费中列支。
`

const exampleMinutes = `+++
# 示例：会议记录。这是草稿（draft = true），不会发布。
title = "{代表会议}记录（示例）"
date = {三天前}T14:30:00          # 开会的日期和时间
meeting = "{代表会议}"            # 会议名称，决定法定人数和表决规则
place = "党群服务中心会议室"
chair = "周某"
recorder = "吴某"
expected = 26                     # 应到人数
present = 22                      # 实到人数
draft = true

[[agenda]]                        # 议题，一个一段
item = "审议更换小区消防器材的方案"

[[resolutions]]                   # 表决事项，一个一段
text = "同意更换小区消防器材"
for = 20                          # 赞成
against = 1                       # 反对
abstain = 1                       # 弃权
decision = "decisions/{年}-01-shili"   # 对应的三重一大决策
+++

会议由周某主持，应到 26 人，实到 22 人，符合规定人数。
`

const officeNote = `{名称文字} —— 使用说明
================================

这个文件夹就是公开栏的全部内容。请整个文件夹一起备份（拷到 U 盘或网盘）。

一、文件夹里有什么
  content\site.toml        公开栏的设置：名称、发布单位、电话、网站地址
  content\conventions\     村规民约、居民公约
  content\disclosures\     居务、村务、财务、党务公开
  content\decisions\       “三重一大”决策
  content\minutes\         会议记录
  content\pages\           关于本栏等页面
  content\_archive\、content\ledger.jsonl
                           发布记录，由 gongkai publish 自动写，不要改动、不要删除
  public\                  生成的网站，可以整个删掉重新生成

  每个栏目里各有一条示例（标有 draft = true 的草稿，不会发布），可以照着写。

二、日常怎么做（在这个文件夹里打开命令行窗口）
  1. 新建一条：  gongkai new disclosures 2026-q3-caiwu
     （有附件或表格时加 --bundle：gongkai new --bundle disclosures 2026-q3-caiwu，
       会建一个文件夹，把 Excel 表格或附件放进去）
     文件名请用字母、数字和短横线，二维码会短一些。
  2. 用记事本打开新文件，把所有【请填写：……】换成真实内容，不需要的行整行删去。
  3. 预览：      gongkai serve     然后在浏览器打开它显示的地址，保存后页面自动刷新。
                 写错的地方会在页面上显示：哪个文件、第几行、怎么改。
  4. 检查：      gongkai check
  5. 发布登记：  gongkai publish -m "发布第三季度财务公开"
     修改已经发布的内容，要在设置区加上 change_note = "修改原因"，再 publish。
  6. 生成网站：  gongkai build     网站在 public 文件夹里，交给管理网站的同事上传。
     没有网络的办公室：gongkai build --offline，public 文件夹可以直接用浏览器打开。
  7. 打印公开单：gongkai print --pdf   在 print-pdf 文件夹里，每条一张，带二维码。

三、账目在 Excel 里
  把表格（.xlsx）放在记录的文件夹里（用 new --bundle 新建），在 [finance] 下写：
      file = "账目.xlsx"
  表格的第一张工作表要有这几列：日期、摘要、收入、支出（凭证号可有可无），
  每笔一行，收入填在“收入”栏，支出填在“支出”栏；“合计”“期初余额”等行会自动跳过。
  也可以用名为“收入”和“支出”的两张工作表，各有 日期、摘要、金额 三列。
  期初余额 opening 和期末余额 closing 仍写在记录里，程序会核对账目是否平衡。
  名单、明细表：[[tables]] 下写 file = "名单.xlsx"，要合计的列写 sum = ["金额"]。

四、交给监督委员会和上级的东西
  - 网站地址，以及网站上的“变更记录”页（/changes/）：每一版、每一次修改和原因都在上面；
  - 每次 publish 后，网站上的 ledger/checkpoint.txt（核验点），请他们保存；
    以后用 gongkai verify --since checkpoint.txt 就能核对历史没有被改写。

五、出了错
  按提示改：提示里写了文件名、第几行第几列、哪里错了、怎么改。
  改不好时，把整段提示复制给技术人员。
`
