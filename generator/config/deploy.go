package config

import (
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"gongkai/generator/diag"
	"gongkai/generator/fields"
)

// The kinds of deploy target.
const (
	DeployS3   = "s3"
	DeploySFTP = "sftp"
	DeployFile = "file"
)

// Deploy is one [[deploy]] table of site.toml: a place `gongkai deploy`
// uploads the built site to. Its address is parsed and checked once here;
// credentials are never part of it.
type Deploy struct {
	Name string
	URL  string // as written in site.toml
	Kind string // DeployS3, DeploySFTP or DeployFile

	// S3-compatible object storage: s3://BUCKET/PREFIX?endpoint=URL&region=R
	Bucket   string
	Prefix   string // "" or a slash-separated path without slashes at the ends
	Endpoint string // "" for Amazon S3 itself; then virtual-hosted addressing
	Region   string // "" when not given

	// SFTP: sftp://user@host:port/path
	User     string // "" for the user running gongkai
	Host     string
	Port     int
	Identity string // the key file as written ("" for ssh-agent only)

	// Path is the folder on the SFTP host (absolute, or relative to the
	// user's home when the URL is written /~/…) or, for a file target, the
	// local folder (in the operating system's form).
	Path string

	Pos diag.Position // the table, for messages about the target
}

// String returns the target as the user wrote it, with its name.
func (d Deploy) String() string { return d.Name + " (" + d.URL + ")" }

// deployTargets reads the [[deploy]] tables.
func deployTargets(t *fields.Table) []Deploy {
	var out []Deploy
	seen := map[string]bool{}
	for _, dt := range t.Tables("deploy") {
		d := Deploy{Name: dt.String("name", true), URL: dt.String("url", true), Pos: dt.Self()}
		switch {
		case d.Name == "":
		case !validTargetName(d.Name):
			dt.Errorf("name", "目标名称 %q 只能用字母、数字、汉字、- 和 _", "target name %q may only hold letters, digits, Chinese, - and _", d.Name).
				WithHint("例如 name = \"网站\" 或 name = \"oss\"", "for example name = \"site\" or name = \"oss\"")
		case seen[d.Name]:
			dt.Errorf("name", "部署目标 %q 写了两次", "deploy target %q is named twice", d.Name).
				WithHint("每个 [[deploy]] 的 name 要不同", "give each [[deploy]] a name of its own")
		}
		seen[d.Name] = true
		if d.URL != "" {
			if err := parseDeployURL(&d); err != nil {
				dt.Errorf("url", "部署地址 %[1]q 不对：%[2]s", "deploy url %[1]q is wrong: %[3]s", d.URL, err.zh, err.en).
					WithHint("写成 s3://存储桶/路径?endpoint=https://…&region=…、sftp://用户@主机:端口/路径 或 file:///D:/site",
						"write s3://BUCKET/PREFIX?endpoint=https://…&region=…, sftp://user@host:port/path or file:///D:/site")
			}
		}
		if dt.Has("identity") {
			d.Identity = dt.String("identity", false)
			if d.Kind != "" && d.Kind != DeploySFTP {
				dt.Errorf("identity", "identity（密钥文件）只用于 sftp:// 目标", "identity (a key file) is only for sftp:// targets").
					WithHint("S3 的访问密钥放在环境变量 AWS_ACCESS_KEY_ID、AWS_SECRET_ACCESS_KEY 或 ~/.aws/credentials 里，不写进 site.toml",
						"S3 keys belong in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or ~/.aws/credentials, never in site.toml")
			} else if strings.TrimSpace(d.Identity) == "" {
				dt.Errorf("identity", "identity 是空的", "identity is empty").
					WithHint("写私钥文件的路径，如 identity = \"~/.ssh/id_ed25519\"；用 ssh-agent 时删去这一行",
						"write the path of the private key, like identity = \"~/.ssh/id_ed25519\"; delete the line to use ssh-agent")
			}
		}
		dt.Done()
		out = append(out, d)
	}
	return out
}

func validTargetName(s string) bool {
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_') {
			return false
		}
	}
	return s != ""
}

// urlError is a problem with a deploy address, in both languages.
type urlError struct{ zh, en string }

func bad(zh, en string, args ...any) *urlError {
	return &urlError{fmt.Sprintf(zh, args...), fmt.Sprintf(en, args...)}
}

// ParseDeployURL parses a deploy address into d's fields, as site.toml's
// url does. It is exported for tests and tools; site.toml is read by Load.
func ParseDeployURL(raw string) (Deploy, error) {
	d := Deploy{URL: raw}
	if err := parseDeployURL(&d); err != nil {
		return d, fmt.Errorf("%s", err.en)
	}
	return d, nil
}

func parseDeployURL(d *Deploy) *urlError {
	raw := strings.TrimSpace(d.URL)
	scheme, _, ok := strings.Cut(raw, "://")
	if !ok {
		return bad("缺少 s3://、sftp:// 或 file:// 开头", "it must start with s3://, sftp:// or file://")
	}
	switch strings.ToLower(scheme) {
	case DeployS3:
		return parseS3(d, raw)
	case DeploySFTP:
		return parseSFTP(d, raw)
	case DeployFile:
		return parseFile(d, raw)
	}
	return bad("不支持 %s://，只能是 s3://、sftp:// 或 file://", "%s:// is not supported; use s3://, sftp:// or file://", scheme)
}

