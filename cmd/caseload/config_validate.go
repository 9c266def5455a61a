package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"caseload/ent/database"
)

// validate checks the whole configuration before anything starts, so that a
// mistyped value stops the server with a message naming the setting rather
// than running with a default the operator did not choose. Messages never
// repeat a secret: a token secret or audit key is described by its length,
// a URL that may carry a password by what is wrong with it.
func (c *config) validate() error {
	var errs []error
	check := func(ok bool, flagName, want string) {
		if !ok {
			errs = append(errs, fmt.Errorf("%s %s", setting(flagName), want))
		}
	}
	check(c.tokenSecret == "" || len(c.tokenSecret) >= 32, "token-secret",
		fmt.Sprintf("must be at least 32 bytes, got %d", len(c.tokenSecret)))
	check(c.tokenTTL > 0, "token-ttl", "must be a positive duration such as 12h")
	errs = append(errs, c.validateAuditKey())
	check(c.maxBody > 0, "max-body-bytes", "must be positive")
	check(c.signIn.hashSlots > 0, "hash-slots", "must be at least 1")
	check(c.signIn.hashWait >= 0, "hash-wait", "must not be negative")
	l := c.limits
	for name, n := range map[string]int{
		"max-depth": l.MaxDepth, "max-introspection-depth": l.MaxIntrospectionDepth, "max-aliases": l.MaxAliases,
		"max-directives": l.MaxDirectives, "max-tokens": l.MaxTokens, "max-anonymous-tokens": l.MaxAnonymousTokens,
		"max-cost": l.MaxCost, "max-errors": l.MaxErrors,
	} {
		check(n > 0, name, "must be positive")
	}
	check(l.Timeout > 0, "request-timeout", "must be a positive duration such as 15s")
	errs = append(errs, checkAddress("listen", c.listen, true), checkAddress("metrics-listen", c.metricsListen, false))
	errs = append(errs, checkDatabase(c.databaseURL))
	if c.signIn.redisURL != "" {
		errs = append(errs, checkURL("redis-url", c.signIn.redisURL, "redis", "rediss"))
	}
	if c.publicURL != "" {
		errs = append(errs, checkURL("public-url", c.publicURL, "http", "https"))
	}
	for _, origin := range splitList(c.corsOrigins) {
		errs = append(errs, checkOrigin(origin))
	}
	errs = append(errs, c.mail.validate())
	return errors.Join(errs...)
}

// checkAddress checks a listen address, host:port; empty is allowed only
// where it means off.
func checkAddress(flagName, addr string, required bool) error {
	if addr == "" && !required {
		return nil
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return fmt.Errorf("%s must be host:port such as 127.0.0.1:8080, got %q", setting(flagName), addr)
	}
	return nil
}

// checkURL checks that raw is an absolute URL of one of the schemes. The
// error never includes url.Parse's own: it quotes parts of the URL, and a
// password holding a "/", "?" or "#" is read as a port and quoted.
func checkURL(flagName, raw string, schemes ...string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%s is not a valid URL (percent-encode special characters in the user name and password)", setting(flagName))
	}
	for _, s := range schemes {
		if strings.EqualFold(u.Scheme, s) && u.Host != "" {
			return nil
		}
	}
	return fmt.Errorf("%s must be a %s:// URL with a host", setting(flagName), strings.Join(schemes, ":// or "))
}

// checkOrigin checks one CORS origin: a scheme and host, nothing else, the
// way a browser sends Origin; a path or a trailing slash would never match.
func checkOrigin(origin string) error {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil {
		return fmt.Errorf("%s: %q is not an origin such as https://app.example.org (scheme and host, no path)", setting("cors-origins"), origin)
	}
	return nil
}

// checkDatabase checks the database setting, which every command has.
func checkDatabase(databaseURL string) error {
	if databaseURL == "" {
		return fmt.Errorf("%s must not be empty", setting("database-url"))
	}
	if database.IsPostgres(databaseURL) {
		return checkURL("database-url", databaseURL, "postgres", "postgresql")
	}
	return nil
}

// validateAuditKey checks the audit key's length without showing it.
func (c *config) validateAuditKey() error {
	if c.auditKey != "" && len(c.auditKey) < 32 {
		return fmt.Errorf("%s must be at least 32 bytes, got %d", setting("audit-key"), len(c.auditKey))
	}
	return nil
}
