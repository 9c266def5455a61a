package server

import (
	"math"
	"os"
	"runtime/debug"
	"testing"
)

// restoreGC puts the collector back as the test found it.
func restoreGC(t *testing.T) {
	percent := debug.SetGCPercent(100)
	limit := debug.SetMemoryLimit(-1)
	t.Cleanup(func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	})
}

func TestTuneGC_SetsServingTargetAndAMemoryLimit(t *testing.T) {
	restoreGC(t)
	unsetEnv(t, "GOGC", "GOMEMLIMIT", "AUTOMEMLIMIT")
	debug.SetMemoryLimit(math.MaxInt64)
	got := TuneGC(nil)
	if got.Percent != ServingGCPercent {
		t.Errorf("GOGC = %d, want %d", got.Percent, ServingGCPercent)
	}
	if got.MemoryLimit <= 0 || got.MemoryLimit == math.MaxInt64 {
		t.Errorf("memory limit = %d, want a share of the container's or machine's memory", got.MemoryLimit)
	}
	if inForce := debug.SetMemoryLimit(-1); inForce != got.MemoryLimit {
		t.Errorf("memory limit in force %d, reported %d", inForce, got.MemoryLimit)
	}
}

func TestTuneGC_LeavesTheOperatorsSettings(t *testing.T) {
	restoreGC(t)
	t.Setenv("GOGC", "150")
	t.Setenv("GOMEMLIMIT", "1GiB")
	debug.SetGCPercent(150)
	debug.SetMemoryLimit(1 << 30)
	got := TuneGC(nil)
	if got.Percent != 150 || got.MemoryLimit != 1<<30 {
		t.Errorf("settings = %+v, want the operator's GOGC=150 and GOMEMLIMIT=1GiB", got)
	}
}

// unsetEnv unsets variables for the test, restoring them after.
func unsetEnv(t *testing.T, names ...string) {
	for _, n := range names {
		t.Setenv(n, "") // registers the restore
		if err := os.Unsetenv(n); err != nil {
			t.Fatal(err)
		}
	}
}
