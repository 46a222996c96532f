package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// runMeasured runs the provider as a child with this process's standard streams (the plugin
// handshake on standard output goes straight to Terraform) and returns its exit code and its
// peak resident set size in KiB: ru_maxrss of wait4, the figure /usr/bin/time reports as %M.
//
// Terraform stops a provider by asking it over gRPC; the child then exits, and so does this
// wrapper. SIGINT from the terminal reaches the child through the process group, and is
// ignored here as the go-plugin server ignores it; SIGTERM is passed on. If the wrapper is
// killed, the child is killed too (PR_SET_PDEATHSIG) rather than left behind.
func runMeasured(path string, args []string) (int, int64, error) {
	signal.Ignore(os.Interrupt)
	cmd := exec.CommandContext(context.Background(), path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	go func() {
		for s := range term {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	signal.Stop(term)
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return 0, 0, err
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss // KiB on Linux
	}
	return cmd.ProcessState.ExitCode(), rss, nil
}
