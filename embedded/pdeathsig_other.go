//go:build !linux

package main

// setParentDeathSignal is Linux-only; elsewhere closing stdin stops the launcher.
func setParentDeathSignal() {}
