package deploy

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/user"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/crypto/ssh/knownhosts"

	"gongkai/generator/config"
)

// sftpTarget is a folder on an SSH server, reached over SFTP.
type sftpTarget struct {
	t       config.Deploy
	conn    *ssh.Client
	c       *sftp.Client
	agent   net.Conn // nil without ssh-agent
	root    string   // the folder, absolute on the server
	exists  bool
	rename  bool // the server renames over an existing file (posix-rename@openssh.com)
	statvfs bool

	mu   sync.Mutex
	dirs map[string]bool
}

func openSFTP(ctx context.Context, opt Options) (target, error) {
	t := opt.Target
	st := &sftpTarget{t: t, dirs: map[string]bool{}}
	auth, err := st.auth(opt)
	if err != nil {
		st.close()
		return nil, err
	}
	name := t.User
	if name == "" {
		name = currentUser()
	}
	files := opt.KnownHosts
	if files == nil {
		files = defaultKnownHosts()
	}
	check, algos, err := hostKeyCheck(files, t)
	if err != nil {
		st.close()
		return nil, err
	}
	var keyErr error
	cfg := &ssh.ClientConfig{
		User: name,
		Auth: auth,
		HostKeyCallback: func(host string, remote net.Addr, key ssh.PublicKey) error {
			if err := check(host, remote, key); err != nil {
				keyErr = &hostKeyError{err: err, key: key}
				return keyErr
			}
			return nil
		},
		HostKeyAlgorithms: algos,
		Timeout:           15 * time.Second,
	}
	addr := t.Address()
	d := net.Dialer{Timeout: 15 * time.Second}
	raw, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		st.close()
		return nil, fail(t, "连不上服务器 %s：%v。目标没有改动", "cannot reach the server %s: %v; nothing was changed", addr, shortNetError(err)).
			WithHint("检查网络、主机名和端口；服务器开着吗？", "check the network, the host name and the port; is the server running?").Wrap(err)
	}
	_ = raw.SetDeadline(time.Now().Add(30 * time.Second))
	sc, chans, reqs, err := ssh.NewClientConn(raw, addr, cfg)
	if err != nil {
		raw.Close()
		st.close()
		return nil, st.handshakeError(err, keyErr, name)
	}
	_ = raw.SetDeadline(time.Time{})
	st.conn = ssh.NewClient(sc, chans, reqs)
	st.c, err = sftp.NewClient(st.conn, sftp.UseConcurrentWrites(true))
	if err != nil {
		st.close()
		return nil, fail(t, "服务器 %s 不提供 SFTP：%v", "the server %s offers no SFTP: %v", addr, err).
			WithHint("请服务器管理员在 sshd_config 里开启 Subsystem sftp", "ask the administrator to enable `Subsystem sftp` in sshd_config").Wrap(err)
	}
	_, st.rename = st.c.HasExtension("posix-rename@openssh.com")
	_, st.statvfs = st.c.HasExtension("statvfs@openssh.com")
	st.root = t.Path
	if !strings.HasPrefix(st.root, "/") {
		home, err := st.c.Getwd()
		if err != nil {
			st.close()
			return nil, st.explain(err, "~", 0)
		}
		st.root = path.Join(home, st.root)
	}
	fi, err := st.c.Stat(st.root)
	switch {
	case err == nil && !fi.IsDir():
		st.close()
		return nil, fail(t, "服务器上的 %s 是文件，不是文件夹", "%s on the server is a file, not a folder", st.root).
			WithHint("在 site.toml 的地址里写一个文件夹", "name a folder in the address in site.toml")
	case err == nil:
		st.exists = true
	case errors.Is(err, fs.ErrNotExist):
		parent := path.Dir(st.root)
		if pfi, err := st.c.Stat(parent); err != nil || !pfi.IsDir() {
			st.close()
			return nil, fail(t, "服务器上找不到文件夹 %s（%s 的上一级）", "folder %s (the parent of %s) not found on the server", parent, st.root).
				WithHint("检查 site.toml 里的路径", "check the path in site.toml")
		}
	default:
		st.close()
		return nil, st.explain(err, st.root, 0)
	}
	return st, nil
}

