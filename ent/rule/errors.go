package rule

import "errors"

// errNoClient is returned when a decision is needed outside a request that
// carries a database client: a programming error, never a user's.
var errNoClient = errors.New("rule: no ent client in context")
