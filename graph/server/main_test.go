package server_test

import (
	"testing"

	"caseload/graph/graphtest"
)

// TestMain drops the PostgreSQL template database the tests share.
func TestMain(m *testing.M) { graphtest.Main(m) }
