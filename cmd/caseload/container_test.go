//go:build linux && container

// The container test builds the whole static binary, minutes of both cores
// on a cold cache, so it runs as its own step of the test command (go run
// ./cmd/testsuite), not beside the race tests of go test ./..., whose
// deadlines it would starve.

package main

import (
	"bytes"
	"context"
	"debug/elf"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"caseload/graph/graphtest"
)

// imageUID is the user the image runs as (USER in the Dockerfile); the
// test runs the binary as that user too when it is itself root.
const imageUID = 65532

// The secrets the binary is started with, as an operator would pass them.
var (
	containerTokenSecret = strings.Repeat("t", 40)
	containerAuditKey    = strings.Repeat("a", 40)
)

// The deployment as the README describes it: a static binary, built as the
// Dockerfile expects, serves as a non-root user on a fresh database of the
// dialect under test, answers /readyz, passes its own health check, and
// stops cleanly on SIGTERM, after which the health check fails. Where a
// Docker daemon answers, the image is built from that binary and run too.
func TestContainer_StaticBinary_ServesAsNonRoot_ThenImage(t *testing.T) {
	work := containerWorkDir(t)
	bin := buildStaticBinary(t, work)
	if problems := elfProblems(bin); len(problems) > 0 {
		t.Fatalf("%s cannot run FROM scratch: %s", bin, strings.Join(problems, "; "))
	}
	requireCarries(t, bin)

	data := filepath.Join(work, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	cred := nonRootCredential(t, data)
	addr := freeAddr(t)
	env := []string{
		"CASELOAD_DATABASE_URL=" + freshDatabaseURL(t, data),
		"CASELOAD_LISTEN=" + addr,
		"CASELOAD_TOKEN_SECRET=" + containerTokenSecret,
		"CASELOAD_AUDIT_KEY=" + containerAuditKey,
	}
	t.Logf("serving %s on %s as uid %s", graphtest.Dialect(), addr, credUID(cred))
	srv := startChild(t, bin, data, env, cred, "serve")
	requireNonRootProcess(t, srv.cmd.Process.Pid, cred != nil)
	waitReady(t, "http://"+addr, srv.failure)

	// As the image's HEALTHCHECK runs it: no flags, the address from
	// CASELOAD_LISTEN.
	if code, out := runBinary(t, bin, data, env, cred, "healthcheck"); code != 0 {
		t.Fatalf("caseload healthcheck against a ready server exited %d, want 0:\n%s", code, out)
	}
	if code, out := runBinary(t, bin, data, nil, cred, "healthcheck", "-url", "http://"+addr+"/readyz"); code != 0 {
		t.Fatalf("caseload healthcheck -url against a ready server exited %d, want 0:\n%s", code, out)
	}

	srv.stop(t)
	if code, out := runBinary(t, bin, data, env, cred, "healthcheck", "-timeout", "2s"); code != 1 {
		t.Fatalf("caseload healthcheck against a stopped server exited %d, want 1:\n%s", code, out)
	}

	if reason, ok := dockerAnswers(); !ok {
		t.Logf("the image part did NOT run: no Docker daemon answers (%s); the Dockerfile was not built or run, only the binary it copies was checked", reason)
		return
	}
	t.Run("image", func(t *testing.T) { checkImage(t, work) })
}

// containerWorkDir makes a directory the test's own and, when the binary
// is to run as another user, traversable by it: t.TempDir's parents are
// private to the test's user.
func containerWorkDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "caseload-container-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// buildStaticBinary builds ./cmd/caseload as the README's Container section
// does, into dir/caseload.
func buildStaticBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "caseload")
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build -trimpath ./cmd/caseload: %v\n%s", err, out)
	}
	return bin
}

// elfProblems says why the ELF file at path would not run in an empty
// image: a program interpreter (the dynamic loader) or shared libraries it
// needs. None for a static binary.
func elfProblems(path string) []string {
	f, err := elf.Open(path)
	if err != nil {
		return []string{"not an ELF file: " + err.Error()}
	}
	defer f.Close()
	var problems []string
	if len(f.Progs) == 0 {
		problems = append(problems, "no program headers: not an executable")
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			problems = append(problems, "a PT_INTERP program header: it needs a dynamic loader")
		}
	}
	libs, err := f.ImportedLibraries()
	if err != nil {
		problems = append(problems, "reading DT_NEEDED: "+err.Error())
	}
	if len(libs) > 0 {
		problems = append(problems, "DT_NEEDED shared libraries "+strings.Join(libs, ", "))
	}
	return problems
}

