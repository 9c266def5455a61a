package graph

// docs/schema.graphql is the whole schema for front ends and code
// generators; go generate runs this after ent/ has regenerated gqlgen.
//go:generate go run ../cmd/schemaprint -o ../docs/schema.graphql

import (
	"context"
	"crypto/rand"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"caseload/ent"
	"caseload/ent/txn"
	"caseload/graph/auth"
	"caseload/graph/booking"
	"caseload/graph/directive"
	"caseload/graph/email"
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
	limits        *auth.Limits
	signUpOff     bool
	publicURL     string
	booking       *booking.Service
	auditKey      []byte
	mail          *email.Outbox
	confirmSignUp bool
	dialect       string
}

// Config is what NewSchema needs.
type Config struct {
	Client *ent.Client
	Hasher *auth.Hasher
	Tokens *auth.Tokens
	// InvitationTTL is how long an invitation can be accepted; 7 days if zero.
	InvitationTTL time.Duration
	// SignInLimits rate-limit logins and sign-ups per client address and
	// per (address, account); in memory with auth.DefaultRates if nil.
	SignInLimits *auth.Limits
	// SignUpOff makes signUp answer FORBIDDEN: a self-hosted clinic's
	// members join by invitation only.
	SignUpOff bool
	// PublicURL is the address clinics link to, such as
	// https://caseload.example.com, that intake and booking links start
	// with; links are paths on this server when empty.
	PublicURL string
	// Booking books online; made from Client, SignInLimits and Tokens if
	// nil. The server's own booking page shares it.
	Booking *booking.Service
	// AuditKey checks the audit log's chain (auditIntegrity).
	AuditKey []byte
	// Mail is the outbox of invitations, password resets and
	// confirmations; one whose links are codes alone if nil.
	Mail *email.Outbox
	// ConfirmSignUps makes sign-up confirm the address by email
	// (requestSignUp, confirmSignUp) and refuses signUp: for a server
	// whose email really leaves it.
	ConfirmSignUps bool
	// Dialect is the database's (entgo.io/ent/dialect): what a few writes
	// lock with depends on it.
	Dialect string
}

// NewSchema returns the executable schema with its resolvers and directives.
func NewSchema(cfg Config) graphql.ExecutableSchema {
	if cfg.InvitationTTL == 0 {
		cfg.InvitationTTL = 7 * 24 * time.Hour
	}
	if cfg.SignInLimits == nil {
		cfg.SignInLimits = auth.NewMemoryLimits(auth.DefaultRates)
	}
	if cfg.Mail == nil {
		cfg.Mail = email.NewOutbox("", cfg.PublicURL)
	}
	if cfg.Booking == nil {
		cfg.Booking = NewBookingService(cfg.SignInLimits, cfg.Tokens, cfg.Mail)
	}
	return generated.NewExecutableSchema(generated.Config{
		Resolvers: &Resolver{
			client:        cfg.Client,
			hasher:        cfg.Hasher,
			tokens:        cfg.Tokens,
			invitationTTL: cfg.InvitationTTL,
			limits:        cfg.SignInLimits,
			signUpOff:     cfg.SignUpOff,
			publicURL:     strings.TrimRight(cfg.PublicURL, "/"),
			booking:       cfg.Booking,
			auditKey:      cfg.AuditKey,
			mail:          cfg.Mail,
			confirmSignUp: cfg.ConfirmSignUps,
			dialect:       cfg.Dialect,
		},
		Directives: directive.Root(),
	})
}

// NewBookingService returns the online booking service: its limits are the
// public submission limits, its key signs manage links, and its
// confirmations go through mail.
func NewBookingService(limits *auth.Limits, tokens *auth.Tokens, mail *email.Outbox) *booking.Service {
	if tokens == nil {
		// A schema made only to be read (docs, tests of its shape) books
		// nothing; its links need no lasting key.
		key := make([]byte, 32)
		_, _ = rand.Read(key)
		return &booking.Service{Limits: limits, Key: key, Mail: mail}
	}
	return &booking.Service{Limits: limits, Key: tokens.Key("manage booking"), Mail: mail}
}

// db returns the request's transactional client inside a mutation, and the
// plain client otherwise.
func (r *Resolver) db(ctx context.Context) *ent.Client {
	if c := txn.Client(ctx); c != nil {
		return c
	}
	return r.client
}
