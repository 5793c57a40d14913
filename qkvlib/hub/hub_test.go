package hub

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	hashMain = "0123456789abcdef0123456789abcdef01234567"
	hashV1   = "89abcdef0123456789abcdef0123456789abcdef"
)

var modelFiles = []string{"config.json", "model.safetensors"}

// cacheRepo writes repo id into cache the way Python's huggingface_hub does:
// blobs/<sha256> holding the bytes, snapshots/<hash>/<file> symlinked to
// ../../blobs/<sha256> (or plain copies when plain is set), and refs/<ref>
// holding hash (no ref file when ref is "").
func cacheRepo(t *testing.T, cache, id, ref, hash string, files map[string]string, plain bool) string {
	t.Helper()
	dir := filepath.Join(cache, "models--"+strings.ReplaceAll(id, "/", "--"))
	snap := filepath.Join(dir, "snapshots", hash)
	for name, content := range files {
		p := filepath.Join(snap, name)
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		if plain {
			must(t, os.WriteFile(p, []byte(content), 0o644))
			continue
		}
		sum := sha256.Sum256([]byte(content))
		blob := filepath.Join(dir, "blobs", hex.EncodeToString(sum[:]))
		must(t, os.MkdirAll(filepath.Dir(blob), 0o755))
		must(t, os.WriteFile(blob, []byte(content), 0o644))
		rel, err := filepath.Rel(filepath.Dir(p), blob)
		must(t, err)
		must(t, os.Symlink(rel, p))
	}
	if ref != "" {
		must(t, os.MkdirAll(filepath.Join(dir, "refs"), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, "refs", ref), []byte(hash), 0o644))
	}
	return snap
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// clearEnv unsets every variable that steers the package.
func clearEnv(t *testing.T) {
	for _, v := range []string{"HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME", "HF_HUB_OFFLINE", "HF_ENDPOINT", "HF_TOKEN"} {
		t.Setenv(v, "")
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

var gpt2Files = map[string]string{"config.json": `{"n_layer": 36}`, "model.safetensors": fakeSafetensors(7)}

func TestResolveCached(t *testing.T) {
	tests := []struct {
		name     string
		cacheID  string // id the cache holds
		ask      string // name passed to Resolve
		ref      string
		hash     string
		revision string
		plain    bool
		offline  string // HF_HUB_OFFLINE
	}{
		{name: "symlinks, HF_HUB_OFFLINE=1", cacheID: "gpt2-large", ask: "gpt2-large", ref: "main", hash: hashMain, offline: "1"},
		{name: "symlinks, online but no request", cacheID: "gpt2-large", ask: "gpt2-large", ref: "main", hash: hashMain},
		{name: "plain files", cacheID: "gpt2-large", ask: "gpt2-large", ref: "main", hash: hashMain, plain: true, offline: "true"},
		{name: "org/name", cacheID: "openai-community/gpt2-large", ask: "openai-community/gpt2-large", ref: "main", hash: hashMain, offline: "1"},
		{name: "bare name finds openai-community", cacheID: "openai-community/gpt2-large", ask: "gpt2-large", ref: "main", hash: hashMain},
		{name: "openai-community finds bare name", cacheID: "gpt2-large", ask: "openai-community/gpt2-large", ref: "main", hash: hashMain},
		{name: "tag revision", cacheID: "gpt2", ask: "gpt2", ref: "v1.0", hash: hashV1, revision: "v1.0", offline: "1"},
		{name: "commit hash revision, no ref", cacheID: "gpt2", ask: "gpt2", hash: hashV1, revision: hashV1, offline: "1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clearEnv(t)
			t.Setenv("HF_HUB_OFFLINE", tc.offline)
			cache := t.TempDir()
			snap := cacheRepo(t, cache, tc.cacheID, tc.ref, tc.hash, gpt2Files, tc.plain)
			// Another revision that must not be picked.
			if tc.ref != "main" {
				cacheRepo(t, cache, tc.cacheID, "main", hashMain, gpt2Files, false)
			}
			got, err := Resolve(context.Background(), tc.ask, modelFiles,
				Options{CacheDir: cache, Revision: tc.revision, Endpoint: noNetwork(t)})
			if err != nil {
				t.Fatal(err)
			}
			want := Snapshot{Dir: snap, Revision: tc.hash, Repo: tc.cacheID, Files: modelFiles}
			if got.Dir != want.Dir || got.Revision != want.Revision || got.Repo != want.Repo || strings.Join(got.Files, ",") != strings.Join(want.Files, ",") {
				t.Fatalf("got %+v, want %+v", got, want)
			}
			b, err := os.ReadFile(got.Path("config.json"))
			if err != nil || string(b) != gpt2Files["config.json"] {
				t.Fatalf("reading config.json through the snapshot: %q, %v", b, err)
			}
		})
	}
}

func TestCacheDirPrecedence(t *testing.T) {
	root := t.TempDir()
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"HF_HUB_CACHE over HF_HOME", map[string]string{"HF_HUB_CACHE": root + "/hubcache", "HF_HOME": root + "/home", "XDG_CACHE_HOME": root + "/xdg"}, root + "/hubcache"},
		{"legacy HUGGINGFACE_HUB_CACHE", map[string]string{"HUGGINGFACE_HUB_CACHE": root + "/legacy", "HF_HOME": root + "/home"}, root + "/legacy"},
		{"HF_HOME/hub", map[string]string{"HF_HOME": root + "/home", "XDG_CACHE_HOME": root + "/xdg"}, root + "/home/hub"},
		{"XDG_CACHE_HOME", map[string]string{"XDG_CACHE_HOME": root + "/xdg"}, root + "/xdg/huggingface/hub"},
		{"home", map[string]string{"HOME": root + "/user"}, root + "/user/.cache/huggingface/hub"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			if got := DefaultCacheDir(); got != tc.want {
				t.Fatalf("DefaultCacheDir() = %s, want %s", got, tc.want)
			}
			// The cache found there serves Resolve, offline.
			t.Setenv("HF_HUB_OFFLINE", "1")
			snap := cacheRepo(t, tc.want, "gpt2", "main", hashMain, gpt2Files, false)
			got, err := Resolve(context.Background(), "gpt2", modelFiles, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got.Dir != snap {
				t.Fatalf("Dir = %s, want %s", got.Dir, snap)
			}
		})
	}
}

