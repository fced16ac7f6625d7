//go:build linux

package main

import "golang.org/x/sys/unix"

// setParentDeathSignal asks the kernel to send SIGTERM when the parent process
// dies, so the launcher never outlives the Node process that started it.
func setParentDeathSignal() {
	_ = unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(unix.SIGTERM), 0, 0, 0)
}
