package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Environment of the provider wrapper, set by the benchmark on every Terraform command and
// passed on by Terraform to the plugins it starts.
const (
	// envRealProvider is the path of the provider binary the wrapper runs.
	envRealProvider = "BENCHSCALE_PROVIDER"
	// envRSSFile is the file the wrapper appends the provider's peak RSS in KiB to, one line
	// per provider process.
	envRSSFile = "BENCHSCALE_RSS_FILE"
)

// wrapProvider is the program started as terraform-provider-purecloud: it runs the real
// provider with the same arguments, standard streams and environment, records its peak
// resident set size (see runMeasured), and exits with its exit code.
func wrapProvider() int {
	provider := os.Getenv(envRealProvider)
	if provider == "" {
		fmt.Fprintf(os.Stderr, "%s: this is the benchscale memory wrapper; %s is not set\n", providerBinary, envRealProvider)
		return 1
	}
	code, maxRSSKB, err := runMeasured(provider, os.Args[1:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s (benchscale wrapper): %v\n", providerBinary, err)
		return 1
	}
	if file := os.Getenv(envRSSFile); file != "" && maxRSSKB > 0 {
		if err := appendLine(file, strconv.FormatInt(maxRSSKB, 10)); err != nil {
			fmt.Fprintf(os.Stderr, "%s (benchscale wrapper): recording the peak RSS: %v\n", providerBinary, err)
		}
	}
	return code
}

// appendLine appends one short line; O_APPEND keeps lines of concurrent processes whole.
func appendLine(file, line string) error {
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(line + "\n"); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// peakRSS is the largest value in an RSS file written by the wrapper, in KiB; 0 when the file
// does not exist (no provider process ran, or the platform cannot measure it).
func peakRSS(file string) (int64, error) {
	f, err := os.Open(file)
	if os.IsNotExist(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var peak int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		v, err := strconv.ParseInt(line, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s: %q is not a number of KiB", file, line)
		}
		peak = max(peak, v)
	}
	return peak, sc.Err()
}
