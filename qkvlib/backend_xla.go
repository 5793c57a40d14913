//go:build !noxla

package qkvlib

import (
	"errors"
	"sort"
	"strings"

	_ "github.com/gomlx/go-xla/compute/xla" // "xla:cpu", "xla:cuda", "xla:/path/plugin.so"
	"github.com/gomlx/go-xla/installer"
	"github.com/gomlx/go-xla/pjrt"
)

// installedXLA lists the XLA backends whose PJRT plugins are already
// installed (PJRT_PLUGIN_LIBRARY_PATH, ~/.local/lib/go-xla, /usr/local/lib/go-xla,
// the system library folders), CUDA first, as configs naming the plugin file,
// so that choosing one never downloads anything.
func installedXLA() []string {
	var cuda, cpu []string
	for name, path := range pjrt.AvailablePlugins() {
		switch {
		case strings.HasPrefix(name, "cuda"):
			cuda = append(cuda, "xla:"+path)
		case strings.HasPrefix(name, "cpu"):
			cpu = append(cpu, "xla:"+path)
		}
	}
	sort.Strings(cuda)
	sort.Strings(cpu)
	return append(cuda, cpu...)
}

// installXLACPU installs XLA's CPU plugin with go-xla's own installer into
// ~/.local/lib/go-xla (its download cache reused) and returns the config
// naming the installed plugin.
func installXLACPU() (string, error) {
	dir, err := installer.DefaultHomeLibPath()
	if err != nil {
		return "", err
	}
	if err := installer.CPUAutoInstall(dir+"/go-xla", true, installer.Normal); err != nil {
		return "", err
	}
	for _, c := range installedXLA() {
		if strings.Contains(c, "cpu") {
			return c, nil
		}
	}
	return "", errors.New("go-xla's installer finished but no CPU plugin is found in ~/.local/lib/go-xla")
}
