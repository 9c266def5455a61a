package server_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"caseload/ent"
	"caseload/ent/database"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// hookDriver runs hook before every statement outside transactions; a
// non-nil error from hook is the statement's.
type hookDriver struct {
	dialect.Driver
	hook func(ctx context.Context, query string) error
}

// Query runs the hook, then the statement.
func (d hookDriver) Query(ctx context.Context, q string, args, v any) error {
	if err := d.hook(ctx, q); err != nil {
		return err
	}
	return d.Driver.Query(ctx, q, args, v)
}

// Exec runs the hook, then the statement.
func (d hookDriver) Exec(ctx context.Context, q string, args, v any) error {
	if err := d.hook(ctx, q); err != nil {
		return err
	}
	return d.Driver.Exec(ctx, q, args, v)
}

// hooked is an Ent client on e's database whose statements go through hook.
func hooked(e *graphtest.Env, hook func(ctx context.Context, query string) error) *ent.Client {
	return database.NewClient(hookDriver{Driver: e.DB.Driver(), hook: hook})
}

// readsClients reports whether a statement reads the clients table.
func readsClients(q string) bool {
	return strings.Contains(q, "FROM `clients`") || strings.Contains(q, `FROM "clients"`)
}

// waitForCancel is a hook that holds every read of the clients table until
// the request's context ends, and reports how it ended.
func waitForCancel(started chan<- struct{}, ended chan<- error) func(context.Context, string) error {
	return func(ctx context.Context, q string) error {
		if !readsClients(q) {
			return nil
		}
		started <- struct{}{}
		select {
		case <-ctx.Done():
			ended <- ctx.Err()
			return ctx.Err()
		case <-time.After(30 * time.Second):
			ended <- errors.New("the statement's context was never cancelled")
			return nil
		}
	}
}

// awaitRead waits for the hook to hold a read of the clients table, and
// fails the test, rather than hang it, if the request sent none.
func awaitRead(t *testing.T, started <-chan struct{}) {
	t.Helper()
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the request read no clients: nothing to cancel")
	}
}

// The request's deadline reaches the database queries of its resolvers: a
// page's, and a kept count's selected alone (ent/rule/count_maintained.go,
// run through the client's driver), whose clients outside the kept row it
// reads.
func TestDeadline_CancelsDatabaseQueries(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	role := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View},
		[]access.Capability{access.AccessAllClients})
	e.NewClient(p)
	for _, c := range []struct {
		name  string
		who   *ent.Member
		query string
	}{
		{"an admin's page", e.Member(p, graphtest.Admin()), `{ clients(first: 5) { edges { node { name } } } }`},
		{"ACCESS_ALL_CLIENTS's count alone", e.Member(p, graphtest.Administrative(), graphtest.WithRole(role)), `{ clients { totalCount } }`},
	} {
		t.Run(c.name, func(t *testing.T) {
			started, ended := make(chan struct{}, 10), make(chan error, 10)
			h := limited(e, server.Limits{Timeout: 300 * time.Millisecond}, hooked(e, waitForCancel(started, ended)))
			start := time.Now()
			got := post(t, h, e.Token(c.who), c.query, nil)
			elapsed := time.Since(start)
			awaitRead(t, started)
			if err := <-ended; !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("the statement ended with %v, want the request's deadline", err)
			}
			if elapsed > 5*time.Second {
				t.Fatalf("the request took %s under a 300ms deadline", elapsed)
			}
			if got.executed() && !strings.Contains(string(got.Data), "null") || len(got.Errors) == 0 {
				t.Fatalf("want an error for the cancelled field: %s", got.raw)
			}
		})
	}
}

// A caller hanging up cancels its request's work, database queries included.
func TestDeadline_CallerHangingUpCancelsTheWork(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	token := e.Token(e.Member(p, graphtest.Admin()))
	e.NewClient(p)
	started, ended := make(chan struct{}, 10), make(chan error, 10)
	srv := httptest.NewServer(limited(e, server.Limits{Timeout: time.Minute}, hooked(e, waitForCancel(started, ended))))
	defer srv.Close()

	ctx, hangUp := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/graphql",
		bytes.NewReader([]byte(`{"query":"{ clients(first: 5) { edges { node { name } } } }"}`)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_ = resp.Body.Close()
		}
	}()
	awaitRead(t, started)
	hangUp()
	select {
	case err := <-ended:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("the statement ended with %v, want the caller's cancellation", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the statement went on after the caller hung up")
	}
	<-done
}
