package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
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

// maxRSSKB is ru_maxrss of a process that was waited for, in KiB.
func maxRSSKB(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss
	}
	return 0
}

// sampleHWM reads the VmHWM (peak resident set size) of process pid from /proc every 50 ms
// into *peakKB until the returned function is called.
func sampleHWM(pid int, peakKB *int64) (stop func()) {
	file := fmt.Sprintf("/proc/%d/status", pid)
	done := make(chan struct{})
	finished := make(chan struct{})
	read := func() {
		b, err := os.ReadFile(file)
		if err != nil {
			return
		}
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				if err == nil && kb > *peakKB {
					*peakKB = kb
				}
			}
		}
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			read()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
