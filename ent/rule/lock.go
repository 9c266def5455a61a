package rule

import (
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
)

// LockRows locks the selected rows until the transaction ends, so that two
// concurrent checks cannot both pass (two admins demoting each other). On
// SQLite every write transaction is already exclusive (BEGIN IMMEDIATE), and
// FOR UPDATE does not exist.
func LockRows(s *sql.Selector) {
	if s.Dialect() == dialect.Postgres {
		s.ForUpdate()
	}
}

// LockRowsNoKey locks the selected rows against other changes until the
// transaction ends, like LockRows, but on PostgreSQL as FOR NO KEY UPDATE:
// it does not block the inserts that merely reference the row (a practice's
// new clients, a practitioner's new appointments), so that holding it
// cannot deadlock with them.
func LockRowsNoKey(s *sql.Selector) {
	if s.Dialect() == dialect.Postgres {
		s.For(sql.LockNoKeyUpdate)
	}
}
