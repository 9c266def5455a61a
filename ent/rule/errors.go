package rule

import "errors"

// errNoClient is returned when a decision is needed outside a request that
// carries a database client: a programming error, never a user's.
var errNoClient = errors.New("rule: no ent client in context")

// errNoCount is returned when the maintained count's statement answers no
// row: a programming error, never a user's.
var errNoCount = errors.New("rule: the maintained count answered no row")
