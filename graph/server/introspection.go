package server

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// introspection turns schema introspection on or off for the callers of one
// executor: on for members by default, so that GraphiQL and code generators
// work, and off for callers without a token unless configured
// (Limits.AnonymousIntrospection). A refused __schema or __type never gets
// here: edgeLimits answers it with a typed error first.
type introspection struct{ enabled bool }

var (
	_ graphql.HandlerExtension        = introspection{}
	_ graphql.OperationContextMutator = introspection{}
)

// ExtensionName names the extension in gqlgen's stats.
func (introspection) ExtensionName() string { return "CaseloadIntrospection" }

// Validate accepts every schema.
func (introspection) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext applies the setting to the operation.
func (i introspection) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	oc.DisableIntrospection = !i.enabled
	return nil
}