// auth returns the keys to offer: ssh-agent's, then the identity file.
func (st *sftpTarget) auth(opt Options) ([]ssh.AuthMethod, error) {
	t := opt.Target
	var signers []ssh.Signer
	if sock := os.Getenv("SSH_AUTH_SOCK"); sock != "" {
		if conn, err := net.Dial("unix", sock); err == nil {
			st.agent = conn
			if s, err := agent.NewClient(conn).Signers(); err == nil {
				signers = append(signers, s...)
			}
		}
	}
	if t.Identity != "" {
		file, err := identityPath(t.Identity, opt.Dir, opt.Content)
		if err != nil {
			return nil, fail(t, "%v", "%v", err).
				WithHint("私钥放在内容文件夹以外，如 ~/.ssh/ 里", "keep the private key outside the content folder, e.g. in ~/.ssh/")
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fail(t, "读不了密钥文件 %s", "cannot read the key file %s", file).
				WithHint("检查 site.toml 里 identity 的路径；用 ssh-keygen -t ed25519 可以生成密钥", "check the identity path in site.toml; ssh-keygen -t ed25519 makes a key").Wrap(err)
		}
		s, err := ssh.ParsePrivateKey(b)
		var pm *ssh.PassphraseMissingError
		switch {
		case errors.As(err, &pm):
			if len(signers) == 0 {
				return nil, fail(t, "密钥 %s 设了口令，gongkai 不读口令", "the key %s has a passphrase, which gongkai does not ask for", file).
					WithHint("先运行 ssh-add %s 把它交给 ssh-agent，再运行 gongkai deploy", "run ssh-add %s to give it to ssh-agent, then run gongkai deploy", file)
			}
		case err != nil:
			return nil, fail(t, "%s 不是 SSH 私钥", "%s is not an SSH private key", file).
				WithHint("identity 写私钥（如 id_ed25519），不是公钥（.pub）", "identity names the private key (like id_ed25519), not the public one (.pub)").Wrap(err)
		default:
			signers = append(signers, s)
		}
	}
	if len(signers) == 0 {
		return nil, fail(t, "没有可用的 SSH 密钥", "no SSH key to log in with").
			WithHint("启动 ssh-agent 并运行 ssh-add，或在 [[deploy]] 里写 identity = \"~/.ssh/id_ed25519\"", "start ssh-agent and run ssh-add, or write identity = \"~/.ssh/id_ed25519\" in [[deploy]]")
	}
	return []ssh.AuthMethod{ssh.PublicKeys(signers...)}, nil
}

// identityPath resolves the identity of site.toml: ~ is the home folder,
// a relative path is read from the project folder dir. A key inside the
// content folder is refused: that folder is shared, published and kept in
// version control.
func identityPath(id, dir, content string) (string, error) {
	p := id
	if p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		p = filepath.Join(home, p[1:])
	} else if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	p = filepath.Clean(p)
	if content != "" {
		real, err1 := filepath.EvalSymlinks(p)
		croot, err2 := filepath.EvalSymlinks(content)
		if err1 != nil {
			real = p
		}
		if err2 != nil {
			croot = content
		}
		if rel, err := filepath.Rel(croot, real); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return "", fmt.Errorf("密钥文件 %s 在内容文件夹里：私钥不能放在那里 / the key file %s is inside the content folder, where no private key may be", p, p)
		}
	}
	return p, nil
}

func currentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		name := u.Username
		if i := strings.LastIndexByte(name, '\\'); i >= 0 { // DOMAIN\name on Windows
			name = name[i+1:]
		}
		return name
	}
	for _, v := range []string{"USER", "USERNAME"} {
		if s := os.Getenv(v); s != "" {
			return s
		}
	}
	return "root"
}

func defaultKnownHosts() []string {
	var files []string
	if home, err := os.UserHomeDir(); err == nil {
		files = append(files, filepath.Join(home, ".ssh", "known_hosts"))
	}
	return append(files, "/etc/ssh/ssh_known_hosts")
}

// hostKeyError is a host key the known_hosts files do not vouch for.
type hostKeyError struct {
	err error
	key ssh.PublicKey
}

func (e *hostKeyError) Error() string { return e.err.Error() }
func (e *hostKeyError) Unwrap() error { return e.err }

