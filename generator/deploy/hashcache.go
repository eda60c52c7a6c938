package deploy

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// A hash cache remembers the hashes of the built site's files between
// deploys, keyed by what the file system says of each file: its size,
// modification time and (where there is one) inode. A build keeps a file
// whose bytes did not change as the same file (a hard link with its old
// time) and writes a changed one anew, so after one edit only the changed
// files are read again — at 10,000 records that is the difference between
// reading 200 MB and reading a few pages.

// HashCache returns the file, in the user's cache folder, that keeps the
// hashes of the site folder siteDir; "" when there is no cache folder.
func HashCache(siteDir string) string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	abs, err := filepath.Abs(siteDir)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(dir, "gongkai", "deploy-hashes-"+hex.EncodeToString(sum[:8])+".txt")
}

// stamp is what the file system says of a file.
type stamp struct {
	size, mtime int64
	ino         uint64
}

func stampOf(info fs.FileInfo) stamp {
	return stamp{size: info.Size(), mtime: info.ModTime().UnixNano(), ino: inode(info)}
}

type cached struct {
	stamp
	sha256, md5 string
}

// racy is how close to the time of hashing a file may have been changed
// for its hash to be kept: a change within the file system's time
// resolution could otherwise go unseen.
const racy = 2 * time.Second

// readHashCache reads a cache file; a missing or damaged one is empty.
func readHashCache(file string) map[string]cached {
	out := map[string]cached{}
	if file == "" {
		return out
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return out
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 6 {
			continue
		}
		size, err1 := strconv.ParseInt(f[0], 10, 64)
		mtime, err2 := strconv.ParseInt(f[1], 10, 64)
		ino, err3 := strconv.ParseUint(f[2], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil || len(f[3]) != 64 || (f[4] != "" && len(f[4]) != 32) {
			continue
		}
		out[f[5]] = cached{stamp{size, mtime, ino}, f[3], f[4]}
	}
	return out
}

// writeHashCache keeps the hashes of files for the next deploy, except of
// files changed just before they were hashed. Failing to write it only
// makes the next deploy slower.
func writeHashCache(file string, files []File, stamps []stamp, hashedAt time.Time) {
	if file == "" {
		return
	}
	var b bytes.Buffer
	for i, f := range files {
		s := stamps[i]
		if hashedAt.Sub(time.Unix(0, s.mtime)) < racy || strings.ContainsAny(f.Name, "\t\n") {
			continue
		}
		fmt.Fprintf(&b, "%d\t%d\t%d\t%s\t%s\t%s\n", s.size, s.mtime, s.ino, f.SHA256, f.MD5, f.Name)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), filepath.Base(file)+".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b.Bytes())
	if cerr := tmp.Close(); werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return
	}
	if os.Rename(tmp.Name(), file) != nil {
		os.Remove(tmp.Name())
	}
}
