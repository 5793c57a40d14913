package chapter

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/qkvport/qkv/internal/xdg"
)

// An Engine does the two steps of the chapter that need more than this
// package links: downloading what the caches lack, and running GPT-2 to
// capture activations into the store.
//
// The default, CommandEngine, runs the qkv command as a separate process,
// so that a program using this package (a notebook cell) links neither the
// network client nor GoMLX. qkvlib.Engine runs both in process.
type Engine interface {
	// Fetch puts the model's files, the tokenizer's files and the text named
	// in f (the non-empty ones) into their caches.
	Fetch(ctx context.Context, f Fetch, opt Options) error
	// Capture runs GPT-2 over a.Batch and stores the c_attn output of
	// a.Layers in the store, with a's options (backend, chunk size, log).
	Capture(ctx context.Context, a *Activations) error
}

// Fetch names what an Engine is to download ("" for nothing).
type Fetch struct {
	Model     string // a HuggingFace repo id
	Tokenizer string // a HuggingFace repo id
	Text      string // an http(s) URL
}

// CommandEngine runs the qkv command: `qkv fetch` and `qkv capture -store`.
// The command is $QKV_BIN when set; otherwise it is built from this module's
// source with `go build` (once; later builds find it up to date), into
// $XDG_CACHE_HOME/qkv/bin.
var CommandEngine Engine = commandEngine{}

type commandEngine struct{}

func (commandEngine) Fetch(ctx context.Context, f Fetch, opt Options) error {
	args := []string{"fetch"}
	for flag, v := range map[string]string{"-model": f.Model, "-tokenizer": f.Tokenizer, "-text": f.Text} {
		if v != "" {
			args = append(args, flag, v)
		}
	}
	return runQKV(ctx, opt, args)
}

func (commandEngine) Capture(ctx context.Context, a *Activations) error {
	tokens, err := os.CreateTemp("", "qkv-batch-*.json")
	if err != nil {
		return fmt.Errorf("chapter: capture: %w", err)
	}
	defer os.Remove(tokens.Name())
	err = json.NewEncoder(tokens).Encode(a.Batch)
	if cerr := tokens.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("chapter: capture: %w", err)
	}
	root, err := a.Root()
	if err != nil {
		return err
	}
	layers := make([]string, len(a.Layers))
	for i, l := range a.Layers {
		layers[i] = fmt.Sprint(l)
	}
	o := a.opt
	args := []string{"capture", "-store", root, "-model", a.Model.Name, "-tokens", tokens.Name(),
		"-layers", strings.Join(layers, ","), "-batch", fmt.Sprint(o.Chunk())}
	if o.Backend != "" {
		args = append(args, "-backend", o.Backend)
	}
	if a.TargetWord != "" {
		args = append(args, "-target-word", a.TargetWord)
	}
	if a.TextSHA256 != "" {
		args = append(args, "-text-sha256", a.TextSHA256)
	}
	return runQKV(ctx, o, args)
}

// runQKV runs the qkv command with args, its output going to opt's log. An
// interrupt (a notebook's stop button) is passed on to it and waited for.
func runQKV(ctx context.Context, opt Options, args []string) error {
	bin, err := qkvCommand(ctx, opt)
	if err != nil {
		return err
	}
	if opt.Offline {
		args = append(args[:1:1], append([]string{"-offline"}, args[1:]...)...)
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = opt.LogWriter(), opt.LogWriter()
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	setParentDeath(cmd)
	interrupts := make(chan os.Signal, 1)
	signal.Notify(interrupts, os.Interrupt)
	defer signal.Stop(interrupts)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("chapter: running %s: %w", bin, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case s := <-interrupts:
			_ = cmd.Process.Signal(s)
		case err := <-done:
			if err != nil {
				return fmt.Errorf("chapter: qkv %s failed (%w): see its output above", args[0], err)
			}
			return nil
		}
	}
}

// The qkv command is built at most once per program.
var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// qkvCommand returns the path of the qkv command: $QKV_BIN, or one built
// from this module's source.
func qkvCommand(ctx context.Context, opt Options) (string, error) {
	if bin := os.Getenv("QKV_BIN"); bin != "" {
		return bin, nil
	}
	buildOnce.Do(func() { builtBin, buildErr = buildQKV(ctx, opt) })
	return builtBin, buildErr
}

// buildQKV builds cmd/qkv from this module's source into the cache.
func buildQKV(ctx context.Context, opt Options) (string, error) {
	src, err := moduleDir(ctx)
	if err != nil {
		return "", fmt.Errorf("chapter: the qkv command is needed to download or capture, and %w: install it (go install github.com/qkvport/qkv/cmd/qkv) and set QKV_BIN to its path", err)
	}
	binDir, err := xdg.CacheDir("bin")
	if err != nil {
		return "", fmt.Errorf("chapter: %w", err)
	}
	bin := filepath.Join(binDir, "qkv-"+shortHash(src))
	if fi, err := os.Stat(bin); err != nil || fi.Size() == 0 {
		fmt.Fprintf(opt.LogWriter(), "Building the qkv command (GPT-2 on GoMLX) from %s, once: a minute or more the first time\n", src)
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/qkv")
	cmd.Dir = src
	cmd.Env = os.Environ()
	if os.Getenv("GOEXPERIMENT") == "" {
		cmd.Env = append(cmd.Env, "GOEXPERIMENT=simd")
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("chapter: building the qkv command in %s: %w\n%s", src, err, out)
	}
	return bin, nil
}

// modulePath is this module's path.
const modulePath = "github.com/qkvport/qkv"

// moduleDir returns the folder of this module's source: the main module's
// replacement of it, or where the go command finds it.
func moduleDir(ctx context.Context) (string, error) {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == modulePath && m.Replace != nil && filepath.IsAbs(m.Replace.Path) {
				return m.Replace.Path, nil
			}
		}
	}
	var tried []string
	for _, dir := range []string{os.Getenv("GONB_TMP_DIR"), "."} {
		if dir == "" {
			continue
		}
		cmd := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Dir}}", modulePath)
		cmd.Dir = dir
		out, err := cmd.Output()
		if d := strings.TrimSpace(string(out)); err == nil && d != "" {
			return d, nil
		}
		tried = append(tried, dir)
	}
	return "", errors.New("the source of " + modulePath + " was not found (go list -m in " + strings.Join(tried, ", ") + ")")
}

// shortHash is 16 hex digits of s's sha256.
func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}
