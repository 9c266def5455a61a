package benchmarks

import (
	"syscall"
	"time"
)

// processCPU is the CPU time this process has used so far, user and system,
// over all its threads. The server runs in the benchmark's process, so the
// difference across a page is the Go CPU the page cost (with the test
// client's few microseconds of encoding); PostgreSQL's is not in it. On two
// cores shared with PostgreSQL this is the figure allocation and marshalling
// cuts move, when wall time at concurrency 1 mostly measures waiting.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
