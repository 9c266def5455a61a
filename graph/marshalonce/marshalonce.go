// Package marshalonce writes a value that recurs in one response once and
// copies its bytes wherever it recurs (issue P).
//
// A caseload page asks every client's viewerAccess: the level, the rules,
// four flags and six sections. Most clients of a page share one answer
// (every client is EDIT to an admin, most are VIEW to a tag-restricted
// role), yet gqlgen marshals each of them as new objects: a field
// collection, a field set, a field context and a context per field, for
// 50 × 7 objects of a page. That was a sixth of the CPU the Go process
// spent on a page.
//
// So a resolver that knows two of its answers are equal returns the same
// pointer for both (Intern), and code generation (ent/entc_once.go) makes
// the executor marshal such a type through Object, which writes a pointer
// once per selection set and request and copies the bytes after that. The
// value must be plain data: its fields run no resolver, no directive and no
// query, so that the bytes cannot depend on where in the response they
// stand. An answer that carried an error or was null is never copied: its
// errors belong to its own path. A fragment under @defer is answered in
// place (graph/inlinedefer), so no part of a copied value arrives later.
package marshalonce

import (
	"bytes"
	"context"
	"io"
	"reflect"
	"slices"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

type storeKey struct{}

// store is one request's: written values by pointer, and interned values
// by the key their resolver gave.
type store struct {
	mu       sync.Mutex
	written  map[any][]written
	interned map[internKey]any
}

// internKey is a resolver's key within its type, so that two types'
// equal keys stay apart.
type internKey struct {
	typ reflect.Type
	key string
}

// written is the bytes of one value under one selection set.
type written struct {
	sel ast.SelectionSet
	raw *rawJSON
}

// With returns a context under which Object and Intern remember values
// until the request ends. Without it both do nothing of their own.
func With(ctx context.Context) context.Context {
	return context.WithValue(ctx, storeKey{}, &store{written: map[any][]written{}, interned: map[internKey]any{}})
}

func from(ctx context.Context) *store {
	s, _ := ctx.Value(storeKey{}).(*store)
	return s
}

// Intern returns the value the request first interned under key, or
// build's value, now interned. The key must hold everything the value
// shows: two values under one key are marshalled as one.
func Intern[T any](ctx context.Context, key []byte, build func() *T) *T {
	s := from(ctx)
	if s == nil {
		return build()
	}
	k := internKey{typ: reflect.TypeFor[T](), key: string(key)}
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.interned[k].(*T); ok {
		return v
	}
	v := build()
	s.interned[k] = v
	return v
}

// Object marshals v with marshal, as the generated executor would, the
// first time the request marshals v under sel; after that it writes the
// same bytes again. See the package comment for the values it may take.
func Object[T any](ctx context.Context, sel ast.SelectionSet, v *T,
	marshal func(context.Context, ast.SelectionSet, *T) graphql.Marshaler) graphql.Marshaler {
	s := from(ctx)
	if s == nil || v == nil {
		return marshal(ctx, sel, v)
	}
	s.mu.Lock()
	for _, w := range s.written[v] {
		if slices.Equal(w.sel, sel) {
			s.mu.Unlock()
			return w.raw
		}
	}
	s.mu.Unlock()
	out := marshal(ctx, sel, v)
	if out == graphql.Null || errorsUnder(ctx) {
		return out
	}
	var b bytes.Buffer
	out.MarshalGQL(&b)
	raw := &rawJSON{b: b.Bytes()}
	s.mu.Lock()
	s.written[v] = append(s.written[v], written{sel: sel, raw: raw})
	s.mu.Unlock()
	return raw
}

// rawJSON is a value's bytes, written as they are. It is a pointer, so
// that the executor's comparisons with graphql.Null stay comparisons.
type rawJSON struct{ b []byte }

// MarshalGQL implements graphql.Marshaler.
func (r *rawJSON) MarshalGQL(w io.Writer) { _, _ = w.Write(r.b) }

// errorsUnder reports whether marshalling the field of ctx noted an error
// on its path or below: that error belongs to this path alone.
func errorsUnder(ctx context.Context) bool {
	fc := graphql.GetFieldContext(ctx)
	return fc != nil && graphql.HasFieldError(ctx, fc)
}
