package rule

import (
	"entgo.io/ent/dialect/sql"

	"caseload/ent/predicate"
)

// reach is the set of clients a rule reaches, as SQL: either every client of
// the practice, or those matching pred. A zero reach reaches nobody.
type reach struct {
	all  bool
	pred predicate.ClientRecord
}

// none reports whether the rule reaches nobody for this viewer.
func (r reach) none() bool { return !r.all && r.pred == nil }

func everyClient() reach                          { return reach{all: true} }
func clientsWhere(p predicate.ClientRecord) reach { return reach{pred: p} }

// noClient matches no client at all.
func noClient() predicate.ClientRecord {
	return func(s *sql.Selector) { s.Where(sql.False()) }
}
