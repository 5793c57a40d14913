//go:build !noxla

package qkvlib

import _ "github.com/gomlx/go-xla/compute/xla" // "xla:cpu", "xla:cuda", "xla:/path/plugin.so"
