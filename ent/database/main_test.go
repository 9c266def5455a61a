package database_test

import (
	"testing"

	"caseload/graph/graphtest"
)

func TestMain(m *testing.M) { graphtest.Main(m) }
