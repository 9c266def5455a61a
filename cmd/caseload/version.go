package main

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
)

// errNoBuildInfo is returned by a binary built without module support,
// which has no version to tell.
var errNoBuildInfo = errors.New("no build information in this binary")

// versionCmd prints the module version, the VCS revision and the Go
// version, read from the binary's own build information so that no
// -ldflags are needed: `go install` and `go build` in a checkout both
// record them. A binary built with -buildvcs=false says "unknown".
func versionCmd(w io.Writer) error {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return errNoBuildInfo
	}
	version := bi.Main.Version
	if version == "" {
		version = "(devel)"
	}
	revision, modified := "unknown", ""
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = " (modified)"
			}
		}
	}
	_, err := fmt.Fprintf(w, "caseload %s revision %s%s %s\n", version, revision, modified, bi.GoVersion)
	return err
}
