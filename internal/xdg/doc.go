// Package xdg finds the project's cache folders.
package xdg
