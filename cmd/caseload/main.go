// Command caseload is the Caseload API server and its operator tools:
//
//	caseload serve     run the HTTP server (applies migrations first)
//	caseload migrate   apply pending database migrations
//	caseload seed      create the demo practice
//	caseload audit     verify the audit log, or print checkpoints of it
//	caseload version   print the version and VCS revision
//
// Configuration comes from flags or environment variables; see
// `caseload serve -h`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"caseload/graph/server"
)

func main() {
	// Every time is stored and compared in UTC: the embedded SQLite
	// compares times as text, so one zone for all of them keeps the order
	// right whatever the machine's zone.
	time.Local = time.UTC
	// Every line logged for a request names it, and its trace when traced.
	slog.SetDefault(slog.New(server.LogHandler(slog.NewJSONHandler(os.Stderr, nil))))
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(ctx, os.Args[2:])
	case "migrate":
		err = migrateCmd(ctx, os.Args[2:])
	case "seed":
		err = seedCmd(ctx, os.Args[2:])
	case "version":
		err = versionCmd(os.Stdout)
	case "audit":
		err = auditCmd(ctx, os.Args[2:], os.Stdout)
	case "healthcheck":
		err = healthcheckCmd(ctx, os.Args[2:])
	case "-h", "--help", "help":
		usage()
		return
	default:
		usage()
		os.Exit(2)
	}
	if errors.Is(err, flag.ErrHelp) {
		return // the flag set has printed the help
	}
	if err != nil {
		slog.Error("caseload "+os.Args[1]+" failed", "err", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprint(os.Stderr, `Caseload: the access-control backbone of practice-management software.

Usage:
  caseload serve [flags]     run the HTTP server (GraphQL at /graphql, GraphiQL at /)
  caseload migrate [flags]   apply pending database migrations
  caseload seed [flags]      create the demo practice and print its logins
  caseload version           print the version and VCS revision
  caseload audit verify      check every practice's audit chain (exit 1 if broken)
  caseload audit checkpoint  print signed checkpoints of the chains, to keep elsewhere
  caseload healthcheck       exit 0 if the server's /readyz answers 200 (the image's probe)

Run 'caseload <command> -h' for the flags of a command.
`)
}
