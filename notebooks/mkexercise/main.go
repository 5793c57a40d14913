// Command mkexercise writes the exercise notebook from the solution notebook
// and the side file notebooks/ex/blanks.json (see package
// notebooks/internal/exercise), and the table of blanks in
// notebooks/README.md.
//
//	go run ./notebooks/mkexercise            # rewrites the exercise notebook and the README's table
//	go run ./notebooks/mkexercise -check     # fails when either is not the generated one
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/qkvport/qkv/internal/atomicfile"
	"github.com/qkvport/qkv/notebooks/internal/exercise"
)

func main() {
	dir := flag.String("dir", "notebooks", "folder of the notebooks")
	check := flag.Bool("check", false, "only check that the exercise notebook and the README's table are up to date")
	flag.Parse()
	if err := run(*dir, *check); err != nil {
		fmt.Fprintln(os.Stderr, "mkexercise:", err)
		os.Exit(1)
	}
}

func run(dir string, check bool) error {
	files, err := exercise.Files(dir)
	if err != nil {
		return err
	}
	for _, f := range files {
		got, err := os.ReadFile(f.Path)
		if err != nil {
			return err
		}
		if bytes.Equal(got, f.Want) {
			continue
		}
		if check {
			return fmt.Errorf("%s is not the generated one: run go run ./notebooks/mkexercise", filepath.ToSlash(f.Path))
		}
		if err := atomicfile.WriteFile(f.Path, f.Want); err != nil {
			return err
		}
	}
	return nil
}