// The static check can fail: a dynamically linked program is refused.
func TestElfProblems_DynamicProgram_IsRefused(t *testing.T) {
	if problems := elfProblems("/bin/sh"); len(problems) == 0 {
		t.Fatal("/bin/sh passes as static; the check would pass anything")
	}
	if problems := elfProblems("container_test.go"); len(problems) == 0 {
		t.Fatal("a text file passes as a static executable")
	}
}

// requireCarries checks that the binary holds what scratch lacks (see
// scratch.go): the time zones and the CA roots. On this machine both are
// on disk, so running the binary here would not notice their absence.
func requireCarries(t *testing.T, bin string) {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		t.Fatalf("reading the symbols of %s (built without -s?): %v", bin, err)
	}
	for _, pkg := range []string{"time/tzdata.", "golang.org/x/crypto/x509roots/fallback."} {
		found := false
		for _, s := range syms {
			if strings.HasPrefix(s.Name, pkg) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("the binary does not carry %s: in a scratch image it would miss it (see cmd/caseload/scratch.go)", strings.TrimSuffix(pkg, "."))
		}
	}
}

// nonRootCredential returns the credential to run the binary as the
// image's user when the test runs as root (CI does), after giving that
// user the data directory; nil when the test is not root and so the
// binary is not either.
func nonRootCredential(t *testing.T, data string) *syscall.Credential {
	t.Helper()
	if os.Geteuid() != 0 {
		return nil
	}
	if err := os.Chown(data, imageUID, imageUID); err != nil {
		t.Fatal(err)
	}
	return &syscall.Credential{Uid: imageUID, Gid: imageUID}
}

// freshDatabaseURL returns the URL of an empty database of the dialect
// under test, which the server migrates itself as on a first deployment:
// a file in dir for SQLite, or a PostgreSQL database of the test's own
// made and dropped by graphtest.
func freshDatabaseURL(t *testing.T, dir string) string {
	t.Helper()
	if graphtest.Dialect() != "postgres" {
		return filepath.Join(dir, "caseload.db")
	}
	db := graphtest.OpenEmptyDB(t)
	var name string
	if err := db.SQL.QueryRowContext(context.Background(), "SELECT current_database()").Scan(&name); err != nil {
		t.Fatalf("naming the test's PostgreSQL database: %v", err)
	}
	// The server graphtest connects to, as graphtest chooses it.
	base := os.Getenv("CASELOAD_TEST_POSTGRES_URL")
	if base == "" {
		base = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("CASELOAD_TEST_POSTGRES_URL %q: %v", base, err)
	}
	u.Path = "/" + name
	return u.String()
}

// child is the binary running in the background, its stderr kept in a
// file for failure messages.
type child struct {
	cmd    *exec.Cmd
	stderr string
	exited chan struct{}
	err    error // of Wait, once exited is closed
}

// startChild starts the binary with only env (as in an image, nothing of
// the test's environment leaks in) in dir, as cred when not nil.
func startChild(t *testing.T, bin, dir string, env []string, cred *syscall.Credential, args ...string) *child {
	t.Helper()
	logPath := filepath.Join(filepath.Dir(bin), "serve.stderr")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd := exec.Command(bin, args...)
	cmd.Dir, cmd.Env, cmd.Stderr, cmd.Stdout = dir, env, logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s %s (as uid %v): %v; the binary and its directories must be readable by that user",
			bin, strings.Join(args, " "), credUID(cred), err)
	}
	c := &child{cmd: cmd, stderr: logPath, exited: make(chan struct{})}
	go func() { c.err = cmd.Wait(); close(c.exited) }()
	t.Cleanup(func() {
		select {
		case <-c.exited:
		default:
			_ = cmd.Process.Kill()
			<-c.exited
		}
	})
	return c
}

func credUID(cred *syscall.Credential) string {
	if cred == nil {
		return strconv.Itoa(os.Geteuid())
	}
	return strconv.Itoa(int(cred.Uid))
}

