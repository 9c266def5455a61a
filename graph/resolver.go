package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"caseload/ent"
	"caseload/graph/auth"
	"caseload/graph/directive"
	"caseload/graph/generated"
)

// Resolver holds what every resolver needs. Resolvers stay thin: they read
// the viewer from the context and delegate to Ent, whose privacy rules decide
// what is seen and changed.
type Resolver struct {
	client        *ent.Client
	hasher        *auth.Hasher
	tokens        *auth.Tokens
	invitationTTL time.Duration
	limiter       *auth.LoginLimiter
}

// Config is what NewSchema needs.
type Config struct {
	Client *ent.Client
	Hasher *auth.Hasher
	Tokens *auth.Tokens
	// InvitationTTL is how long an invitation can be accepted; 7 days if zero.
	InvitationTTL time.Duration
	// LoginLimiter slows password guessing; 5 attempts, then one per 12
	// seconds per email, if nil.
	LoginLimiter *auth.LoginLimiter
}

// NewSchema returns the executable schema with its resolvers and directives.
func NewSchema(cfg Config) graphql.ExecutableSchema {
	if cfg.InvitationTTL == 0 {
		cfg.InvitationTTL = 7 * 24 * time.Hour
	}
	if cfg.LoginLimiter == nil {
		cfg.LoginLimiter = auth.NewLoginLimiter(12*time.Second, 5)
	}
	return generated.NewExecutableSchema(generated.Config{
		Resolvers: &Resolver{
			client:        cfg.Client,
			hasher:        cfg.Hasher,
			tokens:        cfg.Tokens,
			invitationTTL: cfg.InvitationTTL,
			limiter:       cfg.LoginLimiter,
		},
		Directives: directive.Root(),
	})
}

// db returns the request's transactional client inside a mutation, and the
// plain client otherwise.
func (r *Resolver) db(ctx context.Context) *ent.Client {
	if c := ent.FromContext(ctx); c != nil {
		return c
	}
	return r.client
}
