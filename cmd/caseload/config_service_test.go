package main

import (
	"slices"
	"testing"
)

func TestServeFlags_CORSOriginsAndMetricsFromEnv(t *testing.T) {
	t.Setenv("CASELOAD_CORS_ORIGINS", " https://a.example.org, ,https://b.example.org,")
	t.Setenv("CASELOAD_METRICS_LISTEN", "127.0.0.1:9090")
	c, err := serveFlags(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := splitList(c.corsOrigins); !slices.Equal(got, []string{"https://a.example.org", "https://b.example.org"}) {
		t.Errorf("origins %q", got)
	}
	if c.metricsListen != "127.0.0.1:9090" {
		t.Errorf("metrics listen %q", c.metricsListen)
	}
	c, err = serveFlags([]string{"-cors-origins", "", "-metrics-listen", ""})
	if err != nil {
		t.Fatal(err)
	}
	if splitList(c.corsOrigins) != nil || c.metricsListen != "" {
		t.Errorf("flags do not win over the environment: origins %q, metrics %q", c.corsOrigins, c.metricsListen)
	}
}
