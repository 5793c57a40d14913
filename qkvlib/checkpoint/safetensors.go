package checkpoint

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrCorrupt is wrapped by the errors of a checkpoint file that is truncated
// or not a valid safetensors file.
var ErrCorrupt = errors.New("truncated or corrupt checkpoint")

// ErrMismatch is wrapped by the errors of a checkpoint whose tensors are not
// the ones its config implies.
var ErrMismatch = errors.New("the config does not match the weights")

// maxHeaderLen bounds the JSON header, as the safetensors format does (100 MB).
const maxHeaderLen = 100 << 20

// dtypeSize returns the byte size of a safetensors dtype, false for an
// unknown one.
func dtypeSize(dtype string) (int64, bool) {
	switch dtype {
	case "BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3":
		return 1, true
	case "I16", "U16", "F16", "BF16":
		return 2, true
	case "I32", "U32", "F32":
		return 4, true
	case "I64", "U64", "F64":
		return 8, true
	}
	return 0, false
}

// entry is one tensor of a safetensors file.
type entry struct {
	stored   string // name as the file spells it
	dtype    string
	shape    []int
	from, to int64 // byte range within the data section
}

type rawEntry struct {
	DType       string  `json:"dtype"`
	Shape       []int   `json:"shape"`
	DataOffsets []int64 `json:"data_offsets"`
}

// corrupt is the error for a file that does not parse.
func corrupt(path, format string, args ...any) error {
	return fmt.Errorf("checkpoint: %s looks truncated or corrupt (%s): re-download it (delete it from the HuggingFace cache and fetch it again): %w",
		path, fmt.Sprintf(format, args...), ErrCorrupt)
}

// parseHeader parses the safetensors layout of file (its whole bytes): an
// 8-byte little-endian header length, a JSON header, the data section. It
// returns the entries keyed by canonical name (without "transformer."), the
// metadata and the data section.
func parseHeader(path string, file []byte) (map[string]entry, map[string]string, []byte, error) {
	if len(file) < 8 {
		return nil, nil, nil, corrupt(path, "%d bytes, shorter than the 8-byte header length", len(file))
	}
	n := binary.LittleEndian.Uint64(file)
	if n > maxHeaderLen {
		return nil, nil, nil, corrupt(path, "header length %d is beyond the format's 100 MB limit", n)
	}
	if n > uint64(len(file)-8) {
		return nil, nil, nil, corrupt(path, "header length %d is beyond the end of the %d-byte file", n, len(file))
	}
	head := file[8 : 8+n]
	data := file[8+n:]
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(head, &raw); err != nil || !bytes.HasPrefix(bytes.TrimSpace(head), []byte("{")) {
		if err == nil {
			err = errors.New("not a JSON object")
		}
		return nil, nil, nil, corrupt(path, "bad JSON header: %v", err)
	}
	var meta map[string]string
	entries := make(map[string]entry, len(raw))
	for name, msg := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(msg, &meta); err != nil {
				return nil, nil, nil, corrupt(path, "bad __metadata__: %v", err)
			}
			continue
		}
		var r rawEntry
		if err := json.Unmarshal(msg, &r); err != nil {
			return nil, nil, nil, corrupt(path, "bad header entry for %s: %v", name, err)
		}
		size, ok := dtypeSize(r.DType)
		if !ok {
			return nil, nil, nil, corrupt(path, "tensor %s has unknown dtype %q", name, r.DType)
		}
		if len(r.DataOffsets) != 2 {
			return nil, nil, nil, corrupt(path, "tensor %s has %d data offsets, want 2", name, len(r.DataOffsets))
		}
		from, to := r.DataOffsets[0], r.DataOffsets[1]
		count := int64(1)
		for _, d := range r.Shape {
			if d < 0 || d > 0 && count > (1<<62)/int64(d) {
				return nil, nil, nil, corrupt(path, "tensor %s has shape %v", name, r.Shape)
			}
			count *= int64(d)
		}
		if from < 0 || to < from || to-from != count*size {
			return nil, nil, nil, corrupt(path, "tensor %s (%s %v) has data offsets [%d, %d], which do not hold %d bytes", name, r.DType, r.Shape, from, to, count*size)
		}
		if to > int64(len(data)) {
			return nil, nil, nil, corrupt(path, "tensor %s ends at byte %d of the data, beyond the end of the file (%d data bytes)", name, to, len(data))
		}
		canon := strings.TrimPrefix(name, "transformer.")
		if prev, dup := entries[canon]; dup {
			return nil, nil, nil, corrupt(path, "tensors %s and %s have the same name", prev.stored, name)
		}
		shape := r.Shape
		if shape == nil {
			shape = []int{}
		}
		entries[canon] = entry{stored: name, dtype: r.DType, shape: shape, from: from, to: to}
	}
	return entries, meta, data, nil
}
