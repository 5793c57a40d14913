package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
)

type command struct {
	summary string
	run     func(ctx context.Context, args []string) error
}

var commands = map[string]command{
	"bench":     {"time the capture forward: wall time, tokens/s, GFLOP/s, peak memory (vs bench/pytorch_capture.py)", runBench},
	"run":       {"run the whole chapter: figures, results.json", runChapter},
	"capture":   {"capture every layer's c_attn output (Q|K|V) for token sequences into an .npz or the store", runCapture},
	"fetch":     {"download a model, a tokenizer or a text into the caches", runFetch},
	"tokenize":  {"GPT-2 token ids of a text file, as JSON", runTokenize},
	"randmodel": {"write a random GPT-2 checkpoint in HuggingFace layout (tests, benchmarks)", runRandModel},
}

func usage() {
	fmt.Fprintf(os.Stderr, "qkv: GPT-2 Q|K|V activation characteristics (Mike X Cohen, 50 ML projects to understand LLMs, project 34), in Go.\n\n")
	fmt.Fprintf(os.Stderr, "Usage: qkv <command> [flags]\n\nCommands:\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintf(os.Stderr, "\nRun \"qkv <command> -h\" for a command's flags.\n")
	fmt.Fprintf(os.Stderr, "Environment: GOMLX_BACKEND (go, xla:cpu, xla:cuda; default: an installed XLA plugin, else XLA's CPU plugin installed once, else go), HF_HOME / HF_HUB_CACHE, HF_HUB_OFFLINE=1, HF_TOKEN, XDG_CACHE_HOME, QKV_CPUPROFILE=FILE (write a CPU profile for go tool pprof).\n")
}

func main() {
	if len(os.Args) < 2 || os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
		usage()
		if len(os.Args) < 2 {
			os.Exit(2)
		}
		return
	}
	cmd, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "qkv: unknown command %q\n\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	tuneGC()
	stopProfile, err := startProfile(os.Getenv("QKV_CPUPROFILE"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "qkv: %s\n", err)
		os.Exit(1)
	}
	defer stopProfile()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := cmd.run(ctx, os.Args[2:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintf(os.Stderr, "qkv %s: %s\n", os.Args[1], strings.TrimSpace(err.Error()))
		stopProfile()
		os.Exit(1)
	}
}

// newFlags returns a flag set whose -h prints the command's usage line first.
func newFlags(name, usageLine, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet("qkv "+name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: qkv %s %s\n\n%s\n\nFlags:\n", name, usageLine, summary)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, and rejects stray positional arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected argument %q (flags come as -name value)", fs.Arg(0))
	}
	return nil
}
