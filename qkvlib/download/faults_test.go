package download

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofrs/flock"
	"github.com/qkvport/qkv/qkvlib/hub"
)

// faultFiles is the repo the fault tests download: a config and a
// safetensors file of about n bytes (in LFS, so its sha256 is known).
func faultFiles(n int) map[string]string {
	return map[string]string{"config.json": `{"n_layer": 1}`, "model.safetensors": fakeSafetensors(n)}
}

// tinyHub serves repo org/tiny at hashV1, faultFiles(n), from a fake hub,
// with the environment cleared.
func tinyHub(t *testing.T, n int) (fake *fakeHub, srv *httptest.Server, content string) {
	clearEnv(t)
	files := faultFiles(n)
	fake = newFakeHub(t, "org/tiny", hashV1, files)
	srv = httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, srv, files["model.safetensors"]
}

// syncBuffer is a bytes.Buffer that goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fastOptions downloads into cache from endpoint, retrying after 1ms.
func fastOptions(cache, endpoint string, log *syncBuffer) Options {
	opt := Options{CacheDir: cache, Endpoint: endpoint, RetryWait: time.Millisecond}
	if log != nil {
		opt.Log = log
	}
	return opt
}

// cacheState says what the cache holds of content, downloaded for file into
// repo org/tiny at hashV1: the blob, the partial file and the snapshot link.
type cacheState struct {
	blob, part, link string
}

func stateOf(cache, file, content string) cacheState {
	dir := filepath.Join(cache, "models--org--tiny")
	blob := filepath.Join(dir, "blobs", sha256Hex(content))
	return cacheState{blob: blob, part: blob + ".incomplete", link: filepath.Join(dir, "snapshots", hashV1, file)}
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

func fileSize(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return -1
	}
	return fi.Size()
}

// checkFailed checks that a failed download left one line and a valid cache:
// no blob and no snapshot link for the file, and a partial file of part
// bytes (-1: none).
func checkFailed(t *testing.T, err error, st cacheState, part int64, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") {
		t.Errorf("the error spans lines:\n%s", msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error\n%s\nlacks\n%s", msg, w)
		}
	}
	if exists(st.blob) || exists(st.link) {
		t.Errorf("the failed download left blob %v, snapshot link %v", exists(st.blob), exists(st.link))
	}
	if got := fileSize(st.part); got != part {
		t.Errorf("partial file holds %d bytes, want %d (-1: none)", got, part)
	}
}

// checkDownloaded checks that snap holds the whole file, linked to its blob,
// with no partial file left.
func checkDownloaded(t *testing.T, snap hub.Snapshot, st cacheState, file, content string) {
	t.Helper()
	b, err := os.ReadFile(snap.Path(file))
	if err != nil || string(b) != content {
		t.Fatalf("%s in the snapshot: %d bytes, want %d (%v)", file, len(b), len(content), err)
	}
	if target, err := filepath.EvalSymlinks(st.link); err != nil || target != st.blob {
		t.Fatalf("snapshot link resolves to %s (%v), want %s", target, err, st.blob)
	}
	if exists(st.part) {
		t.Fatalf("%s is left", st.part)
	}
}

func TestDownloadResumesNextRun(t *testing.T) {
	fake, srv, content := tinyHub(t, 10_500_000) // big enough for progress lines
	size := int64(len(content))
	const cut = 4_000_000
	fake.set(func(h *fakeHub) { h.cutAt, h.cuts = cut, -1 }) // the connection breaks at 4 MB, every time
	cache := t.TempDir()
	st := stateOf(cache, "model.safetensors", content)
	var log syncBuffer

	_, err := Resolve(context.Background(), "org/tiny", modelFiles, fastOptions(cache, srv.URL, &log))
	checkFailed(t, err, st, cut,
		"hub: downloading model.safetensors of org/tiny from "+srv.URL+" failed: ",
		"(5 tries); the 4.0 MB downloaded so far stay in "+st.part+" and the next run resumes from them")
	if fake.sentBytes() != cut {
		t.Fatalf("the hub sent %d bytes, want %d", fake.sentBytes(), cut)
	}

	fake.set(func(h *fakeHub) { h.cuts = 0 })
	fake.newRun()
	snap, err := Resolve(context.Background(), "org/tiny", modelFiles, fastOptions(cache, srv.URL, &log))
	if err != nil {
		t.Fatal(err)
	}
	if fake.sentBytes() != size-cut {
		t.Fatalf("the second run fetched %d bytes, want the %d that were missing", fake.sentBytes(), size-cut)
	}
	checkDownloaded(t, snap, st, "model.safetensors", content)
	for _, w := range []string{
		"Downloading model.safetensors of org/tiny (10.5 MB)\n",
		"model.safetensors: 4.0 MB in ",
		", stopped\n",
		"Resuming model.safetensors of org/tiny at 4.0 MB of 10.5 MB\n",
		"model.safetensors: 10.5 MB in ",
		", size and sha256 checked\n",
	} {
		if !strings.Contains(log.String(), w) {
			t.Errorf("the log\n%s\nlacks %q", log.String(), w)
		}
	}
}

