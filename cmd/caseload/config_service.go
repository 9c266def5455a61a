package main

import (
	"flag"
	"strings"
)

// serviceFlags registers the settings that concern callers and operators
// beside the API itself: cross-origin callers and the metrics listener.
func serviceFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.corsOrigins, "cors-origins", env("CASELOAD_CORS_ORIGINS", ""),
		"comma-separated browser origins allowed to call /graphql, e.g. https://app.example.org; none when empty (env CASELOAD_CORS_ORIGINS)")
	fs.StringVar(&c.metricsListen, "metrics-listen", env("CASELOAD_METRICS_LISTEN", ""),
		"address serving Prometheus /metrics, apart from the API's; off when empty (env CASELOAD_METRICS_LISTEN)")
	fs.StringVar(&c.publicURL, "public-url", env("CASELOAD_PUBLIC_URL", ""),
		"the address clients reach the server at, e.g. https://caseload.example.org: intake and booking links start with it; paths when empty (env CASELOAD_PUBLIC_URL)")
}

// splitList splits a comma-separated setting, dropping blanks, so that
// "a, b," is [a b] and "" is none.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
