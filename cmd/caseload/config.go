package main

import (
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/peterbourgon/ff/v3"
	"github.com/ulule/limiter/v3"

	"caseload/graph/auth"
	"caseload/graph/server"
)

// envPrefix names every setting's environment variable: the flag
// -token-ttl is CASELOAD_TOKEN_TTL.
const envPrefix = "CASELOAD"

// config is the configuration shared by the commands: one typed value, read
// from flags and CASELOAD_* variables by ff (parse), then checked whole by
// validate before anything starts.
type config struct {
	databaseURL string
	listen      string
	tokenSecret string
	tokenTTL    time.Duration
	migrate     bool
	// preparedStatements lets the viewer's statement run prepared
	// (ent/prepared); off, every statement is sent unprepared.
	preparedStatements bool
	demo               bool
	maxBody            int64
	// playground serves GraphiQL at /; off for a locked-down deployment.
	playground bool
	signIn     signInConfig
	limits     server.Limits
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
	// mail says how email leaves the server (config_mail.go).
	mail mailConfig
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

// newFlagSet makes a command's flag set, writing its help and errors to out.
func newFlagSet(command string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(command, flag.ContinueOnError)
	fs.SetOutput(out)
	return fs
}

// parse reads fs from args and the environment: a flag given on the command
// line wins over its CASELOAD_* variable, an empty variable counts as unset,
// and a value that does not parse as the setting's type stops the command
// with the setting's name, never silently falling back to the default.
// Each flag's help names its variable, derived the way ff derives it, so
// the two cannot disagree. The error never repeats the value: it may be a
// secret.
func parse(fs *flag.FlagSet, args []string) error {
	fs.VisitAll(func(f *flag.Flag) {
		if _, ok := f.Value.(alias); !ok {
			f.Usage += " (env " + envName(f.Name) + ")"
		}
	})
	err := ff.Parse(fs, args, ff.WithEnvVarPrefix(envPrefix))
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return fmt.Errorf("%s: %w%s", fs.Name(), err, wanted(fs, err))
	}
	return err
}

// flagInError finds the flag an ff or flag package error names.
var flagInError = regexp.MustCompile(`flag "?-?([a-z0-9-]+)"?`)

// wanted says what a setting takes, after the flag package's bare "parse
// error": the kind of value, never the value given.
func wanted(fs *flag.FlagSet, err error) string {
	m := flagInError.FindStringSubmatch(err.Error())
	if m == nil || fs.Lookup(m[1]) == nil {
		return ""
	}
	switch v := fs.Lookup(m[1]).Value.(type) {
	case interface{ IsBoolFlag() bool }:
		if v.IsBoolFlag() {
			return " (want true or false)"
		}
	case interface{ Get() any }:
		switch v.Get().(type) {
		case time.Duration:
			return " (want a duration such as 90s, 15m or 12h)"
		case int, int64:
			return " (want a whole number)"
		}
	}
	return ""
}

// envName is the variable ff reads for a flag.
func envName(flagName string) string {
	return envPrefix + "_" + strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(flagName))
}

// setting names a setting in messages: its flag and its variable.
func setting(flagName string) string {
	return "-" + flagName + " (" + envName(flagName) + ")"
}

// databaseFlag registers the database setting shared by every command. The
// variable has always been CASELOAD_DATABASE_URL, so the flag is
// -database-url, with -database kept as the short name the README uses.
func databaseFlag(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.databaseURL, "database-url", "caseload.db", "database: a postgres:// URL, or the path of the embedded SQLite file")
	fs.Var(alias{fs, "database-url"}, "database", "the same as -database-url")
}

// alias is a second name for a flag. Setting it sets the flag itself, so
// that the flag counts as given on the command line and its variable does
// not override it; once the flag is set, the alias changes nothing.
type alias struct {
	fs     *flag.FlagSet
	target string
}

// String implements flag.Value.
func (a alias) String() string {
	if a.fs == nil {
		return ""
	}
	return a.fs.Lookup(a.target).Value.String()
}

// Set implements flag.Value.
func (a alias) Set(v string) error {
	set := false
	a.fs.Visit(func(f *flag.Flag) { set = set || f.Name == a.target })
	if set {
		return nil
	}
	return a.fs.Set(a.target, v)
}

