package hub

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/qkvport/qkv/internal/hfcache"
)

// contentHashLimit: files up to this size are hashed whole for the local key;
// larger ones by size and modification time.
const contentHashLimit = 1 << 20

func findLocal(dir string, choices [][]string) (Snapshot, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Snapshot{}, fmt.Errorf("hub: local folder %s: %w", dir, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return Snapshot{}, fmt.Errorf("hub: the local folder %s does not exist (%w): pass a folder holding %s, or a HuggingFace repo id such as gpt2-large",
			abs, err, hfcache.AndList(choices[0]))
	}
	if !fi.IsDir() {
		return Snapshot{}, fmt.Errorf("hub: %s is not a folder: pass a folder holding %s, or a HuggingFace repo id such as gpt2-large", abs, hfcache.AndList(choices[0]))
	}
	var first []string
	for i, c := range choices {
		m := missingFiles(abs, c)
		if len(m) == 0 {
			key, err := localKey(abs, c)
			if err != nil {
				return Snapshot{}, err
			}
			return Snapshot{Dir: abs, Revision: key, Files: append([]string(nil), c...)}, nil
		}
		if i == 0 {
			first = m
		}
	}
	msg := fmt.Sprintf("hub: the local folder %s lacks %s", abs, hfcache.AndList(first))
	if len(choices) > 1 {
		alts := make([]string, len(choices)-1)
		for i, c := range choices[1:] {
			alts[i] = hfcache.AndList(c)
		}
		msg += " (and has neither " + strings.Join(alts, " nor ") + ")"
	}
	return Snapshot{}, fmt.Errorf("%s: copy the files there, or pass a HuggingFace repo id such as gpt2-large", msg)
}

// localKey is a short key of the content of files in dir.
func localKey(dir string, files []string) (string, error) {
	files = slices.Sorted(slices.Values(files))
	h := sha256.New()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f))
		fi, err := os.Stat(p)
		if err != nil {
			return "", fmt.Errorf("hub: %w", err)
		}
		fmt.Fprintf(h, "%s\x00%d\x00", f, fi.Size())
		if f == "config.json" || fi.Size() <= contentHashLimit {
			if err := hashFile(h, p); err != nil {
				return "", fmt.Errorf("hub: reading %s: %w", p, err)
			}
		} else {
			fmt.Fprintf(h, "%d\x00", fi.ModTime().UnixNano())
		}
	}
	return "local-" + hex.EncodeToString(h.Sum(nil))[:16], nil
}

func hashFile(w io.Writer, p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
