// Package model holds the GraphQL types that are not Ent entities; gqlgen
// generates them into models_gen.go.
package model
