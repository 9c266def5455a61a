package main

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
)

func TestVersion_PrintsModuleRevisionAndGo(t *testing.T) {
	var out bytes.Buffer
	if err := versionCmd(&out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.HasPrefix(got, "caseload ") || !strings.Contains(got, " revision ") ||
		!strings.HasSuffix(got, runtime.Version()+"\n") {
		t.Fatalf("version printed %q", got)
	}
}
