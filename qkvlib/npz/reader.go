package npz

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"
)

// ReadFile reads every array of the .npz archive at path, keyed by name (the
// entry name without ".npy").
func ReadFile(path string) (map[string]*Array, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("npz: opening %s: %w", path, err)
	}
	defer zr.Close()
	return readArchive(&zr.Reader, path)
}

// Read reads every array of the .npz archive in r (size bytes long), keyed by
// name (the entry name without ".npy").
func Read(r io.ReaderAt, size int64) (map[string]*Array, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("npz: reading archive: %w", err)
	}
	return readArchive(zr, "archive")
}

func readArchive(zr *zip.Reader, where string) (map[string]*Array, error) {
	out := make(map[string]*Array, len(zr.File))
	for _, f := range zr.File {
		name := strings.TrimSuffix(f.Name, ".npy")
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("npz: %s: entry %s: %w", where, f.Name, err)
		}
		a, err := ReadNPY(rc)
		if err == nil {
			// Drain to the end so the zip reader checks the CRC.
			_, err = io.Copy(io.Discard, rc)
		}
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("npz: %s: entry %s: %w", where, f.Name, err)
		}
		out[name] = a
	}
	return out, nil
}
