// Package benchmarks measures the cost of the access policy on PostgreSQL,
// through the real HTTP handler, and reports SQL statements per request
// (stmts/op) and, for the caseload pages, the Go process's CPU per page
// (go-cpu-ms/op) next to the time. The timed loops send a request encoded
// once and check its answer without decoding it (page_request_test.go), so
// that they time the server and not the test client:
//
//   - BenchmarkCaseloadPage: the caseload screen's first page of 50 clients
//     (name, tags, responsible practitioner, viewerAccess), with and without
//     totalCount, for an admin, a practitioner who sees 40 clients and a
//     tag-restricted ACCESS_ALL_CLIENTS role, in a practice of 10,000
//     clients among 100 practices totalling 200,000.
//   - BenchmarkTeamCapacity: practitioners(search:) with active client counts,
//     and teamCapacity for a week, in a practice of 50 practitioners and
//     10,000 clients with weekly availability and a week of appointments.
//   - BenchmarkCaseloadFloor: the caseload page beside the same page from one
//     hand-written statement per viewer (its floor), at 10,000 and 100,000
//     clients among 1,000,000.
//   - BenchmarkAuditedCaseloadPage: the page with medicalHistory, with the
//     audit log written and without, interleaved.
//   - BenchmarkObservedCaseloadPage: the caseload page from a server with
//     Prometheus metrics and OpenTelemetry tracing on (every span sampled,
//     batched to a no-op exporter) and from one with both off,
//     interleaved; on/off is the cost of observing the server.
//   - BenchmarkPublicBooking: the public booking page, a booking and an
//     intake submission.
//
// The benchmarks always run on PostgreSQL (CASELOAD_TEST_POSTGRES_URL, by
// default the local server), whatever CASELOAD_TEST_DB says, and are not part
// of the ordinary test run:
//
//	go test ./benchmarks -run '^$' -bench '^BenchmarkCaseloadPage$' -benchtime 100x
//	go test ./benchmarks -run '^$' -bench TeamCapacity -benchtime 50x
//	go test ./benchmarks -run '^$' -bench CaseloadFloor -benchtime 20x
//	go test ./benchmarks -run '^$' -bench ObservedCaseloadPage -benchtime 200x -count 3
//
// TestCaseloadPage_StatementsPerViewerAreHeld is an ordinary test, run on
// the dialect under test: it holds the statements of the page, per viewer,
// with and without its count, and that they do not grow with the page.
package benchmarks
