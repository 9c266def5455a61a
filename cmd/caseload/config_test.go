package main

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestServeConfig_CORSOriginsAndMetricsFromEnv_FlagsWin(t *testing.T) {
	t.Setenv("CASELOAD_CORS_ORIGINS", " https://a.example.org, ,https://b.example.org,")
	t.Setenv("CASELOAD_METRICS_LISTEN", "127.0.0.1:9090")
	c, err := serveConfig(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if got := splitList(c.corsOrigins); !slices.Equal(got, []string{"https://a.example.org", "https://b.example.org"}) {
		t.Errorf("origins %q", got)
	}
	if c.metricsListen != "127.0.0.1:9090" {
		t.Errorf("metrics listen %q", c.metricsListen)
	}
	c, err = serveConfig([]string{"-cors-origins", "", "-metrics-listen", ""}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if splitList(c.corsOrigins) != nil || c.metricsListen != "" {
		t.Errorf("flags do not win over the environment: origins %q, metrics %q", c.corsOrigins, c.metricsListen)
	}
}

// A value that does not parse stops the server and names its setting: it
// never silently becomes the default (CASELOAD_DEMO=yes used to mean
// false, CASELOAD_TOKEN_TTL=30 used to mean 12h).
func TestServeConfig_BadValueIsRefusedNamingTheSetting(t *testing.T) {
	for _, c := range []struct{ variable, value, named string }{
		{"CASELOAD_DEMO", "yes", "CASELOAD_DEMO"},
		{"CASELOAD_MIGRATE", "on", "CASELOAD_MIGRATE"},
		{"CASELOAD_SIGNUP", "maybe", "CASELOAD_SIGNUP"},
		{"CASELOAD_PLAYGROUND", "off", "CASELOAD_PLAYGROUND"},
		{"CASELOAD_TOKEN_TTL", "30", "CASELOAD_TOKEN_TTL"},
		{"CASELOAD_TOKEN_TTL", "-1h", "CASELOAD_TOKEN_TTL"},
		{"CASELOAD_HASH_SLOTS", "four", "CASELOAD_HASH_SLOTS"},
		{"CASELOAD_HASH_SLOTS", "0", "CASELOAD_HASH_SLOTS"},
		{"CASELOAD_HASH_WAIT", "-1s", "CASELOAD_HASH_WAIT"},
		{"CASELOAD_LOGIN_LIMIT_ADDRESS", "5", "CASELOAD_LOGIN_LIMIT_ADDRESS"},
		{"CASELOAD_MAX_DEPTH", "0", "CASELOAD_MAX_DEPTH"},
		{"CASELOAD_MAX_BODY_BYTES", "-5", "CASELOAD_MAX_BODY_BYTES"},
		{"CASELOAD_REQUEST_TIMEOUT", "0s", "CASELOAD_REQUEST_TIMEOUT"},
		{"CASELOAD_LISTEN", "8080", "CASELOAD_LISTEN"},
		{"CASELOAD_METRICS_LISTEN", "metrics", "CASELOAD_METRICS_LISTEN"},
		{"CASELOAD_PUBLIC_URL", "caseload.example.org", "CASELOAD_PUBLIC_URL"},
		{"CASELOAD_APP_URL", "ftp://app.example.org", "CASELOAD_APP_URL"},
		{"CASELOAD_CORS_ORIGINS", "https://app.example.org/", "CASELOAD_CORS_ORIGINS"},
		{"CASELOAD_DATABASE_URL", "postgres://", "CASELOAD_DATABASE_URL"},
		{"CASELOAD_REDIS_URL", "localhost:6379", "CASELOAD_REDIS_URL"},
		{"CASELOAD_SMTP_URL", "http://relay.example.org", "CASELOAD_SMTP_URL"},
		{"CASELOAD_SMTP_URL", "smtp://relay.example.org", "CASELOAD_MAIL_FROM"},
	} {
		t.Run(c.variable+"="+c.value, func(t *testing.T) {
			t.Setenv(c.variable, c.value)
			_, err := serveConfig(nil, io.Discard)
			if err == nil {
				t.Fatalf("%s=%q was accepted", c.variable, c.value)
			}
			if !strings.Contains(err.Error(), c.named) {
				t.Errorf("the error does not name %s: %v", c.named, err)
			}
		})
	}
}

func TestServeConfig_BadFlagIsRefused(t *testing.T) {
	if _, err := serveConfig([]string{"-token-ttl", "30"}, io.Discard); err == nil || !strings.Contains(err.Error(), "token-ttl") {
		t.Fatalf("-token-ttl 30: %v", err)
	}
}

// Booleans are read as Go reads them, so TRUE and 1 mean true.
func TestServeConfig_TrueAndOneMeanTrue(t *testing.T) {
	t.Setenv("CASELOAD_DEMO", "TRUE")
	t.Setenv("CASELOAD_MIGRATE", "0")
	t.Setenv("CASELOAD_SIGNUP", "1")
	t.Setenv("CASELOAD_TOKEN_TTL", "30m")
	c, err := serveConfig(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !c.demo || c.migrate || !c.signIn.signUp || c.tokenTTL != 30*time.Minute {
		t.Fatalf("demo %v migrate %v signup %v ttl %v", c.demo, c.migrate, c.signIn.signUp, c.tokenTTL)
	}
}

// -database is the README's flag and CASELOAD_DATABASE_URL its variable;
// -database-url is the same setting.
func TestServeConfig_DatabaseFromFlagOrVariable(t *testing.T) {
	t.Setenv("CASELOAD_DATABASE_URL", "from-env.db")
	for args, want := range map[string]string{"": "from-env.db", "-database flag.db": "flag.db", "-database-url flag2.db": "flag2.db"} {
		c, err := serveConfig(strings.Fields(args), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if c.databaseURL != want {
			t.Errorf("%q: database %q, want %q", args, c.databaseURL, want)
		}
	}
}

// Neither the help nor an error repeats a secret taken from the
// environment: token secret, audit key, and passwords inside URLs.
func TestServeConfig_NeverEchoesASecret(t *testing.T) {
	secrets := []string{"token-secret-0123456789-abcdefghij", "audit-key-0123456789-abcdefghijklm", "hunter2-db", "hunter3-redis", "hunter4-smtp"}
	t.Setenv("CASELOAD_TOKEN_SECRET", secrets[0])
	t.Setenv("CASELOAD_AUDIT_KEY", secrets[1])
	t.Setenv("CASELOAD_DATABASE_URL", "postgres://caseload:hunter2-db@db.internal:5432/caseload")
	t.Setenv("CASELOAD_REDIS_URL", "redis://:hunter3-redis@redis.internal:6379/0")
	t.Setenv("CASELOAD_SMTP_URL", "smtp://mailer:hunter4-smtp@relay.internal:587")
	t.Setenv("CASELOAD_MAIL_FROM", "no-reply@clinic.example")
	var help bytes.Buffer
	if _, err := serveConfig([]string{"-h"}, &help); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	if !strings.Contains(help.String(), "CASELOAD_TOKEN_SECRET") || !strings.Contains(help.String(), "CASELOAD_DATABASE_URL") {
		t.Fatalf("the help does not name the variables:\n%s", help.String())
	}
	assertNoSecret(t, "the help", help.String(), secrets)

	// Each secret-bearing setting made invalid in turn. A password with a
	// "/", "?" or "#" reads as a port to url.Parse, whose message quotes it.
	for _, c := range []struct{ variable, bad string }{
		{"CASELOAD_TOKEN_SECRET", "short-" + secrets[0][:10]},
		{"CASELOAD_AUDIT_KEY", "short-" + secrets[1][:10]},
		{"CASELOAD_DATABASE_URL", "postgres://caseload:hunter2-db@db.internal:port/caseload"},
		{"CASELOAD_DATABASE_URL", "postgres://caseload:hunter2-db/x@db.internal:5432/caseload"},
		{"CASELOAD_REDIS_URL", "redis://:hunter3-redis@redis.internal:port/0"},
		{"CASELOAD_REDIS_URL", "redis://:hunter3-redis#x@redis.internal:6379/0"},
		{"CASELOAD_SMTP_URL", "smtp://mailer:hunter4-smtp@relay.internal:99999"},
		{"CASELOAD_SMTP_URL", "smtp://mailer:hunter4-smtp?x@relay.internal:587"},
	} {
		t.Run(c.variable, func(t *testing.T) {
			t.Setenv(c.variable, c.bad)
			var out bytes.Buffer
			_, err := serveConfig(nil, &out)
			if err == nil {
				t.Fatalf("%s=%s was accepted", c.variable, c.bad)
			}
			assertNoSecret(t, "the error", err.Error()+out.String(), append(secrets, c.bad))
		})
	}
}

func assertNoSecret(t *testing.T, what, text string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("%s shows the secret %q:\n%s", what, s, text)
		}
	}
}

// The README's configuration table is the operator's reference: it names
// every setting of serve, each with the variable ff reads for it.
func TestREADME_ConfigurationTable_NamesEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, _ := strings.Cut(string(readme), "| flag | variable | default | meaning |")
	table, _, _ = strings.Cut(table, "\n\n")
	row := regexp.MustCompile("(?m)^\\| `-([a-z0-9-]+)`(?: or `-([a-z0-9-]+)`)? \\| `?([A-Z_]*)`? \\|")
	documented := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(table, -1) {
		documented[m[1]] = m[3]
		if m[2] != "" {
			documented[m[2]] = m[3]
		}
	}
	fs := serveFlagSet(&config{}, io.Discard)
	fs.VisitAll(func(f *flag.Flag) {
		variable, ok := documented[f.Name]
		switch {
		case !ok:
			t.Errorf("-%s is not in the README's configuration table", f.Name)
		case f.Name != "database" && variable != envName(f.Name):
			t.Errorf("the README gives -%s the variable %q; ff reads %s", f.Name, variable, envName(f.Name))
		}
		delete(documented, f.Name)
	})
	for name := range documented {
		t.Errorf("the README documents -%s, which serve does not have", name)
	}
}