// hostKeyCheck reads the known_hosts files that exist. It also returns the
// key algorithms known for t's host, so that the server is asked for the
// kind of key that is on file rather than for another kind that would
// then look like a changed key.
func hostKeyCheck(files []string, t config.Deploy) (ssh.HostKeyCallback, []string, error) {
	var exist []string
	for _, f := range files {
		if st, err := os.Stat(f); err == nil && st.Mode().IsRegular() {
			exist = append(exist, f)
		}
	}
	if len(exist) == 0 {
		return func(string, net.Addr, ssh.PublicKey) error { return &knownhosts.KeyError{} }, nil, nil
	}
	cb, err := knownhosts.New(exist...)
	if err != nil {
		return nil, nil, fail(t, "known_hosts 文件有误：%v", "a known_hosts file is malformed: %v", err).
			WithHint("用文本编辑器改正或删去那一行", "correct or delete that line with a text editor").Wrap(err)
	}
	// Ask the files with a key they cannot hold: the answer lists the
	// keys they do hold for this host.
	pub, _, _ := ed25519.GenerateKey(nil)
	probe, _ := ssh.NewPublicKey(pub)
	var algos []string
	var ke *knownhosts.KeyError
	if err := cb(t.Address(), &net.TCPAddr{IP: net.IPv4zero, Port: t.Port}, probe); errors.As(err, &ke) {
		seen := map[string]bool{}
		for _, k := range ke.Want {
			for _, a := range algorithmsFor(k.Key.Type()) {
				if !seen[a] {
					seen[a] = true
					algos = append(algos, a)
				}
			}
		}
	}
	return cb, algos, nil
}

func algorithmsFor(keyType string) []string {
	if keyType == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	}
	return []string{keyType}
}

// keyscan is the command that trusts the server's key.
func keyscan(t config.Deploy) string {
	if t.Port == 22 {
		return "ssh-keyscan " + t.Host + " >> ~/.ssh/known_hosts"
	}
	return "ssh-keyscan -p " + strconv.Itoa(t.Port) + " " + t.Host + " >> ~/.ssh/known_hosts"
}

func (st *sftpTarget) handshakeError(err, keyErr error, name string) error {
	t := st.t
	addr := t.Address()
	var hk *hostKeyError
	var ke *knownhosts.KeyError
	var re *knownhosts.RevokedError
	if errors.As(keyErr, &hk) {
		fp := ssh.FingerprintSHA256(hk.key)
		switch {
		case errors.As(hk.err, &re):
			return fail(t, "服务器 %s 的主机密钥（%s）已被吊销，没有连接", "the host key of %s (%s) is revoked; not connecting", addr, fp).
				WithHint("请服务器管理员换新的主机密钥", "ask the server's administrator for a new host key").Wrap(err)
		case errors.As(hk.err, &ke) && len(ke.Want) > 0:
			return fail(t, "警告：服务器 %s 的主机密钥变了（现在是 %s）！可能有人冒充服务器，没有连接，也没有上传任何文件", "WARNING: the host key of %s has changed (it is now %s)! Someone may be posing as the server; not connecting, nothing was uploaded", addr, fp).
				WithHint("先问服务器管理员是否换过密钥、新密钥的指纹是否是 %[2]s；确认后运行 ssh-keygen -R \"%[1]s\"，再运行 %[3]s",
					"ask the server's administrator whether the key was changed and its fingerprint is %[2]s; if so, run ssh-keygen -R \"%[1]s\", then %[3]s",
					knownhosts.Normalize(addr), fp, keyscan(t)).Wrap(err)
		default:
			return fail(t, "还没有信任服务器 %s：它的主机密钥（%s）不在 known_hosts 里，没有连接", "the server %s is not trusted yet: its host key (%s) is not in known_hosts; not connecting", addr, fp).
				WithHint("向服务器管理员核对这个指纹，确认无误后运行：%s", "check the fingerprint with the server's administrator, then run: %s", keyscan(t)).Wrap(err)
		}
	}
	if strings.Contains(err.Error(), "unable to authenticate") {
		return fail(t, "服务器 %s 不接受用户 %s 的密钥，没有登录", "the server %s does not accept the key of user %s; not logged in", addr, name).
			WithHint("把公钥（.pub）加到服务器上该用户的 ~/.ssh/authorized_keys 里（ssh-copy-id 可以做到），或检查用户名和 identity", "add the public key (.pub) to that user's ~/.ssh/authorized_keys on the server (ssh-copy-id does it), or check the user name and the identity").Wrap(err)
	}
	if unreachable(err) || errors.Is(err, io.EOF) {
		return fail(t, "服务器 %s 没有完成 SSH 握手：%v。目标没有改动", "the server %s did not complete the SSH handshake: %v; nothing was changed", addr, shortNetError(err)).
			WithHint("检查端口是不是 SSH 服务的端口", "check that the port is the SSH server's").Wrap(err)
	}
	return fail(t, "连接 %s 失败：%v", "connecting to %s failed: %v", addr, err).
		WithHint("用 ssh -p %d %s 试试能否登录", "try whether ssh -p %d %s logs in", t.Port, t.Host).Wrap(err)
}

