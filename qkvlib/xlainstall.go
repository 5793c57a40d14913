package qkvlib

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

// xlaInstall says how NewBackend installs XLA's CPU plugin when no plugin is
// installed and no backend was named.
type xlaInstall struct {
	log     io.Writer     // the progress line and the fallback note
	offline bool          // never touch the network (-offline, HF_HUB_OFFLINE=1)
	probe   string        // host:port of the download host, dialled first so that an offline machine fails fast
	dial    time.Duration // the probe's timeout
	limit   time.Duration // the most the installation may take; NewBackend then goes on without it
	// install installs the plugin and returns the backend config naming it
	// (installXLACPU, or nothing in a build without XLA).
	install func() (string, error)
}

// installTimeout bounds the download and unpacking of the plugin (about
// 100 MB): past it, NewBackend falls back to the go backend and leaves the
// installer running in the background until the program ends.
const installTimeout = 5 * time.Minute

// xlaDownloadHost is where go-xla's installer finds and downloads the plugin.
const xlaDownloadHost = "api.github.com:443"

func defaultXLAInstall() xlaInstall {
	return xlaInstall{log: os.Stderr, offline: os.Getenv("HF_HUB_OFFLINE") == "1", probe: xlaDownloadHost,
		dial: 5 * time.Second, limit: installTimeout, install: installXLACPU}
}

// run installs the plugin, after a quick check that the download host
// answers, and returns the backend config naming it.
func (x xlaInstall) run() (string, error) {
	if x.install == nil {
		return "", errors.New("this program was built without XLA (the noxla tag)")
	}
	if x.offline {
		return "", errors.New("offline: -offline or HF_HUB_OFFLINE=1")
	}
	conn, err := net.DialTimeout("tcp", x.probe, x.dial)
	if err != nil {
		return "", fmt.Errorf("offline? %s does not answer: %w", x.probe, err)
	}
	conn.Close()
	fmt.Fprintf(x.log, "Installing XLA's CPU plugin with go-xla's installer, once (it runs GPT-2 about twice as fast as the go backend; -backend go or GOMLX_BACKEND=go skips this)…\n")
	start := time.Now()
	type result struct {
		config string
		err    error
	}
	done := make(chan result, 1)
	go func() {
		c, err := x.install()
		done <- result{c, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return "", r.err
		}
		fmt.Fprintf(x.log, "Installed XLA's CPU plugin in %s: %s\n", time.Since(start).Round(time.Second), r.config)
		return r.config, nil
	case <-time.After(x.limit):
		return "", fmt.Errorf("the installation took longer than %s", x.limit)
	}
}

// InstallXLACPU installs XLA's CPU plugin now, as NewBackend does on first
// use when no backend is named and none is installed (a progress line on
// log), and returns the backend config naming it. qkv fetch -xla-cpu runs
// it, e.g. while building a Docker image.
func InstallXLACPU(log io.Writer) (string, error) {
	x := defaultXLAInstall()
	x.log = log
	if c := installedXLA(); len(c) > 0 {
		for _, cfg := range c {
			if strings.Contains(cfg, "cpu") {
				fmt.Fprintf(log, "XLA's CPU plugin is installed: %s\n", cfg)
				return cfg, nil
			}
		}
	}
	return x.run()
}
