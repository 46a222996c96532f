//go:build !linux

package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
)

// runMeasured runs the provider as a child with this process's standard streams. Measuring
// its peak RSS is implemented for Linux only; elsewhere it reports 0 (not measured).
func runMeasured(path string, args []string) (int, int64, error) {
	cmd := exec.CommandContext(context.Background(), path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return 0, 0, err
	}
	return cmd.ProcessState.ExitCode(), 0, nil
}

// maxRSSKB is not measured outside Linux.
func maxRSSKB(*os.ProcessState) int64 { return 0 }

// sampleHWM does nothing outside Linux.
func sampleHWM(int, *int64) (stop func()) { return func() {} }
