package rule

import (
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"caseload/ent/clientrecord"
	"caseload/ent/predicate"
)

// clientsIn matches clients whose id is among those a query on another table
// returns, for sets that can be large (every client with a tag). The
// subquery is uncorrelated, so PostgreSQL runs it once as a hashed subplan,
// not once per client row as a correlated EXISTS under OR would.
func clientsIn(table, clientColumn string, where func(t *sql.SelectTable) *sql.Predicate) predicate.ClientRecord {
	return func(s *sql.Selector) {
		s.Where(sql.In(s.C(clientrecord.FieldID), subquery(s, table, clientColumn, where)))
	}
}

// clientsWithRow is the clients for which table has a row satisfying
// where, tested client by client: a probe of the row's index, which a query
// that stops after a page evaluates only for the clients it returns. It is
// written as a scalar subquery with LIMIT 1, not EXISTS: PostgreSQL may
// turn an EXISTS beside other rules into a hashed subplan that reads every
// matching row of the practice first (the whole tag, at 100,000 clients
// 33,000 rows twice), which a scalar subquery never becomes.
func clientsWithRow(table, clientColumn string, where func(t *sql.SelectTable) *sql.Predicate) predicate.ClientRecord {
	return func(s *sql.Selector) {
		t := sql.Table(table)
		probe := sql.Dialect(s.Dialect()).Select().AppendSelectExpr(sql.Expr("true")).From(t).
			Where(sql.And(sql.ColumnsEQ(t.C(clientColumn), s.C(clientrecord.FieldID)), where(t))).Limit(1)
		s.Where(sql.P(func(b *sql.Builder) {
			b.WriteString("COALESCE((").Join(probe).WriteString("), false)")
		}))
	}
}

// clientsAmongFew is clientsIn for the small sets that are personal to the
// viewer (their care teams, shares, emergency grants). On PostgreSQL it is
// written id = ANY(ARRAY(subquery)): the array is computed first and the
// primary key serves it, so these rules combine as a BitmapOr of index scans
// instead of a filter over every client of the practice. On a practice of
// 10,000 clients that keeps a practitioner's page as cheap as an admin's. For
// large sets the hashed IN is faster: an array is searched linearly.
func clientsAmongFew(table, clientColumn string, where func(t *sql.SelectTable) *sql.Predicate) predicate.ClientRecord {
	return func(s *sql.Selector) {
		sub := subquery(s, table, clientColumn, where)
		if s.Dialect() != dialect.Postgres {
			s.Where(sql.In(s.C(clientrecord.FieldID), sub))
			return
		}
		s.Where(sql.P(func(b *sql.Builder) {
			b.Ident(s.C(clientrecord.FieldID)).WriteString(" = ANY(ARRAY(").Join(sub).WriteString("))")
		}))
	}
}

func subquery(s *sql.Selector, table, column string, where func(t *sql.SelectTable) *sql.Predicate) *sql.Selector {
	t := sql.Table(table)
	return sql.Dialect(s.Dialect()).Select(t.C(column)).From(t).Where(where(t))
}