// shortNetError drops the addresses Go repeats in a network error.
func shortNetError(err error) string {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		var se *os.SyscallError
		if errors.As(oe.Err, &se) {
			return se.Err.Error()
		}
		return oe.Err.Error()
	}
	return err.Error()
}

func (st *sftpTarget) workers() int { return 8 }
func (st *sftpTarget) md5() bool    { return false }

func (st *sftpTarget) close() error {
	if st.c != nil {
		st.c.Close()
	}
	if st.conn != nil {
		st.conn.Close()
	}
	if st.agent != nil {
		st.agent.Close()
	}
	return nil
}

func (st *sftpTarget) full(name string) string { return path.Join(st.root, name) }

func (st *sftpTarget) inventory(ctx context.Context) (*inventory, error) {
	inv := &inventory{held: map[string]held{}, listed: !st.exists}
	if !st.exists {
		return inv, nil
	}
	f, err := st.c.Open(st.full(ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return inv, nil
	}
	if err != nil {
		return nil, st.explain(err, ManifestName, 0)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 1<<30))
	if err != nil {
		return nil, st.explain(err, ManifestName, 0)
	}
	m, err := ParseManifest(b)
	if err != nil {
		return nil, badManifest(st.t, err)
	}
	inv.manifest, inv.manifestRaw = m, b
	st.mu.Lock()
	defer st.mu.Unlock()
	for name, e := range m.Files {
		inv.held[name] = held{size: e.Size, sha256: e.SHA256}
		// The folders of the files it lists are there: no need to ask.
		for dir := path.Dir(name); dir != "." && !st.dirs[st.full(dir)]; dir = path.Dir(dir) {
			st.dirs[st.full(dir)] = true
		}
	}
	return inv, nil
}

func (st *sftpTarget) free() (int64, bool) {
	if !st.statvfs {
		return 0, false
	}
	v, err := st.c.StatVFS(st.root)
	if err != nil {
		return 0, false
	}
	return int64(v.Bavail * v.Frsize), true
}

func (st *sftpTarget) prepare(ctx context.Context, need int64) error {
	if !st.exists {
		if err := st.c.Mkdir(st.root); err != nil {
			return st.explain(err, st.root, 0)
		}
		st.exists = true
	}
	if free, ok := st.free(); ok && free < need {
		return diskFull(st.t, st.t.Host+":"+st.root, need, free)
	}
	probe := st.full("." + tmpSuffix[1:] + "-probe")
	if err := st.write(probe, []byte("gongkai")); err != nil {
		_ = st.c.Remove(probe)
		return st.explain(err, st.root, 7)
	}
	if err := st.c.Remove(probe); err != nil {
		return st.explain(err, st.root, 0)
	}
	return nil
}

