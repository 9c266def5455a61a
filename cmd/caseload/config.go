package main

import (
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"
)

// config is the configuration shared by the commands. Every flag has an
// environment variable; a flag given on the command line wins.
type config struct {
	databaseURL string
	listen      string
	tokenSecret string
	tokenTTL    time.Duration
	migrate     bool
	demo        bool
	maxBody     int64
}

func env(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return fallback
}

func envDuration(name string, fallback time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return fallback
}

// databaseFlag registers the database flag shared by every command.
func databaseFlag(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.databaseURL, "database", env("CASELOAD_DATABASE_URL", "caseload.db"),
		"database: a postgres:// URL, or the path of the embedded SQLite file (env CASELOAD_DATABASE_URL)")
}

func serveFlags(args []string) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	databaseFlag(fs, c)
	fs.StringVar(&c.listen, "listen", env("CASELOAD_LISTEN", "127.0.0.1:8080"), "address to listen on (env CASELOAD_LISTEN)")
	fs.StringVar(&c.tokenSecret, "token-secret", env("CASELOAD_TOKEN_SECRET", ""),
		"secret signing bearer tokens, at least 32 bytes; if empty a random one is made and tokens end with the process (env CASELOAD_TOKEN_SECRET)")
	fs.DurationVar(&c.tokenTTL, "token-ttl", envDuration("CASELOAD_TOKEN_TTL", 12*time.Hour), "how long a token is valid (env CASELOAD_TOKEN_TTL)")
	fs.BoolVar(&c.migrate, "migrate", env("CASELOAD_MIGRATE", "true") == "true", "apply pending migrations at start (env CASELOAD_MIGRATE)")
	fs.BoolVar(&c.demo, "demo", env("CASELOAD_DEMO", "false") == "true", "create the demo practice at start if it is missing, and print its logins (env CASELOAD_DEMO)")
	fs.Int64Var(&c.maxBody, "max-body-bytes", 1<<20, "largest request body accepted")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if c.tokenTTL <= 0 {
		return nil, errors.New("-token-ttl must be positive")
	}
	return c, nil
}

// secret returns the token secret, making an ephemeral one when none is set.
func (c *config) secret() ([]byte, error) {
	if c.tokenSecret != "" {
		if len(c.tokenSecret) < 32 {
			return nil, fmt.Errorf("the token secret must be at least 32 bytes, got %d", len(c.tokenSecret))
		}
		return []byte(c.tokenSecret), nil
	}
	slog.Warn("no CASELOAD_TOKEN_SECRET: using a random secret; tokens stop working when the server restarts")
	b := make([]byte, 32)
	_, err := rand.Read(b)
	return b, err
}