func TestDownloadRecoversWithinRun(t *testing.T) {
	tests := []struct {
		name  string
		fault func(h *fakeHub, opt *Options)
		sent  func(size int64) int64 // bytes the hub sends in all
	}{
		{"connection cut after every 64 KB, 6 times", func(h *fakeHub, _ *Options) { h.cutEvery, h.cuts = 64<<10, 6 }, nil},
		{"500 twice for the info, the HEAD and the GET", func(h *fakeHub, _ *Options) { h.failInfo, h.failHead, h.failGet = 2, 2, 2 }, nil},
		{"stalled body", func(h *fakeHub, opt *Options) {
			h.stallAt, h.stall, opt.stallTimeout = 50_000, 500*time.Millisecond, 50*time.Millisecond
		}, nil},
		{"no sizes announced, cut", func(h *fakeHub, _ *Options) { h.unsized, h.cutAt, h.cuts = true, 100_000, 1 }, nil},
		{"a hub that ignores Range starts over", func(h *fakeHub, _ *Options) { h.noRange, h.cutAt, h.cuts = true, 100_000, 1 },
			func(size int64) int64 { return 100_000 + size }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake, srv, content := tinyHub(t, 300_000)
			cache := t.TempDir()
			opt := fastOptions(cache, srv.URL, nil)
			fake.set(func(h *fakeHub) { tc.fault(h, &opt) })
			snap, err := Resolve(context.Background(), "org/tiny", modelFiles, opt)
			if err != nil {
				t.Fatal(err)
			}
			checkDownloaded(t, snap, stateOf(cache, "model.safetensors", content), "model.safetensors", content)
			want := int64(len(content))
			if tc.sent != nil {
				want = tc.sent(want)
			}
			if fake.sentBytes() != want {
				t.Fatalf("the hub sent %d bytes, want %d (no byte twice)", fake.sentBytes(), want)
			}
		})
	}
}

func TestDownloadGivesUp(t *testing.T) {
	files := faultFiles(300_000)
	content := files["model.safetensors"]
	tests := []struct {
		name  string
		fault func(h *fakeHub, opt *Options)
		want  []string // with URL for the hub's address
		part  int64    // bytes left in the partial file, -1 for none
	}{
		{"500 for every GET", func(h *fakeHub, _ *Options) { h.failGet = -1 },
			[]string{"hub: downloading model.safetensors of org/tiny from URL failed: the hub answered 500 Internal Server Error for URL/org/tiny/resolve/" + hashV1 + "/model.safetensors (5 tries): try again later, or set HF_ENDPOINT to a mirror"}, -1},
		{"500 for every HEAD, 2 retries", func(h *fakeHub, opt *Options) { h.failHead, opt.Retries = -1, 2 },
			[]string{"hub: downloading model.safetensors of org/tiny from URL failed: the hub answered 500 Internal Server Error for URL/org/tiny/resolve/" + hashV1 + "/model.safetensors (3 tries): try again later"}, -1},
		{"a hub that ignores Range, cut at the same byte every time", func(h *fakeHub, _ *Options) { h.noRange, h.cutAt, h.cuts = true, 100_000, -1 },
			[]string{"failed: the transfer broke off (unexpected EOF) (5 tries); the 100.0 kB downloaded so far stay in "}, 100_000},
		{"one 500, no retries", func(h *fakeHub, opt *Options) { h.failGet, opt.Retries = 1, -1 },
			[]string{"500 Internal Server Error for URL/org/tiny/resolve/" + hashV1 + "/model.safetensors (no retries): try again later"}, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clearEnv(t)
			fake := newFakeHub(t, "org/tiny", hashV1, files)
			srv := httptest.NewServer(fake)
			defer srv.Close()
			cache := t.TempDir()
			opt := fastOptions(cache, srv.URL, nil)
			fake.set(func(h *fakeHub) { tc.fault(h, &opt) })
			_, err := Resolve(context.Background(), "org/tiny", modelFiles, opt)
			want := make([]string, len(tc.want))
			for i, w := range tc.want {
				want[i] = strings.ReplaceAll(w, "URL", srv.URL)
			}
			checkFailed(t, err, stateOf(cache, "model.safetensors", content), tc.part, want...)
		})
	}
}

