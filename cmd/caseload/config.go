package main

import (
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ulule/limiter/v3"

	"caseload/graph/auth"
	"caseload/graph/server"
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
	signIn      signInConfig
	limits      server.Limits
	// corsOrigins is a comma-separated list of browser origins allowed to
	// call /graphql; empty for none.
	corsOrigins string
	// metricsListen is where /metrics is served; empty for nowhere.
	metricsListen string
	// publicURL is the address clinics link their intake and booking
	// pages to; links are paths when empty.
	publicURL string
	// trustedDocuments is the manifest of the trusted-documents mode;
	// off when empty.
	trustedDocuments string
	// auditKey and auditKeyFile say where the audit log's key is.
	auditKey, auditKeyFile string
}

// signInConfig are the settings of sessions and sign-in abuse: where rate
// limits count, whom to trust for the client address, and the limits.
type signInConfig struct {
	redisURL       string
	trustedProxies string
	signUp         bool
	rates          auth.Rates
	hashSlots      int
	hashWait       time.Duration
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
	serviceFlags(fs, c)
	auditFlags(fs, c)
	signInFlags(fs, &c.signIn)
	limitFlags(fs, &c.limits)
	if err := rateEnv(fs); err != nil {
		return nil, err
	}
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

// signInFlags registers the settings of sessions and sign-in abuse.
func signInFlags(fs *flag.FlagSet, c *signInConfig) {
	fs.StringVar(&c.redisURL, "redis-url", env("CASELOAD_REDIS_URL", ""),
		"Redis URL where login and sign-up limits count, shared by every replica; in memory when empty (env CASELOAD_REDIS_URL)")
	fs.StringVar(&c.trustedProxies, "trusted-proxies", env("CASELOAD_TRUSTED_PROXIES", ""),
		"comma-separated IPs or CIDR ranges of reverse proxies whose X-Forwarded-For gives the client address (env CASELOAD_TRUSTED_PROXIES)")
	fs.BoolVar(&c.signUp, "signup", env("CASELOAD_SIGNUP", "true") != "false",
		"let anyone sign up a new practice; false for a self-hosted clinic, whose members join by invitation (env CASELOAD_SIGNUP)")
	c.rates = auth.DefaultRates
	fs.Var((*rateFlag)(&c.rates.LoginFailuresPerAddress), "login-limit-address",
		"failed logins allowed per client address, as COUNT/PERIOD, 0 for none (env CASELOAD_LOGIN_LIMIT_ADDRESS)")
	fs.Var((*rateFlag)(&c.rates.LoginAttemptsPerPair), "login-limit-account",
		"logins allowed per account from one client address, as COUNT/PERIOD, 0 for none (env CASELOAD_LOGIN_LIMIT_ACCOUNT)")
	fs.Var((*rateFlag)(&c.rates.SignUpsPerAddress), "signup-limit",
		"sign-ups allowed per client address, as COUNT/PERIOD, 0 for none (env CASELOAD_SIGNUP_LIMIT)")
	fs.Var((*rateFlag)(&c.rates.EmergencySearchesPerMember), "emergency-search-limit",
		"emergency access searches allowed per member, as COUNT/PERIOD, 0 for none (env CASELOAD_EMERGENCY_SEARCH_LIMIT)")
	fs.IntVar(&c.hashSlots, "hash-slots", envInt("CASELOAD_HASH_SLOTS", auth.DefaultHashSlots),
		"password hashes run at once, each taking 64 MiB (env CASELOAD_HASH_SLOTS)")
	fs.DurationVar(&c.hashWait, "hash-wait", envDuration("CASELOAD_HASH_WAIT", auth.DefaultHashWait),
		"longest a login waits for a hashing slot before RATE_LIMITED (env CASELOAD_HASH_WAIT)")
}

// rateEnv sets the rate flags from their environment variables, before the
// command line, which wins.
func rateEnv(fs *flag.FlagSet) error {
	for _, f := range []struct{ flag, variable string }{
		{"login-limit-address", "CASELOAD_LOGIN_LIMIT_ADDRESS"},
		{"login-limit-account", "CASELOAD_LOGIN_LIMIT_ACCOUNT"},
		{"signup-limit", "CASELOAD_SIGNUP_LIMIT"},
		{"emergency-search-limit", "CASELOAD_EMERGENCY_SEARCH_LIMIT"},
	} {
		if v, ok := os.LookupEnv(f.variable); ok {
			if err := fs.Lookup(f.flag).Value.Set(v); err != nil {
				return fmt.Errorf("%s: %w", f.variable, err)
			}
		}
	}
	return nil
}

func envInt(name string, fallback int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return fallback
}

// rateFlag is a rate limit written COUNT/PERIOD, e.g. 5/15m; 0 switches the
// limit off.
type rateFlag limiter.Rate

// String implements flag.Value.
func (r *rateFlag) String() string {
	if r == nil || r.Limit == 0 {
		return "0"
	}
	return fmt.Sprintf("%d/%s", r.Limit, r.Period)
}

// Set implements flag.Value.
func (r *rateFlag) Set(s string) error {
	if strings.TrimSpace(s) == "0" {
		*r = rateFlag{}
		return nil
	}
	count, period, ok := strings.Cut(s, "/")
	n, err := strconv.ParseInt(strings.TrimSpace(count), 10, 64)
	d, derr := time.ParseDuration(strings.TrimSpace(period))
	if !ok || err != nil || derr != nil || n <= 0 || d <= 0 {
		return fmt.Errorf("want COUNT/PERIOD such as 5/15m, or 0, got %q", s)
	}
	*r = rateFlag{Limit: n, Period: d, Formatted: s}
	return nil
}

// limitFlags registers the limits of one GraphQL request (API contract,
// "Sessions and cost"); server.DefaultLimits holds the defaults.
func limitFlags(fs *flag.FlagSet, l *server.Limits) {
	d := server.DefaultLimits
	intFlag := func(p *int, name, variable string, def int, usage string) {
		fs.IntVar(p, name, envInt(variable, def), usage+" (env "+variable+")")
	}
	intFlag(&l.MaxDepth, "max-depth", "CASELOAD_MAX_DEPTH", d.MaxDepth, "deepest field nesting of a query, fragments expanded")
	intFlag(&l.MaxIntrospectionDepth, "max-introspection-depth", "CASELOAD_MAX_INTROSPECTION_DEPTH", d.MaxIntrospectionDepth,
		"deepest nesting under __schema and __type")
	intFlag(&l.MaxAliases, "max-aliases", "CASELOAD_MAX_ALIASES", d.MaxAliases, "most aliased fields in a query, fragments expanded")
	intFlag(&l.MaxDirectives, "max-directives", "CASELOAD_MAX_DIRECTIVES", d.MaxDirectives, "most directives in a query, fragments expanded")
	intFlag(&l.MaxTokens, "max-tokens", "CASELOAD_MAX_TOKENS", d.MaxTokens, "most tokens in a member's query document")
	intFlag(&l.MaxAnonymousTokens, "max-anonymous-tokens", "CASELOAD_MAX_ANONYMOUS_TOKENS", d.MaxAnonymousTokens,
		"most tokens in a query document sent without a token")
	intFlag(&l.MaxCost, "max-cost", "CASELOAD_MAX_COST", d.MaxCost, "cost budget of one request: fields, times the sizes of the lists around them")
	intFlag(&l.MaxErrors, "max-errors", "CASELOAD_MAX_ERRORS", d.MaxErrors, "most errors in a response besides FORBIDDEN field errors")
	fs.DurationVar(&l.Timeout, "request-timeout", envDuration("CASELOAD_REQUEST_TIMEOUT", d.Timeout),
		"deadline of one GraphQL request, database queries included (env CASELOAD_REQUEST_TIMEOUT)")
	fs.BoolVar(&l.DisableIntrospection, "disable-introspection", env("CASELOAD_DISABLE_INTROSPECTION", "false") == "true",
		"turn schema introspection off for members too (env CASELOAD_DISABLE_INTROSPECTION)")
	fs.BoolVar(&l.AnonymousIntrospection, "anonymous-introspection", env("CASELOAD_ANONYMOUS_INTROSPECTION", "false") == "true",
		"allow schema introspection without a token (env CASELOAD_ANONYMOUS_INTROSPECTION)")
}
