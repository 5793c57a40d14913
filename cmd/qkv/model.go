package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/gomlx/compute"
	"github.com/qkvport/qkv/qkvlib"
	"github.com/qkvport/qkv/qkvlib/download"
	"github.com/qkvport/qkv/qkvlib/gpt2"
)

// openModel loads the GPT-2 checkpoint name (a folder or a repo id) on the
// backend backendName ("" for qkvlib.NewBackend's default), says so on
// stderr, and returns the model, its backend and the loading time. With wait
// it returns once every parameter is on the backend; without, the blocks'
// parameters go on arriving while the caller starts the forward.
func openModel(ctx context.Context, name, backendName string, wait bool) (*gpt2.Model, compute.Backend, time.Duration, error) {
	warnNoSIMD()
	backend, err := qkvlib.NewBackend(backendName)
	if err != nil {
		return nil, nil, 0, err
	}
	start := time.Now()
	m, err := qkvlib.LoadModel(ctx, name, backend, download.Options{})
	if err != nil {
		return nil, nil, 0, err
	}
	if wait {
		if err := m.Wait(); err != nil {
			m.Close()
			return nil, nil, 0, err
		}
	}
	el := time.Since(start)
	verb, rest := "Loaded", ""
	if !wait {
		verb, rest = "Opened", "; the blocks' weights load while the forward runs"
	}
	fmt.Fprintf(os.Stderr, "%s %s (%s) on %s in %s%s\n", verb, name, m.Config(), qkvlib.BackendLabel(backend), el.Round(time.Millisecond), rest)
	return m, backend, el, nil
}