func (st *sftpTarget) write(p string, data []byte) error {
	f, err := st.c.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
	if err != nil {
		return err
	}
	if _, err := f.ReadFrom(bytes.NewReader(data)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// forget drops dir and its parents from the folders known to exist.
func (st *sftpTarget) forget(dir string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for ; dir != st.root && dir != "/" && dir != "."; dir = path.Dir(dir) {
		delete(st.dirs, dir)
	}
}

// mkdirs makes the folder dir (absolute on the server) and its missing
// parents, asking the server once a folder.
func (st *sftpTarget) mkdirs(dir string) error {
	st.mu.Lock()
	made := st.dirs[dir]
	st.mu.Unlock()
	if made || dir == st.root {
		return nil
	}
	if err := st.c.Mkdir(dir); err != nil {
		if fi, serr := st.c.Stat(dir); serr == nil && fi.IsDir() {
			// there already
		} else if errors.Is(serr, fs.ErrNotExist) && dir != st.root {
			if err := st.mkdirs(path.Dir(dir)); err != nil {
				return err
			}
			if err := st.c.Mkdir(dir); err != nil {
				if fi, serr := st.c.Stat(dir); serr != nil || !fi.IsDir() {
					return err
				}
			}
		} else {
			return err
		}
	}
	st.mu.Lock()
	st.dirs[dir] = true
	st.mu.Unlock()
	return nil
}

func (st *sftpTarget) put(ctx context.Context, name string, data []byte, _ string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	full := st.full(name)
	if err := st.mkdirs(path.Dir(full)); err != nil {
		return st.explain(err, name, int64(len(data)))
	}
	tmp := st.full(tmpName(name))
	err := st.write(tmp, data)
	if errors.Is(err, fs.ErrNotExist) {
		// A folder the manifest lists was removed by hand: make it again.
		st.forget(path.Dir(full))
		if err = st.mkdirs(path.Dir(full)); err == nil {
			err = st.write(tmp, data)
		}
	}
	if err != nil {
		_ = st.c.Remove(tmp)
		return st.explain(err, name, int64(len(data)))
	}
	if st.rename {
		err = st.c.PosixRename(tmp, full)
	} else {
		if err = st.c.Remove(full); err == nil || errors.Is(err, fs.ErrNotExist) {
			err = st.c.Rename(tmp, full)
		}
	}
	if err != nil {
		_ = st.c.Remove(tmp)
		return st.explain(err, name, 0)
	}
	return nil
}

func (st *sftpTarget) remove(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := st.c.Remove(st.full(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return st.explain(err, name, 0)
	}
	for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
		if st.c.RemoveDirectory(st.full(dir)) != nil {
			break
		}
		st.mu.Lock()
		delete(st.dirs, st.full(dir))
		st.mu.Unlock()
	}
	return nil
}

// explain turns an SFTP error about name into what to do about it; size is
// the bytes that were being written, if any.
func (st *sftpTarget) explain(err error, name string, size int64) error {
	t := st.t
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	where := t.Host + ":" + path.Join(st.root, name)
	if strings.HasPrefix(name, "/") {
		where = t.Host + ":" + name
	}
	var se *sftp.StatusError
	code := uint32(0)
	if errors.As(err, &se) {
		code = se.Code
	}
	switch {
	case errors.Is(err, fs.ErrPermission) || code == uint32(sftp.ErrSSHFxPermissionDenied):
		return fail(t, "服务器上没有权限写入 %s。网站上没有删除任何文件", "no permission to write %s on the server; nothing was deleted", where).
			WithHint("请服务器管理员给用户 %s 这个文件夹的写权限，或换一个文件夹", "ask the server's administrator to let user %s write this folder, or use another folder", st.conn.User()).Wrap(err)
	case code == uint32(sftp.ErrSSHFxFailure) && size > 0:
		if free, ok := st.free(); ok && free < size+64<<10 {
			return fail(t, "服务器的磁盘已满（剩 %s），%s 没有写入。网站上没有删除任何文件", "the server's disk is full (%s left); %s was not written and nothing was deleted", Format(free), where).
				WithHint("请服务器管理员腾出空间，再运行 gongkai deploy，会接着上传", "ask the server's administrator to free some space, then run gongkai deploy again to continue").Wrap(err)
		}
		return fail(t, "服务器拒绝写入 %s（磁盘已满或配额用完？）。网站上没有删除任何文件", "the server refused to write %s (disk full or quota used up?); nothing was deleted", where).
			WithHint("请服务器管理员查看磁盘和配额，再运行 gongkai deploy", "ask the server's administrator to check the disk and the quota, then run gongkai deploy again").Wrap(err)
	case errors.Is(err, io.EOF) || errors.Is(err, sftp.ErrSSHFxConnectionLost) || code == uint32(sftp.ErrSSHFxConnectionLost) || unreachable(err):
		return fail(t, "与服务器 %s 的连接断了。已上传的文件保留，没有删除任何文件", "the connection to %s was lost; files already sent stay and nothing was deleted", t.Address()).
			WithHint("网络恢复后再运行 gongkai deploy，会接着上传", "run gongkai deploy again once the network is back, to continue").Wrap(err)
	}
	return fail(t, "服务器上的 %s 出错：%v", "%s on the server failed: %v", where, err).
		WithHint("稍后再运行 gongkai deploy；没有删除任何文件", "run gongkai deploy again later; nothing was deleted").Wrap(err)
}
