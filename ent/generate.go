// Package ent holds the Ent schemas (ent/schema), the privacy rules
// (ent/rule), the viewer (ent/viewer) and, everywhere else in this directory,
// code generated from them by `go generate ./...`. Never edit generated files.
package ent

//go:generate go run -mod=mod entc.go entc_rewrite.go entc_lists.go entc_once.go entc_defer.go entc_fields.go entc_collect.go entc_plain.go entc_objects.go entc_aliases.go
