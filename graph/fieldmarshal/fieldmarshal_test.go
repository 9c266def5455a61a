package fieldmarshal

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	entgo "entgo.io/ent"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"caseload/ent/querycount"
	"caseload/graph/listmarshal"
)

// object is one object's field set as a generated marshaller makes it,
// with its fields resolved through one InOrder.
type object struct {
	ctx      context.Context
	oc       *graphql.OperationContext
	out      *graphql.FieldSet
	deferred graphql.DeferredGroup
	inOrder  InOrder
	ran      []int // the fields whose resolver has run, in order
}

// inOrderedList runs f as element 0 of a list that graph/listmarshal
// marshals one element after another, with the element's context.
func inOrderedList(ctx context.Context, f func(ctx context.Context)) {
	listmarshal.MarshalSlice(ctx, 2, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		if i == 0 {
			f(ctx)
		}
		return graphql.MarshalInt(i)
	})
}

func newObject(ctx context.Context, n int) *object {
	fields := make([]graphql.CollectedField, n)
	for i := range fields {
		name := "f" + strconv.Itoa(i)
		fields[i].Field = &ast.Field{Alias: name, Name: name}
	}
	return &object{
		ctx: ctx,
		oc: &graphql.OperationContext{RecoverFunc: func(_ context.Context, r any) error {
			return errors.New("internal system error")
		}},
		out:      graphql.NewFieldSet(fields),
		deferred: graphql.DeferredGroup{Context: ctx},
	}
}

// resolve resolves field i, nullable unless nonNull, with work run by its
// resolver; the resolver's value is the field's index.
func (o *object) resolve(i int, nonNull bool, work func(ctx context.Context) graphql.Marshaler) {
	o.inOrder.Resolve(o.ctx, o.out, o.oc, &o.deferred, i, true, nonNull, func(ctx context.Context) graphql.Marshaler {
		o.ran = append(o.ran, i)
		if work != nil {
			if v := work(ctx); v != nil {
				return v
			}
		}
		return graphql.MarshalInt(i)
	})
}

// query runs one query through the counting interceptor every server
// client has, as a resolver's lazy edge load would.
func query(ctx context.Context) graphql.Marshaler {
	q := querycount.Interceptor{}.Intercept(entgo.QuerierFunc(func(context.Context, entgo.Query) (entgo.Value, error) { return nil, nil }))
	_, _ = q.Query(ctx, nil)
	return nil
}

// text is the JSON the object writes.
func (o *object) text() string {
	var b bytes.Buffer
	o.out.MarshalGQL(&b)
	return b.String()
}

func TestFieldsWithoutQueries_ResolvedInOrderBeforeDispatch(t *testing.T) {
	inOrderedList(context.Background(), func(ctx context.Context) {
		o := newObject(ctx, 4)
		for i := range 4 {
			o.resolve(i, true, nil)
			if !slices.Equal(o.ran, []int{0, 1, 2, 3}[:i+1]) {
				t.Fatalf("after field %d was resolved, the resolvers run were %v", i, o.ran)
			}
		}
		o.out.Dispatch(o.ctx)
		if got := o.text(); got != `{"f0":0,"f1":1,"f2":2,"f3":3}` {
			t.Fatalf("object %s", got)
		}
		if o.out.Invalids != 0 {
			t.Fatalf("%d invalid fields, want none", o.out.Invalids)
		}
	})
}

func TestObjectOutsideAnOrderedList_GqlgensResolution(t *testing.T) {
	// A detail view's client: its fields that query wait together.
	o := newObject(context.Background(), 2)
	o.resolve(0, true, nil)
	o.resolve(1, true, nil)
	if len(o.ran) != 0 {
		t.Fatalf("resolvers %v ran before dispatch outside a list marshalled in order", o.ran)
	}
	o.out.Dispatch(o.ctx)
	if got := o.text(); got != `{"f0":0,"f1":1}` {
		t.Fatalf("object %s", got)
	}
}

