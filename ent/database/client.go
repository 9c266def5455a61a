package database

import (
	"entgo.io/ent/dialect"

	"caseload/ent"
	"caseload/ent/querycount"
)

// NewClient is the Ent client over drv that the server uses: it counts its
// queries against the request's counters (ent/querycount), which is how
// graph/listmarshal tells a list whose elements wait on the database from
// one whose elements do not. Every client that serves requests is made
// here, before any query runs, so no query races the registration.
func NewClient(drv dialect.Driver) *ent.Client {
	client := ent.NewClient(ent.Driver(drv))
	client.Intercept(querycount.Interceptor{})
	return client
}
