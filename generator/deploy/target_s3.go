package deploy

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"gongkai/generator/config"
)

// s3Target is a bucket (and a prefix in it) of S3-compatible storage.
type s3Target struct {
	t      config.Deploy
	c      *s3.Client
	prefix string // "" or ending in "/"
}

func openS3(ctx context.Context, opt Options) (target, error) {
	t := opt.Target
	httpClient := awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = 10 * time.Second }).
		WithTimeout(5 * time.Minute)
	cfg, err := awsconfig.LoadDefaultConfig(ctx,
		// Keys come from the AWS variables or the shared files, never from
		// a cloud machine's metadata service, which only answers (slowly)
		// on Amazon's own machines.
		awsconfig.WithEC2IMDSClientEnableState(imds.ClientDisabled),
		awsconfig.WithHTTPClient(httpClient),
		awsconfig.WithRetryMaxAttempts(3),
	)
	if err != nil {
		return nil, fail(t, "AWS 设置文件读不了：%v", "the AWS settings cannot be read: %v", err).
			WithHint("检查 ~/.aws/config、~/.aws/credentials 和 AWS_PROFILE", "check ~/.aws/config, ~/.aws/credentials and AWS_PROFILE").Wrap(err)
	}
	if t.Region != "" {
		cfg.Region = t.Region
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1" // S3-compatible services given an endpoint mostly ignore it
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return nil, fail(t, "没有找到 S3 的访问密钥", "no S3 access key found").
			WithHint("设置环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY，或写在 ~/.aws/credentials 里；不要写进 site.toml",
				"set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or write them in ~/.aws/credentials; never in site.toml").Wrap(err)
	}
	c := s3.NewFromConfig(cfg, func(o *s3.Options) {
		if t.Endpoint != "" {
			o.BaseEndpoint = aws.String(t.Endpoint)
			o.UsePathStyle = true
		}
		// Many S3-compatible services refuse the newer checksum headers;
		// a Content-MD5 on every upload checks the bytes instead.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	st := &s3Target{t: t, c: c}
	if t.Prefix != "" {
		st.prefix = t.Prefix + "/"
	}
	return st, nil
}

func (st *s3Target) workers() int        { return 16 }
func (st *s3Target) md5() bool           { return true }
func (st *s3Target) close() error        { return nil }
func (st *s3Target) key(n string) string { return st.prefix + n }

func (st *s3Target) inventory(ctx context.Context) (*inventory, error) {
	inv := &inventory{held: map[string]held{}, listed: true}
	pages := s3.NewListObjectsV2Paginator(st.c, &s3.ListObjectsV2Input{Bucket: aws.String(st.t.Bucket), Prefix: aws.String(st.prefix)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, st.explain(err, "")
		}
		for _, o := range page.Contents {
			name := strings.TrimPrefix(aws.ToString(o.Key), st.prefix)
			if !fs.ValidPath(name) || name == "." || name == ManifestName {
				continue
			}
			h := held{size: aws.ToInt64(o.Size), md5: strings.Trim(aws.ToString(o.ETag), `"`)}
			if _, err := hex.DecodeString(h.md5); err != nil || len(h.md5) != 32 {
				h.md5 = "-" // a multipart upload's ETag is not an MD5: send the file again
			}
			inv.held[name] = h
		}
	}
	out, err := st.c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(st.t.Bucket), Key: aws.String(st.key(ManifestName))})
	if err != nil {
		var nk interface{ ErrorCode() string }
		if errors.As(err, &nk) && (nk.ErrorCode() == "NoSuchKey" || nk.ErrorCode() == "NotFound") {
			return inv, nil
		}
		return nil, st.explain(err, ManifestName)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(io.LimitReader(out.Body, 1<<30))
	if err != nil {
		return nil, st.explain(err, ManifestName)
	}
	m, err := ParseManifest(b)
	if err != nil {
		return nil, badManifest(st.t, err)
	}
	inv.manifest, inv.manifestRaw = m, b
	return inv, nil
}

// prepare has nothing to check: storage does not say how much room is
// left, and a write refused for want of room or permission is refused
// before anything changes.
func (st *s3Target) prepare(ctx context.Context, need int64) error { return nil }

