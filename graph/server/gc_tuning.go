package server

import (
	"log/slog"
	"os"
	"runtime/debug"

	"github.com/KimMachineGun/automemlimit/memlimit"
)

// ServingGCPercent is the garbage collector's growth target for a process
// that serves requests. A caseload page allocates about 1.6 MB, most of it
// gqlgen's per-field contexts, and keeps none of it, while the live heap is
// about 5 MB: at Go's default of 100 the collector ran every 3 or 4 pages.
// At 400 a page is about 1.2× faster and the heap in use about 20 MB
// (docs/benchmarks.md, BenchmarkGCTuning); the memory limit below keeps a
// heap that grows from getting near the machine's or container's memory.
const ServingGCPercent = 400

// memoryLimitRatio is the share of the container's memory limit (or, with
// none, the machine's memory) the Go heap may use before the collector runs
// as often as it must to stay under it.
const memoryLimitRatio = 0.8

// GCSettings are the garbage collector's settings in force.
type GCSettings struct {
	// Percent is GOGC: how far the heap grows past the live heap before a
	// collection.
	Percent int
	// MemoryLimit is GOMEMLIMIT in bytes, the soft limit that makes the
	// collector run sooner as the heap nears it.
	MemoryLimit int64
}

// TuneGC sets the garbage collector for serving requests: ServingGCPercent,
// and a soft memory limit of memoryLimitRatio of the container's limit, or
// of the machine's memory when the container sets none. An operator's own
// GOGC or GOMEMLIMIT is left as set (Go's runtime reads them); AUTOMEMLIMIT
// sets the ratio, or "off" turns the limit off. Serving calls it once at
// start; so do the benchmarks, which measure the server as it is run.
func TuneGC(logger *slog.Logger) GCSettings {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(ServingGCPercent)
	}
	limit, err := memlimit.Set(
		memlimit.WithRatio(memoryLimitRatio),
		memlimit.WithProvider(memlimit.ApplyFallback(memlimit.FromCgroup, memlimit.FromSystem)),
	)
	if err != nil && logger != nil {
		// No limit is no worse than Go's default: the server still runs.
		logger.Warn("memory limit not set", "err", err)
	}
	percent := debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	return GCSettings{Percent: percent, MemoryLimit: limit}
}
