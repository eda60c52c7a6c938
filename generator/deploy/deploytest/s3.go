package deploytest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// S3 is a SeaweedFS server: S3 on Endpoint, and its filer on Filer, where
// an object is readable over plain HTTP at /buckets/BUCKET/KEY — a live
// web site for `verify --site`.
type S3 struct {
	Endpoint, Filer     string
	Key, Secret         string // may read, write, list and delete
	ReadKey, ReadSecret string // may only read and list
	dir                 string
	p                   *process
}

// One SeaweedFS serves all the tests of a test binary: it takes seconds to
// start. StopS3, from TestMain, stops it.
var (
	s3Once   sync.Once
	s3Server *S3
	s3Err    error
	s3Skip   string
)

// StartS3 returns the test binary's SeaweedFS, starting it the first time.
func StartS3(t testing.TB) *S3 {
	t.Helper()
	s3Once.Do(func() { s3Server, s3Skip, s3Err = startWeed() })
	if s3Skip != "" {
		Missing(t, s3Skip)
	}
	if s3Err != nil {
		t.Fatal(s3Err)
	}
	return s3Server
}

// StopS3 stops the SeaweedFS started by StartS3, if any.
func StopS3() {
	if s3Server != nil {
		s3Server.p.stop()
		os.RemoveAll(s3Server.dir)
	}
}

func weedBinary() string {
	if p := os.Getenv(EnvWeed); p != "" {
		if found, err := exec.LookPath(p); err == nil {
			return found
		}
		return ""
	}
	if p, err := exec.LookPath("weed"); err == nil {
		return p
	}
	return ""
}

func startWeed() (*S3, string, error) {
	bin := weedBinary()
	if bin == "" {
		return nil, "no SeaweedFS binary (build it as .ci/run does and set " + EnvWeed + "=path)", nil
	}
	dir, err := tempDir("gongkai-weed-")
	if err != nil {
		return nil, "", err
	}
	s := &S3{dir: dir, Key: "gongkai-admin", Secret: secret(), ReadKey: "gongkai-reader", ReadSecret: secret()}
	conf := map[string]any{"identities": []any{
		map[string]any{"name": "admin", "credentials": []any{map[string]string{"accessKey": s.Key, "secretKey": s.Secret}},
			"actions": []string{"Admin", "Read", "Write", "List", "Tagging"}},
		map[string]any{"name": "reader", "credentials": []any{map[string]string{"accessKey": s.ReadKey, "secretKey": s.ReadSecret}},
			"actions": []string{"Read", "List"}},
	}}
	b, _ := json.Marshal(conf)
	cfg := filepath.Join(dir, "s3.json")
	if err := os.WriteFile(cfg, b, 0o600); err != nil {
		return nil, "", err
	}
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o755); err != nil {
		return nil, "", err
	}
	ports := map[string]int{}
	used := map[int]bool{}
	for _, name := range []string{"s3", "filer", "master", "volume"} {
		for {
			p, err := freePort()
			if err != nil {
				return nil, "", err
			}
			if !used[p] && !used[p+10000] && !used[p-10000] {
				used[p] = true
				ports[name] = p
				break
			}
		}
	}
	args := []string{"mini", "-dir=" + data, "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-s3.config=" + cfg,
		"-webdav=false", "-admin.ui=false", "-master.telemetry=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
		"-s3.autoCreateBucket=false"}
	for _, name := range []string{"s3", "filer", "master", "volume"} {
		args = append(args, "-"+name+".port="+strconv.Itoa(ports[name]), "-"+name+".port.grpc="+strconv.Itoa(ports[name]+10000))
	}
	s.p, err = start(bin, args, nil)
	if err != nil {
		return nil, "", fmt.Errorf("starting %s: %w", bin, err)
	}
	s.Endpoint = "http://127.0.0.1:" + strconv.Itoa(ports["s3"])
	s.Filer = "http://127.0.0.1:" + strconv.Itoa(ports["filer"])
	// Ready when S3 answers a signed request.
	deadline := time.Now().Add(90 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := s.Client().ListBuckets(ctx, &s3.ListBucketsInput{})
		cancel()
		if err == nil {
			break
		}
		select {
		case <-s.p.exited:
			return nil, "", fmt.Errorf("weed mini stopped:\n%s", s.p.log)
		default:
		}
		if time.Now().After(deadline) {
			s.p.stop()
			return nil, "", fmt.Errorf("weed mini did not answer in time: %v\n%s", err, s.p.log)
		}
		time.Sleep(250 * time.Millisecond)
	}
	return s, "", nil
}

func secret() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Client returns an S3 client with the administrator's keys.
func (s *S3) Client() *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(s.Endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(s.Key, s.Secret, ""),
	})
}

// Bucket makes a new, empty bucket for one test.
func (s *S3) Bucket(t testing.TB) string {
	t.Helper()
	name := "t-" + secret()[:12]
	if _, err := s.Client().CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("creating bucket %s: %v", name, err)
	}
	return name
}

// Env gives the test the AWS variables of the administrator's keys (or the
// reader's), and no AWS files of the machine.
func (s *S3) Env(t testing.TB, reader bool) {
	t.Helper()
	key, sec := s.Key, s.Secret
	if reader {
		key, sec = s.ReadKey, s.ReadSecret
	}
	none := filepath.Join(t.TempDir(), "none")
	t.Setenv("AWS_ACCESS_KEY_ID", key)
	t.Setenv("AWS_SECRET_ACCESS_KEY", sec)
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", none)
	t.Setenv("AWS_CONFIG_FILE", none)
}

// URL returns the s3:// address of prefix in bucket on this server.
func (s *S3) URL(bucket, prefix string) string {
	return "s3://" + bucket + "/" + prefix + "?endpoint=" + s.Endpoint + "&region=us-east-1"
}

// Site returns the filer's web address of prefix in bucket.
func (s *S3) Site(bucket, prefix string) string {
	u := s.Filer + "/buckets/" + bucket + "/"
	if prefix != "" {
		u += prefix + "/"
	}
	return u
}

// Objects returns every key under prefix with its bytes' length.
func (s *S3) Objects(t testing.TB, bucket, prefix string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	pages := s3.NewListObjectsV2Paginator(s.Client(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Contents {
			out[aws.ToString(o.Key)] = aws.ToInt64(o.Size)
		}
	}
	return out
}

// Get returns an object's bytes and headers.
func (s *S3) Get(t testing.TB, bucket, key string) ([]byte, http.Header) {
	t.Helper()
	out, err := s.Client().GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set("Content-Type", aws.ToString(out.ContentType))
	h.Set("Cache-Control", aws.ToString(out.CacheControl))
	h.Set("ETag", aws.ToString(out.ETag))
	return b, h
}

// Put writes an object, as someone changing the server by hand would.
func (s *S3) Put(t testing.TB, bucket, key string, data []byte) {
	t.Helper()
	_, err := s.Client().PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(data)})
	if err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
}

// Delete removes an object, as someone changing the server by hand would.
func (s *S3) Delete(t testing.TB, bucket, key string) {
	t.Helper()
	if _, err := s.Client().DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}); err != nil {
		t.Fatalf("delete %s: %v", key, err)
	}
}
