package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gongkai/generator/config"
	"gongkai/generator/diag"
	"gongkai/generator/ledger"
	"gongkai/generator/sitefs"
	"gongkai/generator/witness"
)

const cosignAbout = "副署检查点：街道或村务/居务监督委员会先核对检查点是自己上次副署的检查点的延续，再加上自己的签名。\n" +
	"  gongkai cosign --site 网址或文件夹    副署网站上的最新检查点，结果存成文件交给居委会\n" +
	"  gongkai cosign --src content          在居委会的电脑上直接副署内容文件夹里的最新检查点\n" +
	"  gongkai cosign --add 文件             （居委会）把收到的副署放进内容文件夹，再 gongkai build 上传\n" +
	"副署方的状态（上次副署的检查点和认可的居委会公钥）保存在自己的配置文件夹里，用 --state 可另选。\n" +
	"Cosign a checkpoint as a witness after checking it extends the last one you cosigned; --add puts a received cosignature into the content folder."

func cmdCosign(e *env, args []string) int {
	fs := e.flags("cosign", "[--site URL|DIR | --src content] [--key FILE] [--state DIR] [--out FILE] [--board-key KEY] | --add FILE", cosignAbout)
	site := fs.String("site", "", "已发布的网站（网址或文件夹）/ the published site (address or folder)")
	src := fs.String("src", "content", "内容文件夹 / the content folder")
	key := fs.String("key", "", "副署方的私钥文件（默认 gongkai key new --witness 生成的那个）/ the witness's private key file")
	state := fs.String("state", "", "副署方的状态文件夹 / the witness's state folder")
	out := fs.String("out", "", "副署后的检查点存到这个文件 / write the cosigned checkpoint to this file")
	boardKey := fs.String("board-key", "", "认可的居委会公钥（第一次副署或居委会换了钥匙时）/ the board key you accept (first cosign, or after a key change)")
	add := fs.String("add", "", "（居委会用）把副署后的检查点文件放进内容文件夹 / (the board) add a cosigned checkpoint file to the content folder")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !e.noArgs("cosign", pos) {
		return exitUsage
	}
	if *add != "" {
		return e.cosignAdd(*src, *add)
	}
	if *key == "" {
		var err error
		if *key, err = ledger.WitnessKeyFile(); err != nil {
			e.noConfigDir(err)
			return exitUsage
		}
	}
	signer, public, err := ledger.ReadKeyFile(*key)
	if err != nil {
		e.report(diag.List{ledger.Problem(diag.Position{File: *key}, "无法读取副署方的私钥：", "cannot read the witness's private key: ", err)})
		e.say("副署方先运行 gongkai key new --witness 名称 生成自己的密钥，或用 --key 指定。", "a witness first makes its key with gongkai key new --witness NAME, or names it with --key.")
		return exitUsage
	}
	if *state == "" {
		if *state, err = witness.StateDir(); err != nil {
			e.say("这台电脑上找不到用户配置文件夹；请用 --state 指定状态文件夹", "this computer has no user configuration folder; name the state folder with --state")
			return exitUsage
		}
	}
	var res *witness.Result
	var ds diag.List
	srcDir := ""
	if *site != "" {
		fsys, err := sitefs.Open(*site)
		if err != nil {
			e.fail("无法打开网站 "+*site+"：", "cannot open the site "+*site+": ", err)
			return exitUsage
		}
		req, rds := witness.FromSite(fsys, *site)
		ds = rds
		if !rds.HasErrors() {
			res, ds = witness.Cosign(req, signer, witness.Options{State: *state, TrustKey: *boardKey})
		}
	} else {
		dir, ok := e.srcFS(*src)
		if !ok {
			return exitUsage
		}
		defer dir.Close()
		srcDir = dir.Dir()
		s, cds := config.Load(dir.FS())
		if s == nil || cds.HasErrors() {
			e.report(cds)
			return exitContent
		}
		res, ds = witness.CosignContent(dir.Root(), s.Ledger, signer, witness.Options{State: *state, TrustKey: *boardKey})
	}
	e.report(ds)
	if res == nil {
		e.say("没有副署。", "nothing was cosigned.")
		return exitContent
	}
	n := res.Note
	if res.Previous != nil {
		e.say("已核对：第 %d 条的检查点是你上次副署的检查点（第 %d 条）的延续，账本的历史没有被改写。",
			"checked: the checkpoint of %d lines extends the one you cosigned last (%d lines); the ledger's history was not rewritten.", n.Size, res.Previous.Size)
	} else {
		e.say("这是你第一次为 %s 副署。认可的本居委会公钥是：\n  %s\n请与公开栏张贴的公开单上印的公钥核对；以后只接受这把钥匙签的检查点。",
			"this is your first cosignature for %s. The board key you now accept is:\n  %s\nCompare it with the key printed on the wall sheets; from now on only checkpoints signed with it are accepted.",
			n.Origin, orNone(res.FirstKey, *boardKey))
	}
	e.say("已用 %s 的密钥副署第 %d 条的检查点。", "cosigned the checkpoint of %[2]d lines with the key of %[1]s.", public.Name, n.Size)
	if srcDir != "" {
		e.say("副署已放进 %s；请重新生成网站（gongkai build）并上传。", "the cosignature is in %s; now rebuild the site (gongkai build) and upload it.",
			filepath.Join(*src, filepath.FromSlash(ledger.CheckpointFile(n.Size))))
	}
	file := *out
	if file == "" && srcDir == "" {
		file = fmt.Sprintf("checkpoint-%d-cosigned.txt", n.Size)
	}
	if file != "" {
		if err := os.WriteFile(file, n.Bytes(), 0o644); err != nil {
			e.fail("无法写入副署后的检查点：", "cannot write the cosigned checkpoint: ", err)
			return exitContent
		}
		e.say("副署后的检查点保存在 %s。请把这个文件交给居委会，由他们运行 gongkai cosign --add %s，再生成网站上传；你自己也请留存一份。",
			"the cosigned checkpoint is in %s. Give this file to the board to run gongkai cosign --add %s, then rebuild and upload; keep a copy yourself.", file, file)
	}
	return exitOK
}

// cosignAdd puts the signatures of a cosigned checkpoint file into the
// content folder.
func (e *env) cosignAdd(src, file string) int {
	dir, ok := e.srcFS(src)
	if !ok {
		return exitUsage
	}
	defer dir.Close()
	text, err := os.ReadFile(file)
	if err != nil {
		e.fail("无法读取副署文件：", "cannot read the cosignature file: ", err)
		return exitUsage
	}
	s, ds := config.Load(dir.FS())
	if s == nil || ds.HasErrors() {
		e.report(ds)
		return exitContent
	}
	added, ds := ledger.AddSignatures(dir.Root(), s.Ledger, text, nil)
	e.report(ds)
	if ds.HasErrors() {
		e.say("没有加入任何签名。", "no signature was added.")
		return exitContent
	}
	if len(added) == 0 {
		e.say("%s 里的签名都已经在公开栏里了。", "every signature in %s is already on the board.", file)
		return exitOK
	}
	e.say("已加入 %s 的签名。请重新生成网站（gongkai build）并上传。", "added the signature of %s. Now rebuild the site (gongkai build) and upload it.", strings.Join(added, "、"))
	return exitOK
}

func orNone(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
