package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// defaultReadyURL is where the health check looks when neither -url nor
// CASELOAD_LISTEN says otherwise: the server's own default address.
const defaultReadyURL = "http://127.0.0.1:8080/readyz"

// healthcheckCmd asks a running server whether it is ready: it GETs
// /readyz and returns nil only on 200. It exists for the container image,
// which is built FROM scratch and so has no shell or curl for Docker's
// HEALTHCHECK to run; the binary probes itself. main turns a non-nil error
// into exit status 1.
func healthcheckCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	target := fs.String("url", readyURLFor(os.Getenv("CASELOAD_LISTEN")),
		"readiness URL to GET; the default follows CASELOAD_LISTEN, with an unspecified host (0.0.0.0, ::) asked on loopback")
	timeout := fs.Duration("timeout", 3*time.Second,
		"longest the whole check may take; keep it under the HEALTHCHECK --timeout so that a hung server counts as a failure, not a killed probe")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("healthcheck takes no arguments, got %q", fs.Args())
	}
	return probeReady(ctx, *target, *timeout)
}

// readyURLFor is the readiness URL of a server listening on listen (a
// CASELOAD_LISTEN value). A server bound to every interface is asked on
// loopback, which the probe, running beside it, always reaches. A value
// that is not host:port gives the default: the server would not have
// started on it, so the check fails there as it should.
func readyURLFor(listen string) string {
	host, port, err := net.SplitHostPort(strings.TrimSpace(listen))
	if err != nil || port == "" {
		return defaultReadyURL
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
		if ip != nil && ip.To4() == nil {
			host = "::1"
		}
	}
	return "http://" + net.JoinHostPort(host, port) + "/readyz"
}

// probeReady GETs target and reports whether it answered 200 within
// timeout. The error names the URL and what came back, since it is all
// an operator sees of a failing probe (docker inspect keeps it).
func probeReady(ctx context.Context, target string, timeout time.Duration) error {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("-url %q: want an http:// or https:// URL such as %s", target, defaultReadyURL)
	}
	if timeout <= 0 {
		return fmt.Errorf("-timeout must be positive, got %s", timeout)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	// No proxy: the server is beside the probe, and a proxy variable in
	// the environment must not send its health check elsewhere. No
	// keep-alive: the process exits after one request.
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("%s did not answer within %s", target, timeout)
		}
		return fmt.Errorf("%s: %w", target, err)
	}
	defer resp.Body.Close()
	// The body of a refusal says why (the database, say); a little of it
	// is kept for the message.
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusOK {
		msg := fmt.Sprintf("%s answered %s", target, resp.Status)
		if b := strings.TrimSpace(string(body)); b != "" {
			msg += ": " + b
		}
		return errors.New(msg)
	}
	return nil
}
