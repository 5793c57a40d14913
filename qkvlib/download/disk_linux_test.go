package download

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/qkvport/qkv/internal/hfcache/hfcachetest"
)

// mountTmpfs mounts a tmpfs of size (mount's "size=" option) on a new
// folder, or skips the test when it cannot (root is needed; CI runs as root).
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipping: mounting a small tmpfs needs root (CI runs as root)")
	}
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skipf("skipping: cannot mount a tmpfs on %s: %v", dir, err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

func TestDownloadDiskFull(t *testing.T) {
	fake, srv, content := tinyHub(t, 10_500_000) // big enough for the free-space warning
	cache := mountTmpfs(t, "4m")
	st := stateOf(cache, "model.safetensors", content)

	var log syncBuffer
	_, err := Resolve(context.Background(), "org/tiny", modelFiles, fastOptions(cache, srv.URL, &log))
	have := fileSize(st.part)
	if have <= 0 || have >= int64(len(content)) {
		t.Fatalf("partial file of %d bytes after the disk filled up (%v)", have, err)
	}
	checkFailed(t, err, st, have,
		"hub: downloading model.safetensors of org/tiny from "+srv.URL+" failed: the disk holding "+cache+" is full: free ",
		" (or set HF_HUB_CACHE to a folder on a bigger disk) and run again; the ",
		" downloaded so far stay in "+st.part+" and the next run resumes from them")
	if want := "hub: the disk holding " + filepath.Dir(st.part) + " has 4.2 MB free but model.safetensors needs 10.5 MB more; the download may fail"; !strings.Contains(log.String(), want) {
		t.Errorf("log\n%s\nlacks %q", log.String(), want)
	}

	// Space is freed: the next run resumes.
	must(t, syscall.Mount("tmpfs", cache, "tmpfs", syscall.MS_REMOUNT, "size=32m"))
	fake.newRun()
	snap, err := Resolve(context.Background(), "org/tiny", modelFiles, fastOptions(cache, srv.URL, nil))
	if err != nil {
		t.Fatal(err)
	}
	checkDownloaded(t, snap, st, "model.safetensors", content)
	if want := int64(len(content)) - have; fake.sentBytes() != want {
		t.Fatalf("the second run fetched %d bytes, want the %d missing", fake.sentBytes(), want)
	}
}

// readOnly makes dir read-only: a read-only remount of the tmpfs it is for
// root (who writes through permissions), permissions otherwise.
func readOnly(t *testing.T, dir string, mounted bool) {
	t.Helper()
	if mounted {
		must(t, syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""))
		return
	}
	must(t, filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.IsDir() {
			err = os.Chmod(p, 0o555)
		}
		return err
	}))
	t.Cleanup(func() {
		filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
			if err == nil && fi.IsDir() {
				os.Chmod(p, 0o755)
			}
			return nil
		})
	})
}

func TestReadOnlyCache(t *testing.T) {
	clearEnv(t)
	root := os.Geteuid() == 0
	var cache string
	if root {
		cache = mountTmpfs(t, "4m")
	} else {
		cache = t.TempDir()
	}
	cacheRepo(t, cache, "gpt2-large", "main", hfcachetest.HashMain, gpt2Files, false)
	readOnly(t, cache, root)

	// A complete repo is read as it is, online too.
	snap, err := Resolve(context.Background(), "gpt2-large", modelFiles, Options{CacheDir: cache, Endpoint: noNetwork(t)})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(snap.Path("model.safetensors")); err != nil || string(b) != gpt2Files["model.safetensors"] {
		t.Fatalf("model.safetensors from the read-only cache: %v", err)
	}

	// A missing one is refused before the hub is asked.
	fake := newFakeHub(t, "org/tiny", hashV1, faultFiles(1000))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	_, err = Resolve(context.Background(), "org/tiny", modelFiles, fastOptions(cache, srv.URL, nil))
	want := "hub: cannot download org/tiny: the HuggingFace cache " + cache + " is not writable ("
	if err == nil || !strings.HasPrefix(err.Error(), want) ||
		!strings.HasSuffix(err.Error(), "): set HF_HUB_CACHE to a writable folder, or pass a local folder (-model DIR) holding the files") {
		t.Fatalf("error %v, want %s...", err, want)
	}
	if len(fake.auth) != 0 {
		t.Fatalf("the hub was asked %d times", len(fake.auth))
	}
}
