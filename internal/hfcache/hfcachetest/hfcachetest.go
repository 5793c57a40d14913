// Package hfcachetest writes what the tests of qkvlib/hub and
// qkvlib/download read: HuggingFace caches in Python's layout and small
// safetensors files, with the environment that steers them cleared.
package hfcachetest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Commit hashes for the tests' repos.
const (
	HashMain = "0123456789abcdef0123456789abcdef01234567"
	HashV1   = "89abcdef0123456789abcdef0123456789abcdef"
)

// WriteRepo writes repo id into cache the way Python's huggingface_hub does:
// blobs/<sha256> holding the bytes, snapshots/<hash>/<file> symlinked to
// ../../blobs/<sha256> (or plain copies when plain is set), and refs/<ref>
// holding hash (no ref file when ref is ""). It returns the snapshot folder.
func WriteRepo(t testing.TB, cache, id, ref, hash string, files map[string]string, plain bool) string {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(cache, "models--"+strings.ReplaceAll(id, "/", "--"))
	snap := filepath.Join(dir, "snapshots", hash)
	for name, content := range files {
		p := filepath.Join(snap, name)
		must(os.MkdirAll(filepath.Dir(p), 0o755))
		if plain {
			must(os.WriteFile(p, []byte(content), 0o644))
			continue
		}
		blob := filepath.Join(dir, "blobs", SHA256Hex(content))
		must(os.MkdirAll(filepath.Dir(blob), 0o755))
		must(os.WriteFile(blob, []byte(content), 0o644))
		rel, err := filepath.Rel(filepath.Dir(p), blob)
		must(err)
		must(os.Symlink(rel, p))
	}
	if ref != "" {
		must(os.MkdirAll(filepath.Join(dir, "refs"), 0o755))
		must(os.WriteFile(filepath.Join(dir, "refs", ref), []byte(hash), 0o644))
	}
	return snap
}

// ClearEnv unsets, for the test, every variable that steers the HuggingFace
// cache and hub.
func ClearEnv(t testing.TB) {
	for _, v := range []string{"HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME", "HF_HUB_OFFLINE", "HF_ENDPOINT", "HF_TOKEN"} {
		t.Setenv(v, "")
	}
}

// Safetensors returns a valid safetensors file holding one U8 tensor of n
// bytes (0, 7, 14, ... mod 251).
func Safetensors(n int) string {
	head := fmt.Sprintf(`{"w":{"dtype":"U8","shape":[%d],"data_offsets":[0,%d]}}`, n, n)
	head += strings.Repeat(" ", (8-len(head)%8)%8)
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(head)))
	b = append(b, head...)
	for i := range n {
		b = append(b, byte(i*7%251))
	}
	return string(b)
}

// SHA256Hex is the hex sha256 of s: the blob name of an LFS file.
func SHA256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