func TestFieldThatQueries_RestWaitTogether(t *testing.T) {
	for _, panics := range []bool{false, true} {
		t.Run("panicsAfterQuery="+strconv.FormatBool(panics), func(t *testing.T) {
			ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, nil)
			inOrderedList(ctx, func(ctx context.Context) {
				o := newObject(ctx, 4)
				var mu sync.Mutex
				inFlight, most := 0, 0
				overlap := func(context.Context) graphql.Marshaler {
					mu.Lock()
					inFlight++
					most = max(most, inFlight)
					mu.Unlock()
					time.Sleep(20 * time.Millisecond)
					mu.Lock()
					inFlight--
					mu.Unlock()
					return nil
				}
				o.resolve(0, false, nil)
				o.resolve(1, false, func(ctx context.Context) graphql.Marshaler {
					query(ctx)
					if panics {
						panic("field 1")
					}
					return nil
				})
				o.resolve(2, false, overlap)
				o.resolve(3, false, overlap)
				if !slices.Equal(o.ran, []int{0, 1}) {
					t.Fatalf("before dispatch the resolvers run were %v: the fields after a query must wait for Dispatch", o.ran)
				}
				o.out.Dispatch(o.ctx)
				if most != 2 {
					t.Errorf("the fields after the query did not wait together (at most %d in flight)", most)
				}
				want := `{"f0":0,"f1":1,"f2":2,"f3":3}`
				if panics {
					want = `{"f0":0,"f1":null,"f2":2,"f3":3}`
				}
				if got := o.text(); got != want {
					t.Fatalf("object %s, want %s", got, want)
				}
			})
		})
	}
}

func TestQueryOfTheObjectsField_CountsForTheEnclosingList(t *testing.T) {
	// graph/listmarshal hands a list's rest to gqlgen once an element has
	// run a query: a query under a field resolved here must reach the
	// list's counter, and a counter above it.
	ctx, request := querycount.Under(context.Background())
	inOrderedList(ctx, func(ctx context.Context) {
		o := newObject(ctx, 2)
		o.resolve(0, true, nil)
		o.resolve(1, true, query)
	})
	if request.N() != 1 {
		t.Fatalf("the enclosing counter saw %d queries, want 1", request.N())
	}
}

func TestPanickingField_NullWithItsError(t *testing.T) {
	for _, nonNull := range []bool{false, true} {
		t.Run("nonNull="+strconv.FormatBool(nonNull), func(t *testing.T) {
			ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, nil)
			inOrderedList(ctx, func(ctx context.Context) {
				o := newObject(ctx, 3)
				o.resolve(0, true, nil)
				o.resolve(1, nonNull, func(context.Context) graphql.Marshaler { panic("field 1") })
				o.resolve(2, true, nil)
				if !slices.Equal(o.ran, []int{0, 1, 2}) {
					t.Fatalf("before dispatch the resolvers run were %v: a panic is no query", o.ran)
				}
				o.out.Dispatch(o.ctx)
				if got := o.text(); got != `{"f0":0,"f1":null,"f2":2}` {
					t.Fatalf("object %s: want only f1 null", got)
				}
				// A null non-null field makes the object null; a nullable one
				// does not.
				if want := map[bool]uint32{false: 0, true: 1}[nonNull]; o.out.Invalids != want {
					t.Fatalf("%d invalid fields, want %d", o.out.Invalids, want)
				}
			})
			errs := graphql.GetErrors(ctx)
			if len(errs) != 1 || errs[0].Message != "internal system error" {
				t.Fatalf("errors %v: want the recovered panic's", errs)
			}
		})
	}
}

func TestInvalidValues_CountedAsGqlgenCountsThem(t *testing.T) {
	for _, c := range []struct {
		name    string
		nonNull bool
		value   graphql.Marshaler
		invalid uint32
	}{
		{"null of a non-null field", true, graphql.Null, 1},
		{"null of a nullable field", false, graphql.Null, 0},
		{"required null under a nullable field", false, graphql.RequiredNull, 1},
		{"required null under a non-null field", true, graphql.RequiredNull, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, queried := range []bool{false, true} {
				inOrderedList(context.Background(), func(ctx context.Context) {
					o := newObject(ctx, 2)
					if queried {
						o.resolve(0, true, query) // field 1 is then gqlgen's
					} else {
						o.resolve(0, true, nil)
					}
					o.resolve(1, c.nonNull, func(context.Context) graphql.Marshaler { return c.value })
					o.out.Dispatch(o.ctx)
					if o.out.Invalids != c.invalid {
						t.Fatalf("queried first %v: %d invalid fields, want %d", queried, o.out.Invalids, c.invalid)
					}
				})
			}
		})
	}
}

func TestObjectWithDeferredFields_GqlgensResolution(t *testing.T) {
	inOrderedList(context.Background(), func(ctx context.Context) {
		o := newObject(ctx, 2)
		o.deferred = graphql.NewDeferredGroup(o.ctx)
		o.resolve(0, true, nil)
		o.resolve(1, true, nil)
		if len(o.ran) != 0 {
			t.Fatalf("resolvers %v ran before dispatch in an object with deferred fields", o.ran)
		}
		o.out.Dispatch(o.ctx)
		if got := o.text(); got != `{"f0":0,"f1":1}` {
			t.Fatalf("object %s", got)
		}
	})
}
