// Package hfcache holds what qkvlib/hub, which finds model files, and
// qkvlib/download, which fetches them, share about the HuggingFace cache:
// Python's layout and the cheap checks of a cached file.
package hfcache
