package server_test

import (
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// BenchmarkHostileQueries measures what refusing each hostile request of
// issue G costs the server: time per request (ns/op), allocations, and the
// peak of the live heap above its level before the run (peak-heap-MiB),
// sampled every millisecond. "worst accepted" is the most a member's
// document can cost to validate within the token limit, for comparison.
//
//	go test -run '^$' -bench HostileQueries -benchtime 20x ./graph/server/
func BenchmarkHostileQueries(b *testing.B) {
	e := graphtest.New(b)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	e.NewClient(p, graphtest.ResponsibleIs(admin), graphtest.Tagged(e.Tag(p, "North")))
	token := e.Token(admin)
	post(b, e.Handler, token, `{ __typename }`, nil)

	cases := hostileQueries()
	cases = append(cases, hostile{
		name: "worst accepted: a member's document at the token limit",
		// Room for the comment below.
		query: manyTypenames(server.DefaultLimits.MaxTokens - 3),
	})
	for _, h := range cases {
		b.Run(strings.ReplaceAll(h.name, " ", "_"), func(b *testing.B) {
			tok := token
			if h.anonymous {
				tok = ""
			}
			b.ReportAllocs()
			peak := sampleHeap()
			b.ResetTimer()
			for i := range b.N {
				// A comment makes each document new to the query cache, so
				// that every request is parsed and validated.
				got := post(b, e.Handler, tok, h.query+"\n# "+strconv.Itoa(i), nil)
				if h.code == "" {
					got.requireOK(b)
				} else if len(got.Errors) == 0 || got.Errors[0].Code() != h.code {
					b.Fatalf("want %s, got %+v", h.code, got.Errors)
				}
			}
			b.StopTimer()
			b.ReportMetric(peak()/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(len(h.query))/1024, "request-KiB")
		})
	}
}

// sampleHeap starts sampling the live heap every millisecond and returns
// the function that stops and reports its peak above the level at start.
func sampleHeap() func() float64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := read()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			if v := read(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 {
		close(stop)
		<-done
		if p := peak.Load(); p > base {
			return float64(p - base)
		}
		return 0
	}
}
