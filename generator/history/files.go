package history

import (
	"strings"

	"gongkai/generator/diag"
	"gongkai/generator/ledger"
)

// filesChanged adds to the warning d about a record whose text is that of
// its last version last which files changed.
func filesChanged(d diag.Diagnostic, last ledger.Version, files map[string]string) diag.Diagnostic {
	changed := ledger.FileChanges(last.Files, files)
	d.Msg.Zh = strings.Replace(d.Msg.Zh, "有未登记的修改", "有未登记的修改（文件 "+strings.Join(changed, "、")+" 与登记的不同，正文没有变）", 1)
	d.Msg.En = strings.Replace(d.Msg.En, "has an unregistered change", "has an unregistered change (the files "+strings.Join(changed, ", ")+" differ from those registered; the text does not)", 1)
	return d
}
