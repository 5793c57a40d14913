//go:build noxla

package qkvlib

// installedXLA: built without XLA (the noxla tag), so none.
func installedXLA() []string { return nil }

// installXLACPU: built without XLA, so nothing to install with.
var installXLACPU func() (string, error)