func TestResolveUnavailable(t *testing.T) {
	refused := httptest.NewServer(http.NotFoundHandler())
	refused.Close() // connections to it are refused
	tests := []struct {
		name     string
		offline  string
		opt      Options
		ask      string
		cached   map[string]string // files cached under gpt2-large, main
		choices  [][]string
		want     string // whole message, with CACHE for the cache folder
		contains []string
	}{
		{
			name: "not cached, HF_HUB_OFFLINE", offline: "1", ask: "gpt2-large", choices: [][]string{modelFiles},
			want: `hub: gpt2-large is not in the HuggingFace cache (CACHE) and HF_HUB_OFFLINE=1 forbids downloading: run "huggingface-cli download gpt2-large config.json model.safetensors" on a connected machine, copy the cache, or pass a local folder (-model DIR) holding config.json and model.safetensors`,
		},
		{
			name: "not cached, Options.Offline", opt: Options{Offline: true, Revision: "v2"}, ask: "openai-community/gpt2-large", choices: [][]string{modelFiles},
			want: `hub: openai-community/gpt2-large at revision v2 is not in the HuggingFace cache (CACHE) and offline mode forbids downloading: run "huggingface-cli download openai-community/gpt2-large --revision v2 config.json model.safetensors" on a connected machine, copy the cache, or pass a local folder (-model DIR) holding config.json and model.safetensors`,
		},
		{
			name: "partly cached, offline", offline: "1", ask: "gpt2-large", choices: [][]string{{"config.json", "model.safetensors", "generation_config.json"}},
			cached: map[string]string{"config.json": "{}"},
			want:   `hub: gpt2-large is only partly in the HuggingFace cache (CACHE): model.safetensors and generation_config.json are missing and HF_HUB_OFFLINE=1 forbids downloading: run "huggingface-cli download gpt2-large config.json model.safetensors generation_config.json" on a connected machine, copy the cache, or pass a local folder (-model DIR) holding config.json, model.safetensors and generation_config.json`,
		},
		{
			name: "alternatives, offline", offline: "1", ask: "gpt2", choices: [][]string{{"vocab.json", "merges.txt"}, {"tokenizer.json"}},
			want: `hub: gpt2 is not in the HuggingFace cache (CACHE) and HF_HUB_OFFLINE=1 forbids downloading: run "huggingface-cli download gpt2 vocab.json merges.txt" on a connected machine, copy the cache, or pass a local folder (-model DIR) holding vocab.json and merges.txt, or tokenizer.json`,
		},
		{
			name: "unreachable", opt: Options{Endpoint: refused.URL}, ask: "gpt2-large", choices: [][]string{modelFiles},
			contains: []string{"hub: gpt2-large is not in the HuggingFace cache (CACHE) and the hub cannot be reached at " + refused.URL,
				`run "huggingface-cli download gpt2-large config.json model.safetensors" on a connected machine, copy the cache, or pass a local folder (-model DIR) holding config.json and model.safetensors`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clearEnv(t)
			t.Setenv("HF_HUB_OFFLINE", tc.offline)
			cache := t.TempDir()
			if tc.cached != nil {
				cacheRepo(t, cache, "gpt2-large", "main", hashMain, tc.cached, false)
			}
			if tc.opt.Endpoint == "" {
				tc.opt.Endpoint = noNetwork(t)
			}
			tc.opt.CacheDir = cache
			_, err := ResolveAny(context.Background(), tc.ask, tc.choices, tc.opt)
			if err == nil {
				t.Fatal("no error")
			}
			msg := strings.ReplaceAll(err.Error(), cache, "CACHE")
			if tc.want != "" && msg != tc.want {
				t.Fatalf("error\n%s\nwant\n%s", msg, tc.want)
			}
			for _, c := range tc.contains {
				if !strings.Contains(msg, c) {
					t.Fatalf("error\n%s\nlacks\n%s", msg, c)
				}
			}
		})
	}
}

