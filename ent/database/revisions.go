package database

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
)

// revisionsTable records which migrations ran. Atlas needs a revision store
// from its host; this one keeps each revision as JSON beside its version.
const revisionsTable = "schema_revisions"

// storedRevision is a revision as stored. Atlas's RevisionType marshals to a
// string it does not read back, so the type is kept as its number.
type storedRevision struct {
	Version         string        `json:"version"`
	Description     string        `json:"description"`
	Type            uint          `json:"type"`
	Applied         int           `json:"applied"`
	Total           int           `json:"total"`
	ExecutedAt      time.Time     `json:"executed_at"`
	ExecutionTime   time.Duration `json:"execution_time"`
	Error           string        `json:"error,omitempty"`
	ErrorStmt       string        `json:"error_stmt,omitempty"`
	Hash            string        `json:"hash"`
	PartialHashes   []string      `json:"partial_hashes,omitempty"`
	OperatorVersion string        `json:"operator_version"`
}

func encodeRevision(r *migrate.Revision) ([]byte, error) {
	return json.Marshal(storedRevision{
		Version: r.Version, Description: r.Description, Type: uint(r.Type), Applied: r.Applied, Total: r.Total,
		ExecutedAt: r.ExecutedAt, ExecutionTime: r.ExecutionTime, Error: r.Error, ErrorStmt: r.ErrorStmt,
		Hash: r.Hash, PartialHashes: r.PartialHashes, OperatorVersion: r.OperatorVersion,
	})
}

func decodeRevision(raw string) (*migrate.Revision, error) {
	var s storedRevision
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return nil, err
	}
	return &migrate.Revision{
		Version: s.Version, Description: s.Description, Type: migrate.RevisionType(s.Type), Applied: s.Applied, Total: s.Total,
		ExecutedAt: s.ExecutedAt, ExecutionTime: s.ExecutionTime, Error: s.Error, ErrorStmt: s.ErrorStmt,
		Hash: s.Hash, PartialHashes: s.PartialHashes, OperatorVersion: s.OperatorVersion,
	}, nil
}

type revisions struct {
	db      *sql.DB
	dialect string
	schema  string
}

func newRevisions(ctx context.Context, db *sql.DB, d string) (*revisions, error) {
	r := &revisions{db: db, dialect: d}
	if d == dialect.Postgres {
		// Atlas ignores the table only when told its schema too.
		if err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&r.schema); err != nil {
			return nil, err
		}
	}
	_, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+revisionsTable+` (version varchar(255) PRIMARY KEY, revision text NOT NULL)`)
	return r, err
}

// Ident tells Atlas to leave this table out of its checks of the schema.
func (r *revisions) Ident() *migrate.TableIdent {
	return &migrate.TableIdent{Name: revisionsTable, Schema: r.schema}
}

// ReadRevisions implements migrate.RevisionReadWriter, in version order.
func (r *revisions) ReadRevisions(ctx context.Context) ([]*migrate.Revision, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT revision FROM `+revisionsTable+` ORDER BY version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*migrate.Revision
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		rev, err := decodeRevision(raw)
		if err != nil {
			return nil, err
		}
		out = append(out, rev)
	}
	return out, rows.Err()
}

// ReadRevision implements migrate.RevisionReadWriter.
func (r *revisions) ReadRevision(ctx context.Context, version string) (*migrate.Revision, error) {
	var raw string
	err := r.db.QueryRowContext(ctx, r.bind(`SELECT revision FROM `+revisionsTable+` WHERE version = ?`), version).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, migrate.ErrRevisionNotExist
	}
	if err != nil {
		return nil, err
	}
	return decodeRevision(raw)
}

// WriteRevision implements migrate.RevisionReadWriter; a rerun overwrites.
func (r *revisions) WriteRevision(ctx context.Context, rev *migrate.Revision) error {
	raw, err := encodeRevision(rev)
	if err != nil {
		return err
	}
	_, err = r.db.ExecContext(ctx, r.bind(`INSERT INTO `+revisionsTable+` (version, revision) VALUES (?, ?)
		ON CONFLICT (version) DO UPDATE SET revision = excluded.revision`), rev.Version, string(raw))
	return err
}

// DeleteRevision implements migrate.RevisionReadWriter.
func (r *revisions) DeleteRevision(ctx context.Context, version string) error {
	_, err := r.db.ExecContext(ctx, r.bind(`DELETE FROM `+revisionsTable+` WHERE version = ?`), version)
	return err
}

// bind rewrites ? placeholders as $1, $2… for PostgreSQL.
func (r *revisions) bind(q string) string {
	if r.dialect != dialect.Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}
