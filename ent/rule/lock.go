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