func TestResolveLocal(t *testing.T) {
	clearEnv(t)
	t.Setenv("HF_HUB_OFFLINE", "1")
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"n_layer": 2}`), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "model.safetensors"), []byte("w"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "tokenizer.json"), []byte("{}"), 0o644))
	opt := Options{CacheDir: t.TempDir(), Endpoint: noNetwork(t)}

	got, err := Resolve(context.Background(), dir, modelFiles, opt)
	if err != nil {
		t.Fatal(err)
	}
	if got.Dir != dir || got.Repo != "" || !strings.HasPrefix(got.Revision, "local-") || len(got.Revision) != len("local-")+16 {
		t.Fatalf("got %+v", got)
	}
	again, err := Resolve(context.Background(), dir, modelFiles, opt)
	if err != nil || again.Revision != got.Revision {
		t.Fatalf("the key is not stable: %q then %q (%v)", got.Revision, again.Revision, err)
	}
	must(t, os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"n_layer": 3}`), 0o644))
	changed, err := Resolve(context.Background(), dir, modelFiles, opt)
	if err != nil || changed.Revision == got.Revision {
		t.Fatalf("the key did not change with config.json: %q (%v)", changed.Revision, err)
	}

	// A relative path is made absolute.
	t.Chdir(filepath.Dir(dir))
	rel, err := Resolve(context.Background(), "./"+filepath.Base(dir), modelFiles, opt)
	if err != nil || rel.Dir != dir {
		t.Fatalf("relative folder: %+v, %v", rel, err)
	}

	// Alternatives: the first set that is complete.
	tok, err := ResolveAny(context.Background(), dir, [][]string{{"vocab.json", "merges.txt"}, {"tokenizer.json"}}, opt)
	if err != nil || strings.Join(tok.Files, ",") != "tokenizer.json" || !tok.HasFile("tokenizer.json") || tok.HasFile("vocab.json") {
		t.Fatalf("ResolveAny: %+v, %v", tok, err)
	}

	errTests := []struct {
		name    string
		dir     string
		choices [][]string
		want    string
	}{
		{"missing file", dir, [][]string{{"config.json", "pytorch_model.bin"}}, "hub: the local folder " + dir + " lacks pytorch_model.bin: "},
		{"missing alternatives", dir, [][]string{{"vocab.json", "merges.txt"}, {"spm.model"}}, "lacks vocab.json and merges.txt (and has neither spm.model)"},
		{"no folder", filepath.Join(dir, "nope"), [][]string{modelFiles}, "hub: the local folder " + filepath.Join(dir, "nope") + " does not exist"},
		{"a file", filepath.Join(dir, "config.json"), [][]string{modelFiles}, "is not a folder"},
		{"bad file name", dir, [][]string{{"../config.json"}}, "is not a file name relative to the repo root"},
	}
	for _, tc := range errTests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ResolveAny(context.Background(), tc.dir, tc.choices, opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to hold %q", err, tc.want)
			}
		})
	}
}

func TestResolveAnyCached(t *testing.T) {
	clearEnv(t)
	t.Setenv("HF_HUB_OFFLINE", "1")
	cache := t.TempDir()
	cacheRepo(t, cache, "gpt2", "main", hashMain, map[string]string{"tokenizer.json": "{}", "vocab.json": "{}"}, false)
	got, err := ResolveAny(context.Background(), "gpt2", [][]string{{"vocab.json", "merges.txt"}, {"tokenizer.json"}}, Options{CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.Files, ",") != "tokenizer.json" {
		t.Fatalf("Files = %v, want [tokenizer.json]", got.Files)
	}
}

func TestNotARepoID(t *testing.T) {
	clearEnv(t)
	for _, name := range []string{"gpt2 large", "org/na--me", "a/b:c"} {
		_, err := Resolve(context.Background(), name, modelFiles, Options{CacheDir: t.TempDir(), Offline: true})
		if err == nil || !strings.Contains(err.Error(), "is neither a local folder nor a HuggingFace repo id") {
			t.Errorf("%q: error %v", name, err)
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
	want := Snapshot{Dir: filepath.Join(repo, "snapshots", hashV1), Revision: hashV1, Repo: "org/tiny"}
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
	fake := newFakeHub(t, "tok", hashMain, map[string]string{"tokenizer.json": "{}"})
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