// serveConfig reads the serve command's configuration and checks it.
func serveConfig(args []string, out io.Writer) (*config, error) {
	c := &config{}
	fs := serveFlagSet(c, out)
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// serveFlagSet registers every setting of serve, bound to c.
func serveFlagSet(c *config, out io.Writer) *flag.FlagSet {
	fs := newFlagSet("serve", out)
	databaseFlag(fs, c)
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&c.tokenSecret, "token-secret", "",
		"secret signing bearer tokens, at least 32 bytes; if empty a random one is made and tokens end with the process")
	fs.DurationVar(&c.tokenTTL, "token-ttl", 12*time.Hour, "how long a token is valid, e.g. 12h")
	fs.BoolVar(&c.migrate, "migrate", true, "apply pending migrations at start")
	fs.BoolVar(&c.preparedStatements, "db-prepared-statements", true,
		"prepare the statements of a fixed shape (the viewer's, which every request sends first, and an admin's kept count asked without its page) once per database connection; off behind a pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21, or without max_prepared_statements)")
	fs.BoolVar(&c.demo, "demo", false, "create the demo practice at start if it is missing, and print its logins")
	fs.Int64Var(&c.maxBody, "max-body-bytes", 1<<20, "largest request body accepted")
	fs.BoolVar(&c.playground, "playground", true, "serve the GraphiQL playground at /")
	serviceFlags(fs, c)
	auditFlags(fs, c)
	mailFlags(fs, &c.mail)
	signInFlags(fs, &c.signIn)
	limitFlags(fs, &c.limits)
	return fs
}

// secret returns the token secret, making an ephemeral one when none is set.
func (c *config) secret() ([]byte, error) {
	if c.tokenSecret != "" {
		return []byte(c.tokenSecret), nil
	}
	slog.Warn("no CASELOAD_TOKEN_SECRET: using a random secret; tokens stop working when the server restarts")
	b := make([]byte, 32)
	_, err := rand.Read(b)
	return b, err
}

// signInFlags registers the settings of sessions and sign-in abuse.
func signInFlags(fs *flag.FlagSet, c *signInConfig) {
	fs.StringVar(&c.redisURL, "redis-url", "",
		"Redis URL where login and sign-up limits count, shared by every replica; in memory when empty")
	fs.StringVar(&c.trustedProxies, "trusted-proxies", "",
		"comma-separated IPs or CIDR ranges of reverse proxies whose X-Forwarded-For gives the client address")
	fs.BoolVar(&c.signUp, "signup", true,
		"let anyone sign up a new practice; false for a self-hosted clinic, whose members join by invitation")
	c.rates = auth.DefaultRates
	fs.Var((*rateFlag)(&c.rates.LoginFailuresPerAddress), "login-limit-address",
		"failed logins allowed per client address, as COUNT/PERIOD, 0 for none")
	fs.Var((*rateFlag)(&c.rates.LoginAttemptsPerPair), "login-limit-account",
		"logins allowed per account from one client address, as COUNT/PERIOD, 0 for none")
	fs.Var((*rateFlag)(&c.rates.SignUpsPerAddress), "signup-limit",
		"sign-ups allowed per client address, as COUNT/PERIOD, 0 for none")
	fs.Var((*rateFlag)(&c.rates.EmergencySearchesPerMember), "emergency-search-limit",
		"emergency access searches allowed per member, as COUNT/PERIOD, 0 for none")
	fs.IntVar(&c.hashSlots, "hash-slots", auth.DefaultHashSlots, "password hashes run at once, each taking 64 MiB")
	fs.DurationVar(&c.hashWait, "hash-wait", auth.DefaultHashWait, "longest a login waits for a hashing slot before RATE_LIMITED")
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
	fs.IntVar(&l.MaxDepth, "max-depth", d.MaxDepth, "deepest field nesting of a query, fragments expanded")
	fs.IntVar(&l.MaxIntrospectionDepth, "max-introspection-depth", d.MaxIntrospectionDepth, "deepest nesting under __schema and __type")
	fs.IntVar(&l.MaxAliases, "max-aliases", d.MaxAliases, "most aliased fields in a query, fragments expanded")
	fs.IntVar(&l.MaxDirectives, "max-directives", d.MaxDirectives, "most directives in a query, fragments expanded")
	fs.IntVar(&l.MaxTokens, "max-tokens", d.MaxTokens, "most tokens in a member's query document")
	fs.IntVar(&l.MaxAnonymousTokens, "max-anonymous-tokens", d.MaxAnonymousTokens, "most tokens in a query document sent without a token")
	fs.IntVar(&l.MaxCost, "max-cost", d.MaxCost, "cost budget of one request: fields, times the sizes of the lists around them")
	fs.IntVar(&l.MaxErrors, "max-errors", d.MaxErrors, "most errors in a response besides FORBIDDEN field errors")
	fs.DurationVar(&l.Timeout, "request-timeout", d.Timeout, "deadline of one GraphQL request, database queries included")
	fs.BoolVar(&l.DisableIntrospection, "disable-introspection", false, "turn schema introspection off for members too")
	fs.BoolVar(&l.AnonymousIntrospection, "anonymous-introspection", false, "allow schema introspection without a token")
}