func TestDownloadInterrupted(t *testing.T) {
	fake, srv, content := tinyHub(t, 300_000)
	fake.set(func(h *fakeHub) { h.slow = time.Millisecond })
	cache := t.TempDir()
	st := stateOf(cache, "model.safetensors", content)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { // interrupt once 40 KB came
		for fileSize(st.part) < 40_000 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := Resolve(ctx, "org/tiny", modelFiles, fastOptions(cache, srv.URL, nil))
	have := fileSize(st.part)
	if have < 40_000 {
		t.Fatalf("partial file of %d bytes (%v)", have, err)
	}
	checkFailed(t, err, st, have, "hub: downloading model.safetensors of org/tiny from "+srv.URL+" failed: interrupted (context canceled); the ",
		" downloaded so far stay in "+st.part+" and the next run resumes from them")
}

func TestDownloadRefusesCorruptBody(t *testing.T) {
	fake, srv, content := tinyHub(t, 300_000)
	fake.set(func(h *fakeHub) { h.corrupt = 200_000 }) // one flipped bit, as a bad proxy or link may do
	cache := t.TempDir()
	st := stateOf(cache, "model.safetensors", content)
	_, err := Resolve(context.Background(), "org/tiny", modelFiles, fastOptions(cache, srv.URL, nil))
	checkFailed(t, err, st, -1,
		"hub: downloading model.safetensors of org/tiny from "+srv.URL+" failed: its sha256 is ",
		", not the "+sha256Hex(content)+" the hub announced, so the download was removed and not linked into the snapshot: run again")

	fake.set(func(h *fakeHub) { h.corrupt = -1 })
	fake.newRun()
	snap, err := Resolve(context.Background(), "org/tiny", modelFiles, fastOptions(cache, srv.URL, nil))
	if err != nil {
		t.Fatal(err)
	}
	checkDownloaded(t, snap, st, "model.safetensors", content)
	if fake.sentBytes() != int64(len(content)) {
		t.Fatalf("the hub sent %d bytes, want %d", fake.sentBytes(), len(content))
	}
}

func TestCachedFileDamaged(t *testing.T) {
	files := faultFiles(300_000)
	tests := []struct {
		name   string
		file   string
		damage func(t *testing.T, p string) // p: the cached file
		want   string
	}{
		{"truncated safetensors", "model.safetensors", func(t *testing.T, p string) { must(t, os.Truncate(p, 123_456)) },
			"(truncated)"},
		{"safetensors shorter than its header", "model.safetensors", func(t *testing.T, p string) { must(t, os.Truncate(p, 20)) },
			"header bytes but the file holds 20 bytes (truncated?)"},
		{"truncated JSON", "config.json", func(t *testing.T, p string) { must(t, os.Truncate(p, 5)) },
			"its 5 bytes are no valid JSON (truncated?)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clearEnv(t)
			cache := t.TempDir()
			snapDir := cacheRepo(t, cache, "org/tiny", "main", hashV1, files, false)
			tc.damage(t, filepath.Join(snapDir, tc.file))

			_, err := Resolve(context.Background(), "org/tiny", modelFiles, Options{CacheDir: cache, Offline: true})
			if err == nil || !strings.Contains(err.Error(), "hub: the cached "+tc.file+" of org/tiny (") ||
				!strings.Contains(err.Error(), tc.want) ||
				!strings.Contains(err.Error(), "and offline mode forbids downloading it again: delete it and run again online") {
				t.Fatalf("offline, error %v", err)
			}

			fake := newFakeHub(t, "org/tiny", hashV1, files)
			srv := httptest.NewServer(fake)
			defer srv.Close()
			var log syncBuffer
			snap, err := Resolve(context.Background(), "org/tiny", modelFiles, fastOptions(cache, srv.URL, &log))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(fake.gets, ",") != tc.file {
				t.Fatalf("downloaded %v, want only %s", fake.gets, tc.file)
			}
			if want := "hub: the cached " + tc.file + " of org/tiny is damaged ("; !strings.Contains(log.String(), want) {
				t.Fatalf("log\n%s\nlacks %q", log.String(), want)
			}
			for f, content := range files {
				if b, err := os.ReadFile(snap.Path(f)); err != nil || string(b) != content {
					t.Fatalf("%s after the download: %d bytes (%v)", f, len(b), err)
				}
			}
		})
	}
}