// failure returns why the child cannot be waited for any longer, with its
// log, or "" while it runs.
func (c *child) failure() string {
	select {
	case <-c.exited:
		return fmt.Sprintf("the server exited (%v); its stderr:\n%s", c.err, c.log())
	default:
		return ""
	}
}

func (c *child) log() string {
	b, err := os.ReadFile(c.stderr)
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return string(b)
}

// stop sends SIGTERM, as docker stop does, and requires exit status 0
// within the server's 30-second grace.
func (c *child) stop(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v; %s", err, c.failure())
	}
	select {
	case <-c.exited:
	case <-time.After(40 * time.Second):
		t.Fatalf("the server did not exit within 40s of SIGTERM; its stderr:\n%s", c.log())
	}
	if c.err != nil {
		t.Fatalf("the server did not exit cleanly on SIGTERM: %v; its stderr:\n%s", c.err, c.log())
	}
}

// requireNonRootProcess reads the running process's user from the kernel,
// not from what the test asked for.
func requireNonRootProcess(t *testing.T, pid int, asImageUser bool) {
	t.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 3 || fields[0] != "Uid:" {
			continue
		}
		// Uid: real effective saved filesystem
		if fields[1] == "0" || fields[2] == "0" {
			t.Fatalf("the server runs as root (%s)", line)
		}
		if asImageUser && fields[2] != strconv.Itoa(imageUID) {
			t.Fatalf("the server runs as %s, want the image's uid %d", line, imageUID)
		}
		return
	}
	t.Fatalf("no Uid line in /proc/%d/status:\n%s", pid, status)
}

// waitReady polls base/readyz until it answers 200; failure says why it
// is no use waiting longer (the process exited, with its log), if it can.
func waitReady(t *testing.T, base string, failure func() string) {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(2 * time.Minute)
	last := "no answer yet"
	for time.Now().Before(deadline) {
		if why := failure(); why != "" {
			t.Fatalf("%s/readyz never answered 200 (%s): %s", base, last, why)
		}
		resp, err := client.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		time.Sleep(200 * time.Millisecond)
	}
	why := failure()
	if why == "" {
		why = "still running"
	}
	t.Fatalf("%s/readyz did not answer 200 within 2 minutes (last: %s); %s", base, last, why)
}

// runBinary runs the binary to completion and returns its exit status and
// output; -1 if it did not exit by itself.
func runBinary(t *testing.T, bin, dir string, env []string, cred *syscall.Credential, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir, cmd.Env = dir, env
	if cmd.Env == nil {
		cmd.Env = []string{}
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out)
	case errors.As(err, &exit) && exit.Exited():
		return exit.ExitCode(), string(out)
	default:
		t.Fatalf("running %s %s: %v\n%s", bin, strings.Join(args, " "), err, out)
		return -1, ""
	}
}

// dockerAnswers reports whether a Docker daemon answers the client, and if
// not, why.
func dockerAnswers() (string, bool) {
	if _, err := exec.LookPath("docker"); err != nil {
		return "no docker client on PATH", false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "docker", "info", "--format", "{{.ServerVersion}}").CombinedOutput()
	if err != nil {
		return fmt.Sprintf("docker info: %v: %s", err, strings.TrimSpace(string(out))), false
	}
	return "", true
}

