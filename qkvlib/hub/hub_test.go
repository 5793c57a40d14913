package hub

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/qkvport/qkv/internal/hfcache/hfcachetest"
)

const (
	hashMain = hfcachetest.HashMain
	hashV1   = hfcachetest.HashV1
)

var (
	cacheRepo = hfcachetest.WriteRepo
	clearEnv  = hfcachetest.ClearEnv
)

var modelFiles = []string{"config.json", "model.safetensors"}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var gpt2Files = map[string]string{"config.json": `{"n_layer": 36}`, "model.safetensors": hfcachetest.Safetensors(7)}

func TestFindCached(t *testing.T) {
	tests := []struct {
		name     string
		cacheID  string // id the cache holds
		ask      string // name passed to Find
		ref      string
		hash     string
		revision string
		plain    bool
		offline  string // HF_HUB_OFFLINE
	}{
		{name: "symlinks, HF_HUB_OFFLINE=1", cacheID: "gpt2-large", ask: "gpt2-large", ref: "main", hash: hashMain, offline: "1"},
		{name: "symlinks, online", cacheID: "gpt2-large", ask: "gpt2-large", ref: "main", hash: hashMain},
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
			got, err := Find(tc.ask, [][]string{modelFiles}, Options{CacheDir: cache, Revision: tc.revision})
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
			// The cache found there serves Find, offline.
			t.Setenv("HF_HUB_OFFLINE", "1")
			snap := cacheRepo(t, tc.want, "gpt2", "main", hashMain, gpt2Files, false)
			got, err := Find("gpt2", [][]string{modelFiles}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got.Dir != snap {
				t.Fatalf("Dir = %s, want %s", got.Dir, snap)
			}
		})
	}
}

func TestFindMissing(t *testing.T) {
	tests := []struct {
		name    string
		offline string
		opt     Options
		ask     string
		cached  map[string]string // files cached under gpt2-large, main
		choices [][]string
		want    string // whole message, with CACHE for the cache folder
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
			name: "not cached, online", ask: "gpt2-large", choices: [][]string{modelFiles},
			want: `hub: gpt2-large is not in the HuggingFace cache (CACHE) and hub.Find does not download: run "huggingface-cli download gpt2-large config.json model.safetensors" on a connected machine, copy the cache, or pass a local folder (-model DIR) holding config.json and model.safetensors`,
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
			tc.opt.CacheDir = cache
			_, err := Find(tc.ask, tc.choices, tc.opt)
			var miss *MissingError
			if !errors.As(err, &miss) {
				t.Fatalf("error %v (%T), want a *MissingError", err, err)
			}
			if msg := strings.ReplaceAll(err.Error(), cache, "CACHE"); msg != tc.want {
				t.Fatalf("error\n%s\nwant\n%s", msg, tc.want)
			}
			if miss.Name != tc.ask || miss.Cache != cache || !reflect.DeepEqual(miss.Choices, tc.choices) {
				t.Fatalf("MissingError %+v", miss)
			}
			if tc.cached != nil && (miss.Repo != "gpt2-large" || miss.Partial == nil) || tc.cached == nil && (miss.Repo != "" || miss.Partial != nil) {
				t.Fatalf("MissingError: Repo %q, Partial %q", miss.Repo, miss.Partial)
			}
		})
	}
}

func TestFindLocal(t *testing.T) {
	clearEnv(t)
	t.Setenv("HF_HUB_OFFLINE", "1")
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"n_layer": 2}`), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "model.safetensors"), []byte("w"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "tokenizer.json"), []byte("{}"), 0o644))
	opt := Options{CacheDir: t.TempDir()}

	got, err := Find(dir, [][]string{modelFiles}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if got.Dir != dir || got.Repo != "" || !strings.HasPrefix(got.Revision, "local-") || len(got.Revision) != len("local-")+16 {
		t.Fatalf("got %+v", got)
	}
	again, err := Find(dir, [][]string{modelFiles}, opt)
	if err != nil || again.Revision != got.Revision {
		t.Fatalf("the key is not stable: %q then %q (%v)", got.Revision, again.Revision, err)
	}
	must(t, os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"n_layer": 3}`), 0o644))
	changed, err := Find(dir, [][]string{modelFiles}, opt)
	if err != nil || changed.Revision == got.Revision {
		t.Fatalf("the key did not change with config.json: %q (%v)", changed.Revision, err)
	}

	// A relative path is made absolute.
	t.Chdir(filepath.Dir(dir))
	rel, err := Find("./"+filepath.Base(dir), [][]string{modelFiles}, opt)
	if err != nil || rel.Dir != dir {
		t.Fatalf("relative folder: %+v, %v", rel, err)
	}

	// Alternatives: the first set that is complete.
	tok, err := Find(dir, [][]string{{"vocab.json", "merges.txt"}, {"tokenizer.json"}}, opt)
	if err != nil || strings.Join(tok.Files, ",") != "tokenizer.json" || !tok.HasFile("tokenizer.json") || tok.HasFile("vocab.json") {
		t.Fatalf("alternatives: %+v, %v", tok, err)
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
			_, err := Find(tc.dir, tc.choices, opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to hold %q", err, tc.want)
			}
		})
	}
}

func TestFindAlternativesCached(t *testing.T) {
	clearEnv(t)
	t.Setenv("HF_HUB_OFFLINE", "1")
	cache := t.TempDir()
	cacheRepo(t, cache, "gpt2", "main", hashMain, map[string]string{"tokenizer.json": "{}", "vocab.json": "{}"}, false)
	got, err := Find("gpt2", [][]string{{"vocab.json", "merges.txt"}, {"tokenizer.json"}}, Options{CacheDir: cache})
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
		_, err := Find(name, [][]string{modelFiles}, Options{CacheDir: t.TempDir(), Offline: true})
		if err == nil || !strings.Contains(err.Error(), "is neither a local folder nor a HuggingFace repo id") {
			t.Errorf("%q: error %v", name, err)
		}
	}
}

func TestFindDamaged(t *testing.T) {
	clearEnv(t)
	cache := t.TempDir()
	files := map[string]string{"config.json": `{"n_layer": 1}`, "model.safetensors": hfcachetest.Safetensors(1000)}
	snapDir := cacheRepo(t, cache, "openai-community/gpt2", "main", hashMain, files, false)
	must(t, os.Truncate(filepath.Join(snapDir, "model.safetensors"), 500))
	blob := filepath.Join(cache, "models--openai-community--gpt2", "blobs", hfcachetest.SHA256Hex(files["model.safetensors"]))
	for _, tc := range []struct {
		offline bool
		why     string
	}{{true, "offline mode forbids downloading"}, {false, "hub.Find does not download"}} {
		_, err := Find("gpt2", [][]string{modelFiles}, Options{CacheDir: cache, Offline: tc.offline})
		var miss *MissingError
		if !errors.As(err, &miss) || miss.Damaged != "model.safetensors" || miss.Repo != "openai-community/gpt2" || miss.Snapshot.Dir != snapDir {
			t.Fatalf("error %v (%+v), want a *MissingError for the damaged model.safetensors", err, miss)
		}
		want := "hub: the cached model.safetensors of openai-community/gpt2 (" + blob + ") is damaged: its header describes "
		if !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), "(truncated), and "+tc.why+" it again: delete it and run again online, or copy the file again") {
			t.Fatalf("error\n%v\nwant %s... and %s it again...", err, want, tc.why)
		}
	}
}
