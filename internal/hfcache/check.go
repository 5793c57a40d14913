package hfcache

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// jsonCheckLimit: JSON files up to this size are parsed by CheckFile.
const jsonCheckLimit = 256 << 20

// CheckFile is the check of a cached file (p, holding the repo's file) that
// costs no download and no full read, made before the file is used: a
// .safetensors file must be as long as its header says (the last tensor's
// end), a .json file up to 256 MB must parse. It finds the truncated files
// that a copy or a download that stopped early leaves; other damage shows
// when the file is read (and, for a download, in the sha256 check).
func CheckFile(p, file string) error {
	switch {
	case strings.HasSuffix(file, ".safetensors"):
		return checkSafetensorsLength(p)
	case strings.HasSuffix(file, ".json"):
		fi, err := os.Stat(p)
		if err != nil || fi.Size() > jsonCheckLimit {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if !json.Valid(b) {
			return fmt.Errorf("its %d bytes are no valid JSON (truncated?)", len(b))
		}
	}
	return nil
}

// checkSafetensorsLength checks that the safetensors file p holds all the
// bytes its header describes: 8 bytes of header length, the JSON header,
// then the tensors' data up to the largest data_offsets end.
func checkSafetensorsLength(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	var n uint64
	if err := binary.Read(f, binary.LittleEndian, &n); err != nil {
		return fmt.Errorf("it holds %d bytes, too few for a safetensors header (truncated?)", fi.Size())
	}
	if n > uint64(fi.Size()-8) {
		return fmt.Errorf("its header announces %d header bytes but the file holds %d bytes (truncated?)", n, fi.Size())
	}
	head := make([]byte, n)
	if _, err := io.ReadFull(f, head); err != nil {
		return err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(head, &raw); err != nil {
		return fmt.Errorf("its header is no valid JSON: %v", err)
	}
	end := int64(0)
	for name, msg := range raw {
		var e struct {
			DataOffsets []int64 `json:"data_offsets"`
		}
		if name == "__metadata__" {
			continue
		}
		if err := json.Unmarshal(msg, &e); err != nil || len(e.DataOffsets) != 2 {
			return fmt.Errorf("its header entry %s has no data offsets", name)
		}
		end = max(end, e.DataOffsets[1])
	}
	if want := 8 + int64(n) + end; want > fi.Size() {
		return fmt.Errorf("its header describes %d bytes but the file holds %d (truncated)", want, fi.Size())
	}
	return nil
}
