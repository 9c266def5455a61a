package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"

	"caseload/ent/database"
)

// serviceFlags registers the settings that concern callers and operators
// beside the API itself: cross-origin callers and the metrics listener.
func serviceFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.corsOrigins, "cors-origins", "",
		"comma-separated browser origins allowed to call /graphql, e.g. https://app.example.org; none when empty")
	fs.StringVar(&c.metricsListen, "metrics-listen", "",
		"address serving Prometheus /metrics, apart from the API's; off when empty")
	fs.StringVar(&c.publicURL, "public-url", "",
		"the address clients reach the server at, e.g. https://caseload.example.org: intake and booking links start with it; paths when empty")
	fs.StringVar(&c.trustedDocuments, "trusted-documents", "",
		"JSON manifest of registered operations (SHA-256 to text, as GraphQL Code Generator writes it): when set, only those and the server's own anonymous operations run; automatic persisted queries are off")
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

// auditFlags registers where the audit log's key comes from (policy §9):
// the key signs every record and checkpoint, so it lives outside the
// database.
func auditFlags(set *flag.FlagSet, c *config) {
	set.StringVar(&c.auditKey, "audit-key", "",
		"key (at least 32 bytes) that signs the audit log's records and checkpoints; read from -audit-key-file when empty")
	set.StringVar(&c.auditKeyFile, "audit-key-file", "",
		"file holding the audit key, made with a random key on first start when missing; keep it apart from database backups. Default: beside the SQLite file (caseload.db.audit-key), or caseload-audit.key for PostgreSQL")
}

// auditKey returns the audit log's key: the setting, or the key file's
// content, making the file the first time.
func (c *config) auditKeyBytes() ([]byte, error) {
	if c.auditKey != "" {
		if len(c.auditKey) < 32 {
			return nil, fmt.Errorf("the audit key must be at least 32 bytes, got %d", len(c.auditKey))
		}
		return []byte(c.auditKey), nil
	}
	if c.auditKeyFile == "" {
		c.auditKeyFile = "caseload-audit.key"
		if !database.IsPostgres(c.databaseURL) {
			c.auditKeyFile = c.databaseURL + ".audit-key"
		}
	}
	b, err := os.ReadFile(c.auditKeyFile)
	if err == nil {
		if len(b) < 32 {
			return nil, fmt.Errorf("the audit key file %s holds %d bytes; it needs at least 32", c.auditKeyFile, len(b))
		}
		return b, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	hexKey := []byte(hex.EncodeToString(key))
	if err := os.WriteFile(c.auditKeyFile, hexKey, 0o600); err != nil {
		return nil, fmt.Errorf("making the audit key file: %w", err)
	}
	slog.Warn("made a new audit key: keep " + c.auditKeyFile + " safe and apart from the database; without it the audit log cannot be verified")
	return hexKey, nil
}
