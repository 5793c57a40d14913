// Command mkexercise writes the exercise notebook from the solution notebook:
// each /*blank[T] ...*/ answer /*end*/ of the solution's code becomes a
// blank[T]("...") call (see package notebooks/internal/exercise).
//
//	go run ./notebooks/mkexercise            # rewrites notebooks/ch6_proj34_qkv_activations_exercise.ipynb
//	go run ./notebooks/mkexercise -check     # fails when the committed exercise is not the generated one
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
	check := flag.Bool("check", false, "only check that the exercise notebook is up to date")
	flag.Parse()
	if err := run(*dir, *check); err != nil {
		fmt.Fprintln(os.Stderr, "mkexercise:", err)
		os.Exit(1)
	}
}

func run(dir string, check bool) error {
	src := filepath.Join(dir, exercise.SolutionFile)
	dst := filepath.Join(dir, exercise.ExerciseFile)
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	want, err := exercise.GenerateFile(b)
	if err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	if check {
		got, err := os.ReadFile(dst)
		if err != nil {
			return err
		}
		if !bytes.Equal(got, want) {
			return fmt.Errorf("%s is not generated from %s: run go run ./notebooks/mkexercise", dst, src)
		}
		return nil
	}
	return atomicfile.WriteFile(dst, want)
}
