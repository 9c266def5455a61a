package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"caseload/ent/audit"
	"caseload/ent/database"
	"caseload/graph/auth"
	"caseload/graph/server"

	entsql "entgo.io/ent/dialect/sql"
)

// serve runs the HTTP server until SIGINT or SIGTERM, then stops taking
// connections and lets in-flight requests finish.
func serve(ctx context.Context, args []string) error {
	cfg, err := serveConfig(args, os.Stderr)
	if err != nil {
		return err
	}
	gc := server.TuneGC(slog.Default())
	slog.Info("garbage collector", "gogc", gc.Percent, "memory_limit_bytes", gc.MemoryLimit)
	secret, err := cfg.secret()
	if err != nil {
		return err
	}
	tokens, err := auth.NewTokens(secret, cfg.tokenTTL)
	if err != nil {
		return err
	}
	var trusted server.TrustedDocuments
	if cfg.trustedDocuments != "" {
		// A manifest that cannot be read stops the start: running open
		// when the operator asked for trusted documents would be worse.
		if trusted, err = server.LoadTrustedDocuments(cfg.trustedDocuments); err != nil {
			return fmt.Errorf("-trusted-documents: %w", err)
		}
		slog.Info("trusted documents: only registered operations run", "operations", len(trusted))
	}
	db, err := openAndMigrate(ctx, cfg.databaseURL, cfg.migrate)
	if err != nil {
		return err
	}
	defer db.Close()
	auditKey, err := cfg.auditKeyBytes()
	if err != nil {
		return err
	}
	if cfg.demo {
		if err := seedDemo(ctx, db); err != nil {
			return err
		}
	}
	if !cfg.preparedStatements {
		db.Unprepared()
	}
	opts := server.Options{
		Client:           db.Client,
		Dialect:          db.Dialect,
		Tokens:           tokens,
		Ready:            db.Ping,
		MaxBodyBytes:     cfg.maxBody,
		Logger:           slog.Default(),
		Limits:           cfg.limits,
		CORSOrigins:      splitList(cfg.corsOrigins),
		PublicURL:        cfg.publicURL,
		TrustedDocuments: trusted,
		Audit:            &audit.Writer{Key: auditKey, Driver: entsql.OpenDB(db.Dialect, db.SQL)},
		PlaygroundOff:    !cfg.playground,
	}
	closeLimits, err := signInOptions(ctx, cfg.signIn, &opts)
	if err != nil {
		return err
	}
	defer closeLimits()
	stopMetrics, err := serveMetrics(cfg.metricsListen, db.SQL, &opts)
	if err != nil {
		return err
	}
	defer stopMetrics()
	stopMail := serveMail(ctx, cfg.mail, cfg.publicURL, cfg.demo, db.Client, &opts)
	defer stopMail() // runs before db.Close, deferred earlier
	stopTracing, err := serveTracing(ctx, db, &opts)
	if err != nil {
		return err
	}
	defer stopTracing()
	handler := server.New(opts)
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		return err
	}
	slog.Info("caseload listening", "addr", "http://"+ln.Addr().String(), "database", db.Dialect)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down: finishing in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	slog.Info("stopped")
	return nil
}

// openAndMigrate opens the database and, unless told not to, applies the
// pending migrations.
func openAndMigrate(ctx context.Context, url string, migrate bool) (*database.DB, error) {
	db, err := database.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	if migrate {
		n, err := db.Migrate(ctx)
		if err != nil {
			_ = db.Close()
			return nil, err
		}
		slog.Info("migrations applied", "count", n)
	}
	return db, nil
}

// signInOptions sets the options of sessions and sign-in abuse: the hashing
// queue, the client address behind trusted proxies, the sign-up switch and
// the rate limits, counted in Redis when a URL is set so that replicas
// limit together. It returns what closes the Redis connection.
func signInOptions(ctx context.Context, c signInConfig, opts *server.Options) (func(), error) {
	addrs, err := auth.NewClientAddresses(c.trustedProxies)
	if err != nil {
		return nil, err
	}
	opts.ClientAddresses = addrs
	opts.Hasher = auth.NewHasher().WithQueue(c.hashSlots, c.hashWait)
	opts.SignUpOff = !c.signUp
	if c.redisURL == "" {
		opts.SignInLimits = auth.NewMemoryLimits(c.rates)
		return func() {}, nil
	}
	store, closer, err := auth.NewRedisStore(ctx, c.redisURL, "caseload:limits")
	if err != nil {
		return nil, err
	}
	opts.SignInLimits = auth.NewLimits(store, c.rates)
	slog.Info("login and sign-up limits count in Redis")
	return func() { _ = closer.Close() }, nil
}
