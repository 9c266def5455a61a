// Package objectmarshal writes a GraphQL object's fields as gqlgen's field
// set writes them, without its per-object and per-field allocations
// (issue P).
//
// gqlgen's graphql.FieldSet writes an object through an iterator that
// copies every field's collected field (about 200 bytes) to the heap, and
// a map per object to skip repeated keys: on a caseload page of 50
// clients, about 700 objects, that was a twentieth of the Go CPU. Code
// generation (ent/entc_objects.go) makes every generated object marshaller
// return Of(out, fields) where gqlgen's template returns its field set
// out, once the field set's values are all resolved.
package objectmarshal

import (
	"io"

	"github.com/99designs/gqlgen/graphql"
)

// object is an object's collected fields and their values, index by index.
type object struct {
	fields []graphql.CollectedField
	values []graphql.Marshaler
}

// Of returns the object out, the field set graphql.NewFieldSet(fields)
// made and whose values are all resolved, to be written by this package.
// A field set whose values no longer match fields index by index (gqlgen's
// AddField, which the generated executor does not call) is returned as is.
func Of(out *graphql.FieldSet, fields []graphql.CollectedField) graphql.Marshaler {
	if len(out.Values) != len(fields) {
		return out
	}
	return &object{fields: fields, values: out.Values}
}

// linearUpTo is how many fields an object may have for repeated keys to be
// found by comparing each with those before it; a wider one (many aliases)
// uses a map, so that a hostile query's cost stays linear.
const linearUpTo = 32

var (
	openBrace  = []byte{'{'}
	closeBrace = []byte{'}'}
	comma      = []byte{','}
	quote      = []byte{'"'}
	quoteColon = []byte{'"', ':'}
)

// MarshalGQL writes the object as graphql.FieldSet.MarshalGQL does: its
// fields in order, each key once (the first field of a repeated key wins),
// with no field context of its own.
func (o *object) MarshalGQL(w io.Writer) {
	var seen map[string]bool
	if len(o.fields) > linearUpTo {
		seen = make(map[string]bool, len(o.fields))
	}
	_, _ = w.Write(openBrace)
	first := true
	for i := range o.fields {
		alias := o.fields[i].Alias
		if seen != nil {
			if seen[alias] {
				continue
			}
			seen[alias] = true
		} else if repeated(o.fields[:i], alias) {
			continue
		}
		if !first {
			_, _ = w.Write(comma)
		}
		first = false
		writeKey(w, alias)
		o.values[i].MarshalGQL(w)
	}
	_, _ = w.Write(closeBrace)
}

// repeated reports whether one of fields has the key alias.
func repeated(fields []graphql.CollectedField, alias string) bool {
	for i := range fields {
		if fields[i].Alias == alias {
			return true
		}
	}
	return false
}

// writeKey writes "alias": as JSON. A GraphQL name (the only key the
// parser lets through) needs no escaping; anything else is escaped as
// gqlgen escapes it.
func writeKey(w io.Writer, alias string) {
	if !isName(alias) {
		graphql.MarshalString(alias).MarshalGQL(w)
		_, _ = w.Write(quoteColon[1:])
		return
	}
	_, _ = w.Write(quote)
	_, _ = io.WriteString(w, alias)
	_, _ = w.Write(quoteColon)
}

// isName reports whether s is a GraphQL name: /[_A-Za-z][_0-9A-Za-z]*/.
func isName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
