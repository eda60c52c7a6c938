package deploy

import "gongkai/generator/config"

// diskFull says that need bytes do not fit where free are left.
func diskFull(t config.Deploy, where string, need, free int64) error {
	return fail(t, "%s 的磁盘空间不够：这次要写入约 %s，只剩 %s。没有上传任何文件", "not enough space at %s: this deploy writes about %s and only %s is left; nothing was uploaded",
		where, Format(need), Format(free)).
		WithHint("请服务器管理员腾出空间或扩容，再运行 gongkai deploy", "ask the server's administrator to free or add space, then run gongkai deploy again")
}

// badManifest explains a deploy.json on the target that cannot be read.
func badManifest(t config.Deploy, err error) error {
	return fail(t, "目标上的 %s 已损坏，没有改动目标：%v", "%s on the target is damaged; nothing was changed: %v", ManifestName, err).
		WithHint("确认这个目标是网站的位置；若是，删掉目标上的 %s 再部署（之后的部署会重新比较每个文件）", "make sure this target is the site's place; if so, delete %s on the target and deploy again", ManifestName).Wrap(err)
}
