package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"gongkai/generator/config"
	"gongkai/generator/diag"
	"gongkai/generator/ledger"
)

// cmdKey runs `gongkai key new` and `gongkai key show`.
func cmdKey(e *env, args []string) int {
	if len(args) == 0 || (args[0] != "new" && args[0] != "show") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			e.keyUsage()
			return exitOK
		}
		e.keyUsage()
		return exitUsage
	}
	sub := args[0]
	fs := e.flags("key "+sub, "[--src content] [--key FILE] [--witness NAME]", keyAbout)
	src := fs.String("src", "content", "内容文件夹（读取 site.toml 得出账本来源）/ the content folder (site.toml gives the ledger's origin)")
	file := fs.String("key", "", "私钥文件；默认放在用户配置文件夹里，不在内容文件夹里 / the private key file; by default in the user's configuration folder, never in the content folder")
	if sub == "show" {
		witness := fs.Bool("witness", false, "显示副署方的密钥 / show the witness's key")
		pos, code, ok := parse(fs, args[1:])
		if !ok {
			return code
		}
		if !e.noArgs("key show", pos) {
			return exitUsage
		}
		return e.keyShow(*file, *src, *witness)
	}
	witness := fs.String("witness", "", "为副署方（街道、监督委员会）生成密钥，写副署方的名称 / make a witness's key (the 街道, the supervisory committee): its name")
	replace := fs.Bool("replace", false, "site.toml 已有公钥时仍生成新的一把（换钥匙）/ make a new board key although site.toml names one (a replacement)")
	pos, code, ok := parse(fs, args[1:])
	if !ok {
		return code
	}
	if !e.noArgs("key new", pos) {
		return exitUsage
	}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "witness" })
	if given {
		return e.keyNewWitness(*witness, *file)
	}
	return e.keyNewBoard(*src, *file, *replace)
}

const keyAbout = "管理签名用的密钥。\n" +
	"  gongkai key new                    生成本居委会的密钥，签署每次发布的检查点\n" +
	"  gongkai key new --witness 名称     生成副署方（街道、村务/居务监督委员会）的密钥\n" +
	"  gongkai key show [--witness]       显示已有密钥的公钥\n" +
	"私钥默认保存在用户配置文件夹（" + "Linux 为 ~/.config/gongkai/keys，Windows 为 %AppData%\\gongkai\\keys）里，从不放进内容文件夹，也从不发布。\n" +
	"Manage signing keys: the board's key signs every release's checkpoint; a witness's key cosigns it. Private keys live in the user's configuration folder, never in the content folder."

func (e *env) keyUsage() {
	fmt.Fprintf(e.stderr, "gongkai key new|show [--src content] [--key FILE] [--witness NAME]\n\n%s\n", keyAbout)
}

// keyNewBoard makes the board's key.
func (e *env) keyNewBoard(src, file string, replace bool) int {
	dir, ok := e.srcFS(src)
	if !ok {
		return exitUsage
	}
	defer dir.Close()
	abs := dir.Dir()
	site, ds := config.Load(dir.FS())
	if site == nil || ds.HasErrors() {
		e.report(ds)
		e.say("site.toml 有错误，没有生成密钥。", "site.toml has errors; no key was made.")
		return exitContent
	}
	keys := site.Ledger
	if keys.Board != nil && !replace {
		e.say("本居委会已经有公钥：%s", "the board already has a key: %s", keys.Board.Text)
		e.say("它的私钥应在 %s。要换一把新钥匙（例如私钥丢失）请加 --replace：以前的签名仍留在检查点上，但只有新公钥写进 site.toml 后的签名才能核验。",
			"its private key should be at %s. To make a new one (say the private key is lost) add --replace: earlier signatures stay on the checkpoints, but only signatures by the key in site.toml verify.",
			orDefault(file, keys.Origin))
		return exitUsage
	}
	if file == "" {
		var err error
		if file, err = ledger.BoardKeyFile(keys.Origin); err != nil {
			e.noConfigDir(err)
			return exitUsage
		}
	}
	if !e.keyOutside(file, abs) {
		return exitUsage
	}
	private, public, err := ledger.NewKey(keys.Origin)
	if err == nil {
		err = ledger.WriteKeyFile(file, private)
	}
	if err != nil {
		return e.keyWriteFailed(file, err)
	}
	e.say("已生成本居委会的密钥（账本来源 %s）。", "made the board's key (ledger origin %s).", keys.Origin)
	e.say("私钥保存在 %s，只有你能读取。请另外备份到 U 盘并锁好：不要放进内容文件夹，不要发给任何人；丢了就不能再签名。",
		"the private key is in %s, readable by you only. Keep a backup on a USB stick under lock: never in the content folder, never sent to anyone; without it nothing can be signed.", file)
	e.say("把下面两行加进 %s（已经有 [ledger] 的，只加 key 这一行；换钥匙时替换原来的 key）：", "add these two lines to %s (where [ledger] is there already, only the key line; for a replacement, replace the old key):", filepath.Join(src, config.File))
	fmt.Fprintf(e.stdout, "[ledger]\nkey = %q\n", public.Text)
	e.say("然后运行 gongkai publish -m \"设置签名\"，为已有的检查点签名；重新生成网站后，公钥会印在 /ledger/ 页和每一张公开单上。",
		"then run gongkai publish -m \"signing\" to sign the existing checkpoints; after a rebuild the key is on the /ledger/ page and on every wall sheet.")
	return exitOK
}