// TestCachedBlobWrongSize: a blob of the right name but the wrong size (a
// copy that stopped early) is replaced, not linked.
func TestCachedBlobWrongSize(t *testing.T) {
	_, srv, content := tinyHub(t, 300_000)
	cache := t.TempDir()
	st := stateOf(cache, "model.safetensors", content)
	must(t, os.MkdirAll(filepath.Dir(st.blob), 0o755))
	must(t, os.WriteFile(st.blob, []byte(content[:1000]), 0o644))
	var log syncBuffer
	snap, err := Resolve(context.Background(), "org/tiny", modelFiles, fastOptions(cache, srv.URL, &log))
	if err != nil {
		t.Fatal(err)
	}
	checkDownloaded(t, snap, st, "model.safetensors", content)
	if want := "is damaged (it holds 1000 bytes, not the 300072 the hub announces); downloading it again"; !strings.Contains(log.String(), want) {
		t.Fatalf("log\n%s\nlacks %q", log.String(), want)
	}
}

func TestConcurrentResolvesDownloadOnce(t *testing.T) {
	fake, srv, content := tinyHub(t, 300_000)
	gate := make(chan struct{}) // bodies wait until the other resolver waits for the lock
	fake.set(func(h *fakeHub) { h.gate = gate })
	cache := t.TempDir()

	var logs [2]syncBuffer
	var snaps [2]hub.Snapshot
	var errs [2]error
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			snaps[i], errs[i] = Resolve(context.Background(), "org/tiny", modelFiles, fastOptions(cache, srv.URL, &logs[i]))
		})
	}
	waiting := func() bool {
		return strings.Contains(logs[0].String()+logs[1].String(), "hub: another process is downloading model.safetensors of org/tiny into the cache; waiting for it (lock "+
			filepath.Join(cache, ".locks", "models--org--tiny", sha256Hex(content)+".lock")+")")
	}
	for deadline := time.Now().Add(10 * time.Second); !waiting() && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	if !waiting() {
		t.Errorf("no resolver said it waits for the other")
	}
	close(gate)
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		checkDownloaded(t, snaps[i], stateOf(cache, "model.safetensors", content), "model.safetensors", content)
	}
	if snaps[0].Dir != snaps[1].Dir {
		t.Fatalf("two snapshots: %s and %s", snaps[0].Dir, snaps[1].Dir)
	}
	if fake.sentBytes() != int64(len(content)) {
		t.Fatalf("the hub sent %d bytes of model.safetensors, want %d (one download)", fake.sentBytes(), len(content))
	}
}

func TestProgressLine(t *testing.T) {
	tests := []struct {
		got, done, total int64
		elapsed          time.Duration
		want             string
	}{
		{1_200_000_000, 1_200_000_000, 3_250_000_000, 25 * time.Second, "model.safetensors: 1.20 GB of 3.25 GB (37%), 48.0 MB/s, about 43s left"},
		{1_000_000, 2_000_000_000, 3_250_000_000, time.Second, "model.safetensors: 2.00 GB of 3.25 GB (62%), 1.0 MB/s, about 20m50s left"},
		{5_000_000, 5_000_000, -1, 5 * time.Second, "model.safetensors: 5.0 MB, 1.0 MB/s"},
	}
	for _, tc := range tests {
		if got := progressLine("model.safetensors", tc.got, tc.done, tc.total, tc.elapsed); got != tc.want {
			t.Errorf("progressLine = %q, want %q", got, tc.want)
		}
	}
}

