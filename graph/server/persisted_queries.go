package server

import (
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
)

// persistedQueryCacheSize bounds the automatic persisted queries each
// executor remembers: a front end has tens of operations, and a caller who
// registers junk only pushes old entries out of a bounded LRU.
const persistedQueryCacheSize = 1000

// usePersistedQueries turns on automatic persisted queries (the Apollo
// protocol the mobile app's client speaks): a request may send only
// extensions.persistedQuery.sha256Hash; an unknown hash answers the
// protocol's "PersistedQueryNotFound" message (with the contract's
// BAD_USER_INPUT code), and the client sends the query once with its hash.
// A registered query goes through every limit and rule as any other: the
// hash only saves the bytes.
func usePersistedQueries(srv *handler.Server) {
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](persistedQueryCacheSize)})
}
