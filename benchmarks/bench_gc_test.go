package benchmarks

import (
	"runtime"
	"testing"
	"time"

	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// gcBlock is how many pages each garbage collector setting serves in a
// row: long enough for several collections at Go's default, so that each
// block pays for its own garbage.
const gcBlock = 100

// BenchmarkGCTuning measures what server.TuneGC's collector target is worth:
// the caseload page of BenchmarkCaseloadPage (its three viewers, its
// practice of 10,000 clients among 200,000) served at Go's default GOGC of
// 100 and at server.ServingGCPercent, in alternating blocks of gcBlock
// pages, each block starting from a collected heap so that neither setting
// inherits the other's garbage. default/tuned is the ratio of their total
// times; heap-MB the largest heap in use seen at the end of a block.
func BenchmarkGCTuning(b *testing.B) {
	e := graphtest.NewOn(b, graphtest.OpenPostgres(b))
	target := loadBigPractice(b, e)
	vars := map[string]any{"n": 50}
	tuned := server.ServingGCPercent
	for _, c := range pageViewers(target) {
		b.Run(c.name, func(b *testing.B) {
			token := e.Token(c.m)
			e.Do(token, caseloadPageNoCount, vars).RequireNoErrors(b)
			spent := map[int]time.Duration{}
			served := map[int]int{}
			heap := map[int]uint64{}
			gcBlocks(b, gcBlock, []int{100, tuned}, func(percent, n int) {
				start := time.Now()
				for j := 0; j < n; j++ {
					if r := e.Do(token, caseloadPageNoCount, vars); len(r.Errors) > 0 {
						b.Fatal(r.Errors)
					}
				}
				spent[percent] += time.Since(start)
				served[percent] += n
				b.StopTimer()
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				heap[percent] = max(heap[percent], m.HeapInuse)
				b.StartTimer()
			})
			perPage := func(p int) float64 { return float64(spent[p].Microseconds()) / float64(served[p]) / 1000 }
			b.ReportMetric(perPage(100), "default-ms/op")
			b.ReportMetric(perPage(tuned), "tuned-ms/op")
			b.ReportMetric(perPage(100)/perPage(tuned), "default/tuned")
			b.ReportMetric(float64(heap[100])/(1<<20), "default-heap-MB")
			b.ReportMetric(float64(heap[tuned])/(1<<20), "tuned-heap-MB")
		})
	}
}
