package graphtest

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
)

// clientCountDrift lists every way client_counts, which the database's
// triggers keep, differs from counting the clients and their tags afresh:
// a practice or tag counted wrong, or not at all, or a count left behind.
// A tag counts only clients of its own practice (policy §1).
const clientCountDrift = `
SELECT x.id, x.clients, x.unrestricted, COALESCE(c.clients, -1), COALESCE(c.unrestricted, -1)
FROM (
  SELECT practice_id AS id, COUNT(*) AS clients, SUM(CASE WHEN restricted THEN 0 ELSE 1 END) AS unrestricted
  FROM clients GROUP BY practice_id
  UNION ALL
  SELECT t.tag_id, COUNT(*), SUM(CASE WHEN cl.restricted THEN 0 ELSE 1 END)
  FROM client_tags t JOIN clients cl ON cl.id = t.client_id
  JOIN tags tg ON tg.id = t.tag_id AND tg.practice_id = cl.practice_id GROUP BY t.tag_id
) x LEFT JOIN client_counts c ON c.id = x.id
WHERE c.id IS NULL OR c.clients <> x.clients OR c.unrestricted <> x.unrestricted
UNION ALL
SELECT cc.id, 0, 0, cc.clients, cc.unrestricted FROM client_counts cc
WHERE (cc.clients <> 0 OR cc.unrestricted <> 0)
  AND NOT EXISTS (SELECT 1 FROM clients WHERE practice_id = cc.id)
  AND NOT EXISTS (SELECT 1 FROM client_tags t JOIN clients cl ON cl.id = t.client_id
    JOIN tags tg ON tg.id = t.tag_id AND tg.practice_id = cl.practice_id WHERE t.tag_id = cc.id)`

// ClientCountDrift returns how client_counts differs from the clients and
// tags it counts, one line per counted practice or tag; none when exact.
func ClientCountDrift(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, clientCountDrift)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		var clients, unrestricted, keptClients, keptUnrestricted int64
		if err := rows.Scan(&id, &clients, &unrestricted, &keptClients, &keptUnrestricted); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%s: %d clients, %d unrestricted; kept %d and %d (-1: no row)",
			id, clients, unrestricted, keptClients, keptUnrestricted))
	}
	return out, rows.Err()
}

// RequireClientCountsExact fails the test if client_counts differs from
// the clients and tags it counts.
func RequireClientCountsExact(t testing.TB, db *sql.DB) {
	t.Helper()
	drift, err := ClientCountDrift(context.Background(), db)
	if err != nil {
		t.Fatalf("checking client_counts: %v", err)
	}
	if len(drift) > 0 {
		t.Fatalf("client_counts differs from the clients it counts:\n%v", drift)
	}
}