// TestResolveChildProcess is the child of TestConcurrentProcessesDownloadOnce:
// it resolves org/tiny with the cache and endpoint that its parent passes.
func TestResolveChildProcess(t *testing.T) {
	if os.Getenv("QKV_HUB_CHILD") != "1" {
		t.Skip("run by TestConcurrentProcessesDownloadOnce")
	}
	opt := Options{CacheDir: os.Getenv("QKV_HUB_CHILD_CACHE"), Endpoint: os.Getenv("QKV_HUB_CHILD_ENDPOINT"), Log: os.Stderr}
	snap, err := Resolve(context.Background(), "org/tiny", modelFiles, opt)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("snapshot", snap.Dir)
}

// TestConcurrentProcessesDownloadOnce: two processes resolve the same repo
// while a third (this test) holds the blob's lock, as a process that
// downloads it would: both wait, then one downloads and the other uses its
// blob.
func TestConcurrentProcessesDownloadOnce(t *testing.T) {
	fake, srv, content := tinyHub(t, 300_000)
	fake.set(func(h *fakeHub) { h.slow = time.Millisecond })
	cache := t.TempDir()
	lockPath := filepath.Join(cache, ".locks", "models--org--tiny", sha256Hex(content)+".lock")
	must(t, os.MkdirAll(filepath.Dir(lockPath), 0o755))
	held := flock.New(lockPath)
	must(t, held.Lock())

	type child struct {
		cmd            *exec.Cmd
		stdout, stderr syncBuffer
	}
	children := make([]*child, 2)
	for i := range children {
		c := &child{cmd: exec.Command(os.Args[0], "-test.run=^TestResolveChildProcess$", "-test.count=1", "-test.v")}
		c.cmd.Env = append(os.Environ(), "QKV_HUB_CHILD=1", "QKV_HUB_CHILD_CACHE="+cache, "QKV_HUB_CHILD_ENDPOINT="+srv.URL)
		c.cmd.Stdout, c.cmd.Stderr = &c.stdout, &c.stderr
		must(t, c.cmd.Start())
		children[i] = c
	}
	waiting := func() bool {
		for _, c := range children {
			if !strings.Contains(c.stderr.String(), "waiting for it (lock "+lockPath+")") {
				return false
			}
		}
		return true
	}
	for deadline := time.Now().Add(20 * time.Second); !waiting() && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if !waiting() {
		t.Errorf("the children do not both wait for the lock")
	}
	must(t, held.Unlock())
	var dirs []string
	for _, c := range children {
		if err := c.cmd.Wait(); err != nil {
			t.Fatalf("child: %v\n%s%s", err, c.stdout.String(), c.stderr.String())
		}
		_, dir, _ := strings.Cut(c.stdout.String(), "snapshot ")
		dir, _, _ = strings.Cut(dir, "\n")
		dirs = append(dirs, dir)
	}
	if want := filepath.Join(cache, "models--org--tiny", "snapshots", hashV1); dirs[0] != want || dirs[1] != want {
		t.Fatalf("snapshots %q, want %s twice", dirs, want)
	}
	if fake.sentBytes() != int64(len(content)) {
		t.Fatalf("the hub sent %d bytes of model.safetensors, want %d (one download)", fake.sentBytes(), len(content))
	}
	checkDownloaded(t, hub.Snapshot{Dir: dirs[0]}, stateOf(cache, "model.safetensors", content), "model.safetensors", content)
}

// TestTokenStaysOnTheHub: a redirect to another host, a subdomain too (Go's
// client would forward the token there), drops the token.
func TestTokenStaysOnTheHub(t *testing.T) {
	tests := []struct {
		to   string
		keep bool
	}{
		{"https://huggingface.co/api/resolve-cache/x", true},
		{"https://cdn-lfs.huggingface.co/x", false},
		{"https://cas-bridge.xethub.hf.co/x", false},
	}
	for _, tc := range tests {
		from := httptest.NewRequest("GET", "https://huggingface.co/gpt2/resolve/main/model.safetensors", nil)
		req := httptest.NewRequest("GET", tc.to, nil)
		req.Header.Set("Authorization", "Bearer hf_secret")
		if err := noAuthElsewhere(req, []*http.Request{from}); err != nil {
			t.Fatal(err)
		}
		if got := req.Header.Get("Authorization") != ""; got != tc.keep {
			t.Errorf("redirect to %s: token kept %v, want %v", tc.to, got, tc.keep)
		}
	}
}
