//go:build !unix

package main

// execTool returns at once: main then runs tool as a child process.
func execTool(string, []string) {}
