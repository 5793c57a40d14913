package download

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qkvport/qkv/internal/hfcache/hfcachetest"
	"github.com/qkvport/qkv/qkvlib/hub"
)

// The fake hub serves its repos at commit hashV1; a cached GPT-2 large sits
// at hfcachetest.HashMain.
const hashV1 = hfcachetest.HashV1

var (
	modelFiles = []string{"config.json", "model.safetensors"}
	gpt2Files  = map[string]string{"config.json": `{"n_layer": 36}`, "model.safetensors": fakeSafetensors(7)}
	cacheRepo  = hfcachetest.WriteRepo
	clearEnv   = hfcachetest.ClearEnv
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// noNetwork returns an endpoint that fails the test on any request.
func noNetwork(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request to the hub: %s %s", r.Method, r.URL)
		w.WriteHeader(http.StatusInternalServerError)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestResolveFindsFirst: what the cache or a local folder holds is used
// without asking the hub.
func TestResolveFindsFirst(t *testing.T) {
	clearEnv(t)
	cache := t.TempDir()
	snap := cacheRepo(t, cache, "openai-community/gpt2-large", "main", hfcachetest.HashMain, gpt2Files, false)
	opt := Options{CacheDir: cache, Endpoint: noNetwork(t)}
	got, err := Resolve(context.Background(), "gpt2-large", modelFiles, opt)
	if err != nil || got.Dir != snap || got.Repo != "openai-community/gpt2-large" || got.Revision != hfcachetest.HashMain {
		t.Fatalf("cached: %+v, %v", got, err)
	}
	got, err = Resolve(context.Background(), snap, modelFiles, opt)
	if err != nil || got.Dir != snap || got.Repo != "" {
		t.Fatalf("local folder: %+v, %v", got, err)
	}
}

// TestResolveUnavailable: offline, Resolve returns hub.Find's error; a hub
// that cannot be reached gives the same advice.
func TestResolveUnavailable(t *testing.T) {
	clearEnv(t)
	advice := `: run "huggingface-cli download gpt2-large config.json model.safetensors" on a connected machine, copy the cache, or pass a local folder (-model DIR) holding config.json and model.safetensors`
	offline := Options{CacheDir: t.TempDir(), Endpoint: noNetwork(t), Offline: true}
	_, err := Resolve(context.Background(), "gpt2-large", modelFiles, offline)
	if want := "hub: gpt2-large is not in the HuggingFace cache (" + offline.CacheDir + ") and offline mode forbids downloading" + advice; err == nil || err.Error() != want {
		t.Fatalf("offline, error\n%v\nwant\n%s", err, want)
	}

	refused := httptest.NewServer(http.NotFoundHandler())
	refused.Close() // connections to it are refused
	cache := t.TempDir()
	_, err = Resolve(context.Background(), "gpt2-large", modelFiles, Options{CacheDir: cache, Endpoint: refused.URL})
	var miss *hub.MissingError
	if !errors.As(err, &miss) || miss.Err == nil {
		t.Fatalf("unreachable: error %v (%T), want a *hub.MissingError with the cause", err, err)
	}
	for _, want := range []string{"hub: gpt2-large is not in the HuggingFace cache (" + cache + ") and the hub cannot be reached at " + refused.URL, advice} {
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("unreachable, error\n%v\nlacks\n%s", err, want)
		}
	}
}

func TestDownloadMissing(t *testing.T) {
	clearEnv(t)
	t.Setenv("HF_TOKEN", "hf_secret")
	fake := newFakeHub(t, "org/tiny", hashV1, map[string]string{
		"config.json": `{"n_layer": 1}`, "model.safetensors": fakeSafetensors(3000), "README.md": "hi"})
	srv := httptest.NewServer(fake)
	size := int64(len(fake.files["model.safetensors"]))
	defer srv.Close()
	cache := t.TempDir()
	// config.json is cached already, at the commit the hub serves.
	cacheRepo(t, cache, "org/tiny", "", hashV1, map[string]string{"config.json": fake.files["config.json"]}, false)

	var progress []int64
	opt := Options{CacheDir: cache, Endpoint: srv.URL, Progress: func(file string, done, total int64) {
		if file != "model.safetensors" {
			t.Errorf("progress for %s", file)
		}
		progress = append(progress, done, total)
	}}
	got, err := Resolve(context.Background(), "org/tiny", modelFiles, opt)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(fake.gets, ",") != "model.safetensors" {
		t.Fatalf("downloaded %v, want only model.safetensors", fake.gets)
	}
	for _, a := range fake.auth {
		if a != "Bearer hf_secret" {
			t.Fatalf("Authorization %q, want the HF_TOKEN", a)
		}
	}
	if len(fake.cdnAuth) == 0 {
		t.Fatal("the file did not come from the storage the hub redirects to")
	}
	for _, a := range fake.cdnAuth {
		if a != "" {
			t.Fatalf("the storage got Authorization %q, want none", a)
		}
	}
	if n := len(progress); n < 2 || progress[n-2] != size || progress[n-1] != size {
		t.Fatalf("progress reports %v, want it to end at %d of %d", progress, size, size)
	}
	repo := filepath.Join(cache, "models--org--tiny")
	want := hub.Snapshot{Dir: filepath.Join(repo, "snapshots", hashV1), Revision: hashV1, Repo: "org/tiny"}
	if got.Dir != want.Dir || got.Revision != want.Revision || got.Repo != want.Repo {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	// Python's layout: refs/main, a relative symlink into blobs/<etag>.
	ref, err := os.ReadFile(filepath.Join(repo, "refs", "main"))
	if err != nil || string(ref) != hashV1 {
		t.Fatalf("refs/main = %q, %v", ref, err)
	}
	sum := sha256.Sum256([]byte(fake.files["model.safetensors"]))
	link, err := os.Readlink(got.Path("model.safetensors"))
	if wantLink := filepath.Join("..", "..", "blobs", hex.EncodeToString(sum[:])); err != nil || link != wantLink {
		t.Fatalf("snapshot link %q (%v), want %q", link, err, wantLink)
	}
	if b, err := os.ReadFile(got.Path("model.safetensors")); err != nil || string(b) != fake.files["model.safetensors"] {
		t.Fatalf("downloaded content differs (%v)", err)
	}

	// Offline now, the cache alone serves.
	t.Setenv("HF_HUB_OFFLINE", "1")
	srv.Close()
	again, err := Resolve(context.Background(), "org/tiny", modelFiles, Options{CacheDir: cache})
	if err != nil || again.Dir != got.Dir {
		t.Fatalf("offline after download: %+v, %v", again, err)
	}
}

func TestDownloadChoosesAvailableSet(t *testing.T) {
	clearEnv(t)
	fake := newFakeHub(t, "tok", hfcachetest.HashMain, map[string]string{"tokenizer.json": "{}"})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	got, err := ResolveAny(context.Background(), "tok", [][]string{{"vocab.json", "merges.txt"}, {"tokenizer.json"}},
		Options{CacheDir: t.TempDir(), Endpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.Files, ",") != "tokenizer.json" || strings.Join(fake.gets, ",") != "tokenizer.json" {
		t.Fatalf("Files %v, downloaded %v", got.Files, fake.gets)
	}
	_, err = Resolve(context.Background(), "other", modelFiles, Options{CacheDir: t.TempDir(), Endpoint: srv.URL})
	if err == nil || !strings.Contains(err.Error(), "refused it (check the repo id and revision; set HF_TOKEN") {
		t.Fatalf("error %v", err)
	}
	_, err = Resolve(context.Background(), "tok", []string{"model.safetensors"}, Options{CacheDir: t.TempDir(), Endpoint: srv.URL})
	if err == nil || !strings.Contains(err.Error(), "holds neither model.safetensors") {
		t.Fatalf("error %v", err)
	}
}
