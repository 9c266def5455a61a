package listmarshal

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	entgo "entgo.io/ent"
	"github.com/99designs/gqlgen/graphql"

	"caseload/ent/querycount"
)

// recorder notes when each element starts and ends, and checks that each
// ran under its own index.
type recorder struct {
	t        *testing.T
	mu       sync.Mutex
	events   []string
	inFlight int
	maxOf    map[int]int // element -> most elements in flight while it ran
}

func newRecorder(t *testing.T) *recorder { return &recorder{t: t, maxOf: map[int]int{}} }

// element marshals element i: it checks its index, runs work, and holds on
// long enough that elements running concurrently overlap.
func (r *recorder) element(work func(ctx context.Context, i int)) func(context.Context, int) graphql.Marshaler {
	return func(ctx context.Context, i int) graphql.Marshaler {
		if fc := graphql.GetFieldContext(ctx); fc == nil || fc.Index == nil || *fc.Index != i {
			r.t.Errorf("element %d marshalled under field context %+v", i, fc)
		}
		r.mu.Lock()
		r.events = append(r.events, "start "+strconv.Itoa(i))
		r.inFlight++
		r.maxOf[i] = max(r.maxOf[i], r.inFlight)
		r.mu.Unlock()
		if work != nil {
			work(ctx, i)
		}
		time.Sleep(20 * time.Millisecond)
		r.mu.Lock()
		r.maxOf[i] = max(r.maxOf[i], r.inFlight)
		r.inFlight--
		r.events = append(r.events, "end "+strconv.Itoa(i))
		r.mu.Unlock()
		return graphql.MarshalInt(i)
	}
}

// overlapped reports whether any of elements from to to-1 ran while
// another element was in flight.
func (r *recorder) overlapped(from, to int) bool {
	for i := from; i < to; i++ {
		if r.maxOf[i] > 1 {
			return true
		}
	}
	return false
}

// query runs one query through the counting interceptor every server
// client has, as a resolver's lazy edge load would.
func query(ctx context.Context) {
	q := querycount.Interceptor{}.Intercept(entgo.QuerierFunc(func(context.Context, entgo.Query) (entgo.Value, error) { return nil, nil }))
	_, _ = q.Query(ctx, nil)
}

// text is the JSON a value writes.
func text(v graphql.Marshaler) string {
	var b bytes.Buffer
	v.MarshalGQL(&b)
	return b.String()
}

// requireValues fails unless got holds each element's own value.
func requireValues(t *testing.T, got graphql.Array, n int) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("got %d values, want %d", len(got), n)
	}
	for i, v := range got {
		if text(v) != strconv.Itoa(i) {
			t.Fatalf("value %d is %s", i, text(v))
		}
	}
}

func TestElementsWithoutQueries_MarshalOneAfterAnother(t *testing.T) {
	r := newRecorder(t)
	got := MarshalSlice(context.Background(), 8, 0, false, r.element(nil))
	requireValues(t, got, 8)
	for i := range 8 {
		if r.events[2*i] != "start "+strconv.Itoa(i) || r.events[2*i+1] != "end "+strconv.Itoa(i) {
			t.Fatalf("elements did not run one after another: %v", r.events)
		}
	}
}

func TestElementThatQueries_RestWaitTogether(t *testing.T) {
	r := newRecorder(t)
	got := MarshalSlice(context.Background(), 8, 0, false, r.element(func(ctx context.Context, i int) {
		if i == 2 {
			query(ctx)
		}
	}))
	requireValues(t, got, 8)
	if r.overlapped(0, 3) {
		t.Errorf("elements before the query overlapped: %v", r.events)
	}
	if !r.overlapped(3, 8) {
		t.Errorf("after element 2 queried, the rest still ran one at a time: %v", r.events)
	}
}

func TestQueryOfAnotherField_ListStaysInOrder(t *testing.T) {
	// The list's counter is its own: a query a sibling field runs under
	// the request's context meanwhile is not one of its elements'.
	ctx, request := querycount.Under(context.Background())
	r := newRecorder(t)
	got := MarshalSlice(ctx, 8, 0, false, r.element(func(_ context.Context, i int) {
		if i == 1 {
			query(ctx)
		}
	}))
	requireValues(t, got, 8)
	if r.overlapped(0, 8) {
		t.Fatalf("elements overlapped: %v", r.events)
	}
	if request.N() != 1 {
		t.Fatalf("the request counted %d queries, want 1", request.N())
	}
}

func TestNestedListThatQueries_OuterRestWaitTogether(t *testing.T) {
	r := newRecorder(t)
	got := MarshalSlice(context.Background(), 6, 0, false, r.element(func(ctx context.Context, i int) {
		if i == 0 {
			MarshalSlice(ctx, 2, 0, false, func(ctx context.Context, j int) graphql.Marshaler {
				query(ctx)
				return graphql.MarshalInt(j)
			})
		}
	}))
	requireValues(t, got, 6)
	if !r.overlapped(1, 6) {
		t.Errorf("an inner list's queries did not count for the outer element: %v", r.events)
	}
}

func TestWorkerLimit_GqlgensMarshaller(t *testing.T) {
	r := newRecorder(t)
	got := MarshalSlice(context.Background(), 8, 4, false, r.element(nil))
	requireValues(t, got, 8)
	if !r.overlapped(0, 8) {
		t.Errorf("under a worker limit the elements ran one at a time: %v", r.events)
	}
}

func TestPanickingElement_NullWithItsError(t *testing.T) {
	for _, queryFirst := range []bool{false, true} {
		t.Run("fanOut="+strconv.FormatBool(queryFirst), func(t *testing.T) {
			ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter,
				func(context.Context, any) error { return errors.New("boom") })
			ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{}})
			got := MarshalSlice(ctx, 4, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
				if queryFirst && i == 0 {
					query(ctx)
				}
				if i == 2 {
					panic("element 2")
				}
				return graphql.MarshalInt(i)
			})
			if text(got) != "[0,1,null,3]" {
				t.Fatalf("values %s: want only element 2 null", text(got))
			}
			errs := graphql.GetErrors(ctx)
			if len(errs) != 1 || errs[0].Path.String() != "[2]" {
				t.Fatalf("errors %v: want one at index 2", errs)
			}
		})
	}
}

func TestInOrder_OnlyWhileElementsRunOneAfterAnother(t *testing.T) {
	if InOrder(context.Background()) != nil {
		t.Fatal("a context below no list is in order")
	}
	var mu sync.Mutex
	inOrder := map[int]bool{}
	MarshalSlice(context.Background(), 5, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		mu.Lock()
		inOrder[i] = InOrder(ctx) != nil
		mu.Unlock()
		if i == 1 {
			query(ctx)
		}
		return graphql.MarshalInt(i)
	})
	want := map[int]bool{0: true, 1: true, 2: false, 3: false, 4: false}
	for i, w := range want {
		if inOrder[i] != w {
			t.Errorf("element %d: in order %v, want %v (elements after a query wait together)", i, inOrder[i], w)
		}
	}
	MarshalSlice(context.Background(), 3, 2, false, func(ctx context.Context, i int) graphql.Marshaler {
		if InOrder(ctx) != nil {
			t.Errorf("element %d of a list under a worker limit is in order", i)
		}
		return graphql.MarshalInt(i)
	})
}