func parseS3(d *Deploy, raw string) *urlError {
	u, err := url.Parse(raw)
	if err != nil {
		return bad("无法解析", "it cannot be parsed")
	}
	if u.User != nil {
		return bad("不要把访问密钥写进地址", "do not put keys into the address")
	}
	if u.Host == "" {
		return bad("缺少存储桶名", "the bucket name is missing")
	}
	if !validBucket(u.Host) {
		return bad("存储桶名 %q 只能用小写字母、数字、- 和 .", "bucket name %q may only hold lower-case letters, digits, - and .", u.Host)
	}
	d.Kind, d.Bucket = DeployS3, u.Host
	prefix := strings.Trim(u.Path, "/")
	if prefix != "" && !fs.ValidPath(prefix) {
		return bad("路径 %q 不能含 . 或 .. 或空的一段", "path %q may not hold . or .. or an empty part", u.Path)
	}
	d.Prefix = prefix
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return bad("? 后面的参数写法不对", "the parameters after ? are malformed")
	}
	for k, v := range q {
		if len(v) != 1 {
			return bad("参数 %s 写了不止一次", "parameter %s is given more than once", k)
		}
		switch k {
		case "endpoint":
			e, err := url.Parse(v[0])
			if err != nil || (e.Scheme != "https" && e.Scheme != "http") || e.Host == "" || e.User != nil || (e.Path != "" && e.Path != "/") || e.RawQuery != "" {
				return bad("endpoint 应为服务地址，如 https://oss-cn-hangzhou.aliyuncs.com", "endpoint must be a service address like https://oss-cn-hangzhou.aliyuncs.com")
			}
			d.Endpoint = strings.TrimSuffix(v[0], "/")
		case "region":
			if v[0] == "" || strings.ContainsAny(v[0], " /") {
				return bad("region 应为区域名，如 cn-hangzhou", "region must be a region name like cn-hangzhou")
			}
			d.Region = v[0]
		default:
			return bad("不认识的参数 %s（只有 endpoint 和 region）", "unknown parameter %s (only endpoint and region)", k)
		}
	}
	return nil
}

func validBucket(s string) bool {
	if len(s) < 3 || len(s) > 63 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

func parseSFTP(d *Deploy, raw string) *urlError {
	u, err := url.Parse(raw)
	if err != nil {
		return bad("无法解析", "it cannot be parsed")
	}
	if _, has := u.User.Password(); has {
		return bad("不要把密码写进地址：用 ssh-agent 或 identity 密钥文件", "do not put a password into the address: use ssh-agent or an identity key file")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return bad("sftp 地址不带 ? 或 # 参数", "an sftp address takes no ? or # parameters")
	}
	d.Kind = DeploySFTP
	if u.User != nil {
		d.User = u.User.Username()
	}
	d.Host = u.Hostname()
	if d.Host == "" {
		return bad("缺少主机名", "the host name is missing")
	}
	d.Port = 22
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return bad("端口 %q 不对", "port %q is wrong", p)
		}
		d.Port = n
	}
	p := u.Path
	switch {
	case p == "/~" || strings.HasPrefix(p, "/~/"):
		p = strings.Trim(strings.TrimPrefix(p, "/~"), "/")
		if p == "" {
			return bad("不能直接上传到主目录，请写一个文件夹，如 /~/board", "name a folder, not the home folder itself, like /~/board")
		}
	case strings.Trim(p, "/") == "":
		return bad("缺少服务器上的文件夹，如 /srv/board", "the folder on the server is missing, like /srv/board")
	default:
		p = "/" + strings.Trim(p, "/")
	}
	if !fs.ValidPath(strings.TrimPrefix(p, "/")) {
		return bad("路径 %q 不能含 . 或 .. 或空的一段", "path %q may not hold . or .. or an empty part", u.Path)
	}
	d.Path = p
	return nil
}

func parseFile(d *Deploy, raw string) *urlError {
	rest := raw[len("file://"):]
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		return bad("file 地址不带 ? 或 # 参数", "a file address takes no ? or # parameters")
	}
	host, p, _ := strings.Cut(rest, "/")
	p = "/" + p
	switch {
	case host == "" || strings.EqualFold(host, "localhost"):
	case len(host) == 2 && host[1] == ':' && isLetter(host[0]): // file://D:/site
		p = "/" + host + p
	default:
		return bad("只能是本机的文件夹，如 file:///srv/board 或 file:///D:/site", "only a folder on this computer, like file:///srv/board or file:///D:/site")
	}
	p, err := url.PathUnescape(p)
	if err != nil {
		return bad("路径里的 %% 写法不对", "a %% escape in the path is malformed")
	}
	if len(p) >= 3 && isLetter(p[1]) && p[2] == ':' { // /D:/site → D:/site
		p = p[1:]
	}
	if strings.ContainsRune(p, '\\') {
		return bad("路径里用 / 而不是 \\", "use / in the path, not \\")
	}
	trimmed := strings.Trim(p, "/")
	if len(trimmed) == 2 && trimmed[1] == ':' || trimmed == "" {
		return bad("不能直接写到磁盘的根，请写一个文件夹，如 file:///D:/site", "name a folder, not the root of a disk, like file:///D:/site")
	}
	for _, part := range strings.Split(trimmed, "/") {
		if part == "" || part == "." || part == ".." {
			return bad("路径 %q 不能含 . 或 .. 或空的一段", "path %q may not hold . or .. or an empty part", p)
		}
	}
	d.Kind, d.Path = DeployFile, strings.TrimRight(p, "/")
	return nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// Address returns host:port of an SFTP target.
func (d Deploy) Address() string { return net.JoinHostPort(d.Host, strconv.Itoa(d.Port)) }
