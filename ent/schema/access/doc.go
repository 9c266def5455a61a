// Package access holds the vocabulary of the access policy
// (docs/access-policy.md): levels, sections, capabilities, account types
// and client visibility. The Ent schemas store these types and the GraphQL
// schema exposes them as enums, so the words are the same everywhere.
package access
