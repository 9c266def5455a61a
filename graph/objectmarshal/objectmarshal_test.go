package objectmarshal_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"caseload/graph/objectmarshal"
)

// fieldSet is a resolved field set of the given keys, each field's value
// naming its index, as the generated executor leaves one.
func fieldSet(keys []string) (*graphql.FieldSet, []graphql.CollectedField) {
	fields := make([]graphql.CollectedField, len(keys))
	for i, k := range keys {
		fields[i] = graphql.CollectedField{Field: &ast.Field{Alias: k, Name: k}}
	}
	out := graphql.NewFieldSet(fields)
	for i := range keys {
		out.Values[i] = graphql.MarshalString(fmt.Sprint("v", i))
	}
	return out, fields
}

func written(m graphql.Marshaler) string {
	var b bytes.Buffer
	m.MarshalGQL(&b)
	return b.String()
}

// An object is written byte for byte as gqlgen's field set writes it:
// keys in order, a repeated key once with its first value, however many
// fields (the map past linearUpTo included), keys that are not GraphQL
// names escaped.
func TestOf_WritesWhatGqlgensFieldSetWrites(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	names := []string{"id", "name", "a", "_b", "c9", "tags", "x"}
	cases := [][]string{
		{},
		{"id"},
		{"id", "name", "id"},
		{"a\"b", "<c>", "ü", "", "9a"},
	}
	for range 300 {
		n := r.IntN(80)
		keys := make([]string, n)
		for i := range keys {
			// Few names for many fields: plenty of repeated keys.
			keys[i] = names[r.IntN(len(names))] + fmt.Sprint(r.IntN(1+n/4))
		}
		cases = append(cases, keys)
	}
	for _, keys := range cases {
		out, fields := fieldSet(keys)
		want := written(out)
		if got := written(objectmarshal.Of(out, fields)); got != want {
			t.Fatalf("keys %q:\n got %s\nwant %s", keys, got, want)
		}
	}
}

// A field set whose values no longer line up with the collected fields is
// left to gqlgen to write.
func TestOf_FieldSetThatGrew_IsGqlgens(t *testing.T) {
	out, fields := fieldSet([]string{"id", "name"})
	out.AddField(graphql.CollectedField{Field: &ast.Field{Alias: "more", Name: "more"}})
	out.Values[2] = graphql.MarshalString("v2")
	if m := objectmarshal.Of(out, fields); m != graphql.Marshaler(out) {
		t.Fatalf("Of wrote a grown field set itself: %s", written(m))
	}
}
