package main

// benchmarksSkeleton starts an output file that does not exist yet; the repository's
// BENCHMARKS.md adds, above the generated section, what limits each phase.
const benchmarksSkeleton = "# Scale benchmark\n\nWritten by `make bench-scale` (scripts/benchscale).\n"
