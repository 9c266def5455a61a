package benchmarks

import (
	"testing"

	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// TestMain sets the garbage collector as serve does, so that the benchmarks
// measure the server as it is run, and drops the PostgreSQL template
// database the tests share.
func TestMain(m *testing.M) {
	server.TuneGC(nil)
	graphtest.Main(m)
}
