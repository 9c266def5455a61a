package server_test

import (
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"caseload/graph/graphtest"
)

// cuttableProxy forwards TCP to PostgreSQL until cut, then refuses and
// resets every connection, as a database that went down would; restore
// brings it back on the same address.
type cuttableProxy struct {
	t      *testing.T
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  []net.Conn
}

func newCuttableProxy(t *testing.T, target string) *cuttableProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cuttableProxy{t: t, ln: ln, target: target}
	go p.serve()
	t.Cleanup(func() { _ = ln.Close(); p.cut() })
	return p
}

func (p *cuttableProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		down := p.down
		if !down {
			p.conns = append(p.conns, c)
		}
		p.mu.Unlock()
		if down {
			_ = c.Close()
			continue
		}
		go p.pipe(c)
	}
}

func (p *cuttableProxy) pipe(c net.Conn) {
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		_ = c.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, up)
	p.mu.Unlock()
	go func() { _, _ = io.Copy(up, c); _ = up.Close() }()
	_, _ = io.Copy(c, up)
	_ = c.Close()
}

// cut drops every open connection and refuses new ones.
func (p *cuttableProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.conns = nil
}

// restore accepts connections again.
func (p *cuttableProxy) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
}

// The contract: a database that cannot be reached gives HTTP 503 and
// UNAVAILABLE, which clients retry; the server recovers without a restart
// once the database is back.
func TestDatabaseOutage_Answers503UnavailableAndRecovers(t *testing.T) {
	proxy := newCuttableProxy(t, graphtest.PostgresAddr())
	e := graphtest.NewOn(t, graphtest.OpenPostgresVia(t, proxy.ln.Addr().String()))
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	token := e.Token(admin)
	e.NewClient(p)
	query := `{ clients(first: 10) { totalCount } }`
	e.Do(token, query, nil).RequireNoErrors(t)

	// Under load: requests in flight while the database goes away. Each
	// answers 200 (before the cut) or 503 (after), never anything else.
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		statuses = map[int]int{}
		stop     = make(chan struct{})
	)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				select {
				case <-stop:
					return
				default:
				}
				status := e.Do(token, query, nil).Status
				mu.Lock()
				statuses[status]++
				mu.Unlock()
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	proxy.cut()
	time.Sleep(300 * time.Millisecond)
	close(stop)
	wg.Wait()
	for status, n := range statuses {
		if status != http.StatusOK && status != http.StatusServiceUnavailable {
			t.Errorf("%d requests during the outage answered HTTP %d", n, status)
		}
	}
	if statuses[http.StatusServiceUnavailable] == 0 {
		t.Errorf("no request under load saw the outage: %v", statuses)
	}

	// With the database down: a mutation and a query both answer 503.
	for _, q := range []string{query, `mutation { createTag(name: "North") { id } }`} {
		r := e.Do(token, q, nil)
		if r.Status != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
			t.Fatalf("%s during the outage: HTTP %d, Retry-After %q, errors %+v", q, r.Status, r.Header.Get("Retry-After"), r.Errors)
		}
		if len(r.Errors) == 0 || r.Errors[0].Code() != "UNAVAILABLE" {
			t.Fatalf("%s during the outage: errors %+v", q, r.Errors)
		}
	}

	proxy.restore()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := e.Do(token, query, nil)
		if r.Status == http.StatusOK && len(r.Errors) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery after the database came back: HTTP %d %+v", r.Status, r.Errors)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