// docker runs the docker client and returns its trimmed output, failing
// the test with it on error.
func docker(t *testing.T, timeout time.Duration, args ...string) string {
	t.Helper()
	out, err := dockerOutput(timeout, args...)
	if err != nil {
		t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func dockerOutput(timeout time.Duration, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var buf bytes.Buffer
	cmd := exec.CommandContext(ctx, "docker", args...)
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	return strings.TrimSpace(buf.String()), err
}

// checkImage builds the repository's Dockerfile with the binary in work
// beside it, as `make image` does, and runs the image as compose.yaml
// does (read-only, /tmp on tmpfs) on SQLite in the image's own /data: it
// must become ready and healthy by its own HEALTHCHECK, as uid 65532,
// accept a practice's IANA time zone with no zoneinfo in the image, and
// exit 0 on docker stop.
func checkImage(t *testing.T, work string) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Dockerfile", ".dockerignore"} {
		b, err := os.ReadFile(filepath.Join(repo, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.CopyFS(filepath.Join(work, "deploy", "scratch"), os.DirFS(filepath.Join(repo, "deploy", "scratch"))); err != nil {
		t.Fatal(err)
	}
	suffix := strconv.FormatInt(time.Now().UnixNano(), 36)
	tag, name := "caseload-test:"+suffix, "caseload-test-"+suffix
	t.Cleanup(func() { _, _ = dockerOutput(time.Minute, "image", "rm", "-f", tag) })
	docker(t, 5*time.Minute, "build", "-t", tag, work)

	config := docker(t, time.Minute, "image", "inspect", "--format",
		"{{.Config.User}}|{{json .Config.ExposedPorts}}|{{json .Config.Healthcheck.Test}}", tag)
	if parts := strings.Split(config, "|"); len(parts) != 3 || parts[0] != "65532:65532" ||
		!strings.Contains(parts[1], `"8080/tcp"`) || !strings.Contains(parts[2], `"healthcheck"`) {
		t.Fatalf("the image's user|ports|healthcheck are %s, want 65532:65532, 8080/tcp and caseload healthcheck", config)
	}

	addr := freeAddr(t)
	t.Cleanup(func() { _, _ = dockerOutput(time.Minute, "rm", "-f", "-v", name) })
	docker(t, 2*time.Minute, "run", "-d", "--name", name, "--network", "host",
		"--read-only", "--tmpfs", "/tmp", "--health-interval", "2s",
		"-e", "CASELOAD_LISTEN="+addr, "-e", "CASELOAD_DEMO=true",
		"-e", "CASELOAD_TOKEN_SECRET="+containerTokenSecret, tag)
	logs := func() string { out, _ := dockerOutput(time.Minute, "logs", name); return out }
	exited := func() string {
		state, err := dockerOutput(time.Minute, "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name)
		if err != nil || !strings.HasPrefix(state, "running") {
			return fmt.Sprintf("the container is %s (%v); its logs:\n%s", state, err, logs())
		}
		return ""
	}
	base := "http://" + addr
	waitReady(t, base, exited)

	if pid := docker(t, time.Minute, "inspect", "--format", "{{.State.Pid}}", name); pid != "0" {
		if n, err := strconv.Atoi(pid); err == nil {
			if _, err := os.Stat(fmt.Sprintf("/proc/%d", n)); err == nil {
				requireNonRootProcess(t, n, true)
			} else {
				t.Logf("the container's process %s is not visible here (a daemon in a VM?); its user was checked in the image config only", pid)
			}
		}
	}

	login := post(t, base+"/graphql", "", `mutation { login(email: "dana@harbourside.example", password: "caseload-demo-2026") { token } }`)
	token, _ := dig(login, "data", "login", "token").(string)
	if token == "" {
		t.Fatalf("the demo admin cannot log in to the container: %v\n%s", login, logs())
	}
	zone := post(t, base+"/graphql", token, `mutation { updatePracticeSettings(input: { timeZone: "Australia/Sydney" }) { timeZone } }`)
	if got, _ := dig(zone, "data", "updatePracticeSettings", "timeZone").(string); got != "Australia/Sydney" {
		t.Fatalf("the container refuses the time zone Australia/Sydney (no tzdata in the binary?): %v", zone)
	}

	deadline := time.Now().Add(90 * time.Second)
	for {
		health := docker(t, time.Minute, "inspect", "--format", "{{.State.Health.Status}}", name)
		if health == "healthy" {
			break
		}
		if health == "unhealthy" || time.Now().After(deadline) {
			probes := docker(t, time.Minute, "inspect", "--format", "{{json .State.Health.Log}}", name)
			t.Fatalf("the container is %s by its HEALTHCHECK, want healthy; the probes: %s", health, probes)
		}
		time.Sleep(time.Second)
	}

	docker(t, time.Minute, "stop", "-t", "35", name)
	if state := docker(t, time.Minute, "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name); state != "exited 0" {
		t.Fatalf("after docker stop the container is %q, want \"exited 0\"; its logs:\n%s", state, logs())
	}
}

// dig follows keys down decoded JSON objects; nil where one is missing.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
