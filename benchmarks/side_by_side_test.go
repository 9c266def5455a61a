package benchmarks

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"caseload/ent"
	"caseload/graph/graphtest"
)

// pageViewer is one of the caseload page's benchmark viewers.
type pageViewer struct {
	name string
	m    *ent.Member
}

// pageViewers are the viewers every caseload page benchmark measures: the
// admin, the practitioner who sees 40 clients and the tag-restricted
// ACCESS_ALL_CLIENTS role.
func pageViewers(t bigPractice) []pageViewer {
	return []pageViewer{{"admin", t.admin}, {"practitioner40", t.practitioner}, {"tagRestrictedAllClients", t.tagRestricted}}
}

// sideBySide sends query b.N times to each of two servers on the same
// database, as m, in alternating order so that both meet the machine in
// the same state, and reports each one's time per request and on/off, the
// ratio of their totals. check judges each answer; warmed runs after one
// untimed request to each, to reset what the caller counts.
func sideBySide(b *testing.B, off, on *graphtest.Env, m *ent.Member, query string, check func(*graphtest.Response), warmed func()) {
	vars := map[string]any{"n": 50}
	tokens := map[*graphtest.Env]string{off: off.Token(m), on: on.Token(m)}
	spent := map[*graphtest.Env]time.Duration{}
	order := [2]*graphtest.Env{off, on}
	for _, e := range order {
		check(e.Do(tokens[e], query, vars))
	}
	warmed()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, e := range order {
			start := time.Now()
			r := e.Do(tokens[e], query, vars)
			spent[e] += time.Since(start)
			check(r)
		}
		order[0], order[1] = order[1], order[0]
	}
	b.StopTimer()
	b.ReportMetric(float64(spent[off].Microseconds())/float64(b.N)/1000, "off-ms/op")
	b.ReportMetric(float64(spent[on].Microseconds())/float64(b.N)/1000, "on-ms/op")
	b.ReportMetric(float64(spent[on])/float64(spent[off]), "on/off")
}

// gcBlocks runs b.N requests under each garbage collector target of
// percents, in alternating blocks of at most block requests: serve(percent,
// n) serves n of them. Each block starts from a collected heap, untimed,
// so that no setting inherits another's garbage; the order of the settings
// turns with each round. The target in force before is restored after.
func gcBlocks(b *testing.B, block int, percents []int, serve func(percent, n int)) {
	was := debug.SetGCPercent(percents[0])
	b.Cleanup(func() { debug.SetGCPercent(was) })
	b.ResetTimer()
	for i := 0; i < b.N; i += block {
		n := min(block, b.N-i)
		for k := range percents {
			percent := percents[(k+i/block)%len(percents)]
			b.StopTimer()
			debug.SetGCPercent(percent)
			runtime.GC()
			b.StartTimer()
			serve(percent, n)
		}
	}
	b.StopTimer()
}
