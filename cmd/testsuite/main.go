// Command testsuite is the project's one test command: formatting, go vet,
// the generated-code and migration checks, the whole test suite on SQLite
// and on PostgreSQL, the container test (the static binary as a non-root
// user), then the GraphQL over HTTP conformance audit and the typed client
// example's check. It needs Go, git for the generated-code
// check, and node with npm for the audit and the example (whose packages it
// installs with npm ci); run it from the repository root:
//
//	go run ./cmd/testsuite               # everything; PostgreSQL must be reachable
//	go run ./cmd/testsuite -sqlite-only  # no PostgreSQL at hand
//
// PostgreSQL is found at CASELOAD_TEST_POSTGRES_URL (default the local
// server, database "test"); if it cannot be reached the run fails.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

func main() {
	sqliteOnly := flag.Bool("sqlite-only", false, "skip the PostgreSQL run and the migration check (for machines without PostgreSQL)")
	skipGenerate := flag.Bool("skip-generate", false, "skip the generated-code check")
	flag.Parse()

	steps := []step{
		{"gofmt", checkGofmt},
		{"go vet", run("go", "vet", "./...")},
	}
	if !*skipGenerate {
		steps = append(steps, step{"generated code is current", checkGenerated})
	}
	if !*sqliteOnly {
		steps = append(steps, step{"migrations are current", run("go", "run", "-mod=mod", "./ent/migrate/gen.go", "-check")})
	}
	steps = append(steps, step{"tests on SQLite", goTest("sqlite")})
	if !*sqliteOnly {
		steps = append(steps, step{"tests on PostgreSQL", goTest("postgres")})
	}
	db := "postgres"
	if *sqliteOnly {
		db = "sqlite"
	}
	steps = append(steps, step{"static binary as non-root, and its image where Docker runs", containerTest(db)})
	steps = append(steps, step{"GraphQL over HTTP conformance (graphql-http)", conformance})
	steps = append(steps, step{"typed client example", typedClient})
	for _, s := range steps {
		start := time.Now()
		fmt.Printf("==> %s\n", s.name)
		if err := s.run(); err != nil {
			fmt.Printf("FAILED: %s: %v\n", s.name, err)
			os.Exit(1)
		}
		fmt.Printf("ok: %s (%s)\n", s.name, time.Since(start).Round(time.Second))
	}
	fmt.Println("all checks passed")
}

type step struct {
	name string
	run  func() error
}

func run(name string, args ...string) func() error {
	return func() error {
		cmd := exec.Command(name, args...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		return cmd.Run()
	}
}

func goTest(dialect string) func() error {
	return func() error {
		cmd := exec.Command("go", "test", "-count=1", "./...")
		cmd.Env = append(os.Environ(), "CASELOAD_TEST_DB="+dialect)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		return cmd.Run()
	}
}

// containerTest runs cmd/caseload's container test (build tag container)
// on its own: it builds the static binary, runs it as a non-root user
// against the database and checks /readyz, and builds and runs the image
// where a Docker daemon answers.
func containerTest(dialect string) func() error {
	return func() error {
		if err := run("go", "vet", "-tags", "container", "./cmd/caseload/")(); err != nil {
			return err
		}
		cmd := exec.Command("go", "test", "-count=1", "-tags", "container", "-run", "Container|ElfProblems", "./cmd/caseload/")
		cmd.Env = append(os.Environ(), "CASELOAD_TEST_DB="+dialect)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		return cmd.Run()
	}
}

// conformance runs the graphql-http audit against the real server
// (conformance/): its npm dependency is installed from the lockfile, and a
// missing node or npm fails the step.
func conformance() error {
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is needed for the conformance audit (node 18 or later): %w", tool, err)
		}
	}
	npm := exec.Command("npm", "ci", "--no-audit", "--no-fund")
	npm.Dir = "conformance"
	npm.Stdout, npm.Stderr = os.Stdout, os.Stderr
	if err := npm.Run(); err != nil {
		return fmt.Errorf("npm ci in conformance/: %w", err)
	}
	if err := run("go", "vet", "-tags", "conformance", "./conformance/")(); err != nil {
		return err
	}
	cmd := exec.Command("go", "test", "-count=1", "-tags", "conformance", "./conformance/")
	cmd.Env = append(os.Environ(), "CASELOAD_TEST_DB=sqlite")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}

// typedClient checks the typed-client example (docs/typed-client): its npm
// packages are installed from the lockfile, GraphQL Code Generator's check
// mode fails if the committed src/gql/ (typed documents and the
// trusted-documents manifest) is not what docs/schema.graphql and the
// example's operations generate now, and tsc type-checks the example
// against it. A missing node or npm fails the step.
func typedClient() error {
	const dir = "docs/typed-client"
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is needed for the typed client example (node 20 or later): %w", tool, err)
		}
	}
	npm := func(args ...string) error {
		cmd := exec.Command("npm", args...)
		cmd.Dir = dir
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		return cmd.Run()
	}
	if err := npm("ci", "--no-audit", "--no-fund"); err != nil {
		return fmt.Errorf("npm ci in %s: %w", dir, err)
	}
	if err := npm("run", "codegen:check"); err != nil {
		return fmt.Errorf("%s/src/gql is not what GraphQL Code Generator writes now (stale, or an operation no longer validates against docs/schema.graphql): run `cd %s && npm ci && npm run codegen`, fix what it reports, and commit src/gql: %w", dir, dir, err)
	}
	if err := npm("run", "typecheck"); err != nil {
		return fmt.Errorf("tsc --noEmit in %s: %w", dir, err)
	}
	return nil
}

func output(name string, args ...string) (string, error) {
	var out bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	err := cmd.Run()
	return strings.TrimSpace(out.String()), err
}

func checkGofmt() error {
	out, err := output("gofmt", "-l", ".")
	if err != nil {
		return err
	}
	if out != "" {
		return fmt.Errorf("not gofmt-formatted:\n%s", out)
	}
	return nil
}

// checkGenerated regenerates Ent, entgql and gqlgen code and fails if the
// tree changes: committed generated code must match its sources.
func checkGenerated() error {
	if err := run("go", "generate", "./...")(); err != nil {
		return err
	}
	out, err := output("git", "status", "--porcelain")
	if err != nil {
		return err
	}
	if out != "" {
		diff, _ := output("git", "diff", "--stat")
		return fmt.Errorf("generated code is stale; run `go generate ./...` and commit:\n%s\n%s", out, diff)
	}
	return nil
}