func (st *s3Target) put(ctx context.Context, name string, data []byte, md5hex string) error {
	sum, err := hex.DecodeString(md5hex)
	if err != nil || len(sum) != 16 {
		sum, _ = hex.DecodeString(md5Hex(data))
	}
	_, err = st.c.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(st.t.Bucket),
		Key:           aws.String(st.key(name)),
		Body:          bytes.NewReader(data),
		ContentLength: aws.Int64(int64(len(data))),
		ContentMD5:    aws.String(base64.StdEncoding.EncodeToString(sum)),
		ContentType:   aws.String(ContentType(name)),
		CacheControl:  aws.String(CacheControl(name)),
	})
	if err != nil {
		return st.explain(err, name)
	}
	return nil
}

func (st *s3Target) remove(ctx context.Context, name string) error {
	_, err := st.c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(st.t.Bucket), Key: aws.String(st.key(name))})
	if err != nil {
		var nk interface{ ErrorCode() string }
		if errors.As(err, &nk) && nk.ErrorCode() == "NoSuchKey" {
			return nil
		}
		return st.explain(err, name)
	}
	return nil
}

// explain turns an error of the storage service into what to do about it.
func (st *s3Target) explain(err error, name string) error {
	t := st.t
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	code, status := "", 0
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code = ae.ErrorCode()
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	where := t.Bucket
	if name != "" {
		where = t.Bucket + "/" + st.key(name)
	}
	switch {
	case code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch" || code == "InvalidToken" || code == "ExpiredToken" || code == "InvalidSecurity":
		return fail(t, "存储服务不接受这个访问密钥（%s）：密钥不对或已停用。目标没有改动", "the storage service refuses the access key (%s): it is wrong or disabled; nothing was changed", code).
			WithHint("核对 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY（或 ~/.aws/credentials）是这个存储桶的密钥", "check that AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or ~/.aws/credentials) are the keys of this bucket").Wrap(err)
	case code == "NoSuchBucket":
		return fail(t, "存储桶 %s 不存在。目标没有改动", "bucket %s does not exist; nothing was changed", t.Bucket).
			WithHint("先在存储服务的控制台建好这个存储桶（公共读），或改正 site.toml 里的名字", "create the bucket (public read) in the service's console first, or correct the name in site.toml").Wrap(err)
	case code == "AccessDenied" || code == "AllAccessDisabled" || code == "AccountProblem" || status == http.StatusForbidden:
		return fail(t, "这个访问密钥没有权限操作 %s。网站上没有删除任何文件", "the access key has no permission for %s; nothing was deleted", where).
			WithHint("给这个访问密钥开通该存储桶的读、写、列出和删除权限", "give the access key read, write, list and delete permission on the bucket").Wrap(err)
	case code == "QuotaExceeded" || code == "InsufficientStorage" || status == http.StatusInsufficientStorage:
		return fail(t, "存储空间已满或超出配额，%s 没有上传。网站上没有删除任何文件", "the storage is full or over its quota; %s was not uploaded and nothing was deleted", where).
			WithHint("扩容或清理存储桶后再运行 gongkai deploy，会接着上传", "add space or clean the bucket, then run gongkai deploy again to continue").Wrap(err)
	case code == "PermanentRedirect" || code == "AuthorizationHeaderMalformed" || code == "IllegalLocationConstraintException":
		return fail(t, "存储桶 %s 不在这个区域（%s）", "bucket %s is not in this region (%s)", t.Bucket, code).
			WithHint("在地址里写对 region=… 和 endpoint=…", "give the right region=… and endpoint=… in the address").Wrap(err)
	}
	if unreachable(err) {
		host := t.Endpoint
		if host == "" {
			host = "Amazon S3"
		}
		return fail(t, "连不上存储服务 %s。目标没有改动", "cannot reach the storage service %s; nothing was changed", host).
			WithHint("检查网络和地址里的 endpoint；稍后再运行 gongkai deploy", "check the network and the endpoint in the address; run gongkai deploy again later").Wrap(err)
	}
	if status >= 500 {
		return fail(t, "存储服务出错（HTTP %d）：%s 没有上传。网站上没有删除任何文件", "the storage service failed (HTTP %d): %s was not uploaded and nothing was deleted", status, where).
			WithHint("稍后再运行 gongkai deploy，会接着上传", "run gongkai deploy again later to continue").Wrap(err)
	}
	return fail(t, "存储服务拒绝了 %s：%v", "the storage service refused %s: %v", where, err).
		WithHint("稍后再运行 gongkai deploy；没有删除任何文件", "run gongkai deploy again later; nothing was deleted").Wrap(err)
}

// unreachable reports whether err means the server could not be reached.
func unreachable(err error) bool {
	var ne net.Error
	var oe *net.OpError
	var de *net.DNSError
	return errors.As(err, &oe) || errors.As(err, &de) || (errors.As(err, &ne) && ne.Timeout())
}
