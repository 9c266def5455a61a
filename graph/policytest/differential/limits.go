package differential

import "caseload/graph/server"

// harnessLimits lifts the cost budget (graph/server, Limits.MaxCost) for the
// differential test's server: each of its requests reads a whole practice
// (every tag, 100 clients, every section), which the budget rightly refuses
// to a front end. Every other limit stays as served.
func harnessLimits(o *server.Options) { o.Limits.MaxCost = 10_000_000 }