// keyNewWitness makes a witness's key.
func (e *env) keyNewWitness(name, file string) int {
	if !ledger.ValidOrigin(name) {
		e.say("请用 --witness 写明副署方的名称（不能有空格或“+”），例如 --witness 青石街道办事处",
			"give the witness's name with --witness (no blanks, no '+'), e.g. --witness 青石街道办事处")
		return exitUsage
	}
	if file == "" {
		var err error
		if file, err = ledger.WitnessKeyFile(); err != nil {
			e.noConfigDir(err)
			return exitUsage
		}
	}
	if st, err := os.Stat("content"); err == nil && st.IsDir() && !e.keyOutside(file, "content") {
		return exitUsage
	}
	private, public, err := ledger.NewKey(name)
	if err == nil {
		err = ledger.WriteKeyFile(file, private)
	}
	if err != nil {
		return e.keyWriteFailed(file, err)
	}
	e.say("已生成 %s 的副署密钥。私钥保存在 %s，只有你能读取；请备份并妥善保管，不要交给居委会。",
		"made the cosigning key of %s. The private key is in %s, readable by you only; keep a backup and never give it to the board.", name, file)
	e.say("请把下面这一行公钥交给居委会，写进 site.toml 的 [ledger] witnesses：",
		"give the board this public key, to put under witnesses in [ledger] of site.toml:")
	fmt.Fprintln(e.stdout, public.Text)
	return exitOK
}

// keyShow prints the verifier key of an existing private key.
func (e *env) keyShow(file, src string, witness bool) int {
	if file == "" {
		var err error
		if witness {
			file, err = ledger.WitnessKeyFile()
		} else {
			dir, ok := e.srcFS(src)
			if !ok {
				return exitUsage
			}
			defer dir.Close()
			site, ds := config.Load(dir.FS())
			if site == nil || ds.HasErrors() {
				e.report(ds)
				return exitContent
			}
			file, err = ledger.BoardKeyFile(site.Ledger.Origin)
		}
		if err != nil {
			e.noConfigDir(err)
			return exitUsage
		}
	}
	_, public, err := ledger.ReadKeyFile(file)
	if err != nil {
		e.report(diag.List{ledger.Problem(diag.Position{File: file}, "无法读取私钥文件：", "cannot read the private key file: ", err)})
		return exitContent
	}
	fmt.Fprintln(e.stdout, public.Text)
	return exitOK
}

// keyOutside refuses a key file inside the content folder.
func (e *env) keyOutside(file, src string) bool {
	if ledger.Inside(file, src) {
		e.say("私钥不能放在内容文件夹 %s 里：它会随内容被复制、提交甚至发布。请用 --key 指定内容文件夹以外的位置，或不写 --key 用默认位置。",
			"a private key must not be inside the content folder %s: it would be copied, committed or even published with it. Name a place outside it with --key, or leave --key out for the default place.", src)
		return false
	}
	return true
}

func (e *env) keyWriteFailed(file string, err error) int {
	if errors.Is(err, ledger.ErrKeyExists) {
		e.say("%s 已经存在，gongkai 不会覆盖密钥文件（覆盖就永远失去原来的私钥）。", "%s already exists; gongkai never overwrites a key file (the old key would be lost for good).", file)
		e.say("用 gongkai key show 查看它的公钥；确实要新钥匙时，先把旧文件移走，或用 --key 指定另一个位置。",
			"see its public key with gongkai key show; if you really want a new key, move the old file away first or name another place with --key.")
		return exitUsage
	}
	e.fail("无法保存私钥：", "cannot save the private key: ", err)
	return exitContent
}

// noConfigDir says that this computer has no folder for keys.
func (e *env) noConfigDir(error) {
	e.say("这台电脑上找不到用户配置文件夹，无法使用默认位置；请用 --key 指定私钥文件的位置。",
		"this computer has no user configuration folder for the default place; name the private key file with --key.")
}

// orDefault returns file, or the board's default key file.
func orDefault(file, origin string) string {
	if file != "" {
		return file
	}
	if f, err := ledger.BoardKeyFile(origin); err == nil {
		return f
	}
	return "（默认位置）"
}
