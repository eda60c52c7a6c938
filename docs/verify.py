#!/usr/bin/env python3
"""核验 gongkai 公开栏的账本（只用 Python 标准库；方法见网站 /ledger/verify/ 或 docs/verify.md）。用法：
python3 verify.py 网站地址或文件夹 [以前保存的检查点文件]。检查哈希链（seq、prev、每次发布的 sha256）、每个检查点、每条包含证明、
公开原文和各版本附件、表格文件的哈希、保存的检查点是否仍是今天账本的前缀；不检查 ed25519 签名（标准库没有），签名请用 gongkai verify --site。"""
import base64, hashlib, json, os, sys, urllib.request
SITE, ERRORS = sys.argv[1], []
def get(name):  # 网站上的一个文件，没有时为 None
    try:
        if SITE.startswith(("http://", "https://")):
            with urllib.request.urlopen(SITE.rstrip("/") + "/" + urllib.parse.quote(name), timeout=60) as r: return r.read()
        with open(os.path.join(SITE, *name.split("/")), "rb") as f: return f.read()
    except OSError: return None
def bad(msg): ERRORS.append(msg); print("不符：" + msg)
def b64(s):  # 只接受规范写法：改动填充位、多出空白都不行
    if base64.b64encode(base64.b64decode(s, validate=True)).decode() != s: raise ValueError("不规范的 base64：" + s)
    return base64.b64decode(s)
def sha(b): return hashlib.sha256(b).digest()
def root(h):  # RFC 6962 的 Merkle 树根，h 为叶子哈希
    k = 1
    while k * 2 < len(h): k *= 2
    return (h[0] if h else sha(b"")) if len(h) < 2 else sha(b"\x01" + root(h[:k]) + root(h[k:]))
def checkpoint(text):  # (来源, 条数, 根)；空行后的签名行这里不核验
    ls = text.decode().replace("\r\n", "\n").strip().split("\n")
    if len(ls) > 3 and ls[3] != "" or str(int(ls[1])) != ls[1]: raise ValueError("检查点格式不对")
    return ls[0], int(ls[1]), b64(ls[2])
def included(i, n, r, proof, want):  # RFC 9162 第 2.1.3.2 节
    fn, sn = i, n - 1
    for p in map(b64, proof):
        if sn == 0: return False
        if fn & 1 or fn == sn:
            r = sha(b"\x01" + p + r)
            while fn and not fn & 1: fn, sn = fn >> 1, sn >> 1
        else: r = sha(b"\x01" + r + p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == want
lines = (get("ledger.jsonl") or b"").split(b"\n")[:-1]; leaves, prev, group = [sha(b"\x00" + l) for l in lines], "", b""  # 第 N 条 = 叶子 N-1
for n, line in enumerate(lines, 1):
    e = json.loads(line)
    if e["seq"] != n or e["prev"] != prev: bad(f"第 {n} 条（seq {n}）的 seq 或 prev 不对")
    prev = hashlib.sha256(line).hexdigest()
    if e["action"] != "release": group += line + b"\n"; continue
    if hashlib.sha256(group).hexdigest() != e["sha256"]: bad(f"第 {n} 条（第 {e['release']} 次发布）的 sha256 与其变更行不符")
    group, cp = b"", get(f"ledger/checkpoints/{n}.txt")
    if cp is None or checkpoint(cp)[1:] != (n, root(leaves[:n])): bad(f"ledger/checkpoints/{n}.txt 与账本的前 {n} 条不符")
origin, size, top = checkpoint(get("ledger/checkpoint.txt") or b"-\n0\n")
if (size, top) != (len(lines), root(leaves)): bad(f"最新检查点（{size} 条）与 ledger.jsonl（{len(lines)} 条）不符")
proofs, files = json.loads(get("ledger/proofs.json") or b'{"versions": []}'), 0
if (proofs.get("size"), proofs.get("root")) != (size, base64.b64encode(top).decode()): bad("ledger/proofs.json 与最新检查点不符")
for v in proofs["versions"]:
    n = v["seq"]; e = json.loads(lines[n - 1]) if 0 < n <= len(lines) else {}
    if not (e.get("sha256") == v["sha256"] and included(n - 1, size, leaves[n - 1], v["proof"], top)): bad(f"第 {n} 条（seq {n}）的包含证明不成立")
    for name, want in ({"": v["sha256"], **e.get("files", {})}.items() if v["source"] else ()):  # 原文和这一版登记的附件、表格文件
        p, files = (v["source"], files) if name == "" else (f"ledger/sources/{v['record']}/v{v['version']}/{name}", files + 1)
        if hashlib.sha256(get(p) or b"-").hexdigest() != want: bad(f"{p} 与第 {n} 条登记的哈希不符")
if len(sys.argv) > 2:
    o, n, r = checkpoint(open(sys.argv[2], "rb").read())
    if o not in (origin, "gongkai ledger") or n > len(lines) or root(leaves[:n]) != r: bad(f"账本不是保存的检查点（{n} 条）的延续")
    else: print(f"保存的检查点（{n} 条）是今天账本的前缀。")
print(f"{origin}：账本 {len(lines)} 条，包含证明 {len(proofs['versions'])} 条，原文 {sum(1 for v in proofs['versions'] if v['source'])} 份，附件和表格文件 {files} 份，" + (f"{len(ERRORS)} 处不符。" if ERRORS else "全部相符。"))
sys.exit(1 if ERRORS else 0)
