package benchmarks

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// throughputWorkers is how many requests are in flight at once: issue P's
// throughput figure is the practitioner's page at concurrency 8.
const throughputWorkers = 8

// throughputBlock is how many pages each garbage collector setting serves
// in a row.
const throughputBlock = 400

// BenchmarkCaseloadThroughput measures the practitioner's caseload page
// (BenchmarkCaseloadPage's practice: 10,000 clients among 200,000) with 8
// requests in flight, as issue P's throughput figure does, at Go's default
// GOGC of 100 and at server.ServingGCPercent, in alternating blocks of
// throughputBlock pages, each from a collected heap. On 2 cores shared with
// PostgreSQL, pages per second measures the CPU a page costs.
//
// Metrics, per setting: req/s, and the median and 99th percentile latency
// of a page in ms.
func BenchmarkCaseloadThroughput(b *testing.B) {
	e := graphtest.NewOn(b, graphtest.OpenPostgres(b))
	target := loadBigPractice(b, e)
	token := e.Token(target.practitioner)
	vars := map[string]any{"n": 50}
	e.Do(token, caseloadPageNoCount, vars).RequireNoErrors(b)
	spent := map[int]time.Duration{}
	latencies := map[int][]time.Duration{}
	gcBlocks(b, throughputBlock, []int{100, server.ServingGCPercent}, func(percent, n int) {
		took, lat := servePages(b, e, token, vars, n)
		spent[percent] += took
		latencies[percent] = append(latencies[percent], lat...)
	})
	report := func(percent int, name string) {
		lat := latencies[percent]
		slices.Sort(lat)
		ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
		b.ReportMetric(float64(len(lat))/spent[percent].Seconds(), name+"-req/s")
		b.ReportMetric(ms(0.5), name+"-p50-ms")
		b.ReportMetric(ms(0.99), name+"-p99-ms")
	}
	report(100, "default")
	report(server.ServingGCPercent, "tuned")
}

// servePages sends n pages from throughputWorkers workers and returns the
// wall time they took and each page's latency.
func servePages(b *testing.B, e *graphtest.Env, token string, vars map[string]any, n int) (time.Duration, []time.Duration) {
	page := newPageRequest(b, e, token, caseloadPageNoCount, vars)
	var next atomic.Int64
	lat := make([]time.Duration, n)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < throughputWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				t := time.Now()
				err := page.send()
				lat[i] = time.Since(t)
				if err != nil {
					b.Errorf("page %d: %v", i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start), lat
}
