package server_test

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// dashboardPath is the Grafana dashboard of the server's series.
const dashboardPath = "../../docs/grafana-dashboard.json"

// dashboard is what the test reads of a Grafana dashboard.
type dashboard struct {
	Templating struct {
		List []struct {
			Type  string `json:"type"`
			Name  string `json:"name"`
			Query any    `json:"query"`
		} `json:"list"`
	} `json:"templating"`
	Panels []dashboardPanel `json:"panels"`
}

type dashboardPanel struct {
	Type       string           `json:"type"`
	Title      string           `json:"title"`
	Datasource *panelDatasource `json:"datasource"`
	Targets    []struct {
		Datasource *panelDatasource `json:"datasource"`
		Expr       string           `json:"expr"`
	} `json:"targets"`
	Panels []dashboardPanel `json:"panels"`
}

type panelDatasource struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

// The dashboard cannot drift from the server: it imports into any Grafana
// (a Prometheus data source variable, which every panel uses), every
// series its queries name is one /metrics exposes after requests of every
// kind, and every series of the server's own is on it.
func TestGrafanaDashboard_QueriesOnlyExposedSeries(t *testing.T) {
	b, err := os.ReadFile(dashboardPath)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s is not a dashboard: %v", dashboardPath, err)
	}
	exposed, families := exposedSeries(scrapeAfterEveryKind(t))

	var datasource bool
	var exprs []string
	for _, v := range d.Templating.List {
		if v.Type == "datasource" && v.Query == "prometheus" && v.Name == "datasource" {
			datasource = true
		}
		if v.Type == "query" {
			q, _ := json.Marshal(v.Query)
			if m := regexp.MustCompile(`label_values\((\w+),`).FindStringSubmatch(string(q)); m != nil {
				exprs = append(exprs, m[1])
			}
		}
	}
	if !datasource {
		t.Error("no Prometheus data source variable named datasource")
	}
	var walk func([]dashboardPanel)
	walk = func(ps []dashboardPanel) {
		for _, p := range ps {
			walk(p.Panels)
			if p.Type == "row" {
				continue
			}
			if len(p.Targets) == 0 {
				t.Errorf("panel %q has no query", p.Title)
			}
			if p.Datasource == nil || p.Datasource.UID != "${datasource}" {
				t.Errorf("panel %q does not use the data source variable", p.Title)
			}
			for _, q := range p.Targets {
				if q.Datasource == nil || q.Datasource.UID != "${datasource}" {
					t.Errorf("a query of %q does not use the data source variable", p.Title)
				}
				exprs = append(exprs, q.Expr)
			}
		}
	}
	walk(d.Panels)

	used := map[string]bool{}
	for _, expr := range exprs {
		names, funcs := promqlNames(expr)
		if len(names) == 0 {
			t.Errorf("%s: names no series", expr)
		}
		for _, f := range funcs {
			if !slices.Contains(promqlFunctions, f) {
				t.Errorf("%s: %s is not a function the dashboard is known to use", expr, f)
			}
		}
		for _, n := range names {
			used[n] = true
			if !exposed[n] {
				t.Errorf("%s: the server exposes no series %s", expr, n)
			}
		}
	}
	for _, f := range families {
		if !strings.HasPrefix(f, "caseload_") {
			continue
		}
		if !used[f] && !used[f+"_bucket"] && !used[f+"_count"] {
			t.Errorf("the dashboard does not show %s", f)
		}
	}
}

// promqlFunctions are the functions and aggregations the dashboard's
// queries call: a misspelt one fails the test as a misspelt series would.
var promqlFunctions = []string{"sum", "max", "min", "avg", "rate", "irate", "increase", "histogram_quantile", "label_values"}

var (
	promqlString   = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	promqlRange    = regexp.MustCompile(`\[[^\]]*\]`)
	promqlMatchers = regexp.MustCompile(`\{[^}]*\}`)
	promqlGrouping = regexp.MustCompile(`\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	promqlNumber   = regexp.MustCompile(`\b\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\b`)
	promqlIdent    = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?`)
)

// promqlNames returns the series names and the functions of a query: what
// is left once strings, ranges, label matchers, groupings and numbers are
// taken out is identifiers, functions when a parenthesis follows.
func promqlNames(expr string) (names, funcs []string) {
	for _, re := range []*regexp.Regexp{promqlString, promqlRange, promqlMatchers, promqlGrouping, promqlNumber} {
		expr = re.ReplaceAllString(expr, " ")
	}
	for _, m := range promqlIdent.FindAllStringSubmatch(expr, -1) {
		id := strings.TrimRight(strings.TrimSuffix(strings.TrimSpace(m[0]), "("), " ")
		switch {
		case m[1] != "":
			funcs = append(funcs, id)
		case id == "bool" || id == "offset" || id == "and" || id == "or" || id == "unless":
		default:
			names = append(names, id)
		}
	}
	return names, funcs
}

// exposedSeries reads a Prometheus text scrape: the name of every sample
// (histograms' _bucket, _sum and _count included), and the families.
func exposedSeries(scrape string) (map[string]bool, []string) {
	names := map[string]bool{}
	var families []string
	for _, l := range strings.Split(scrape, "\n") {
		if f, ok := strings.CutPrefix(l, "# TYPE "); ok {
			families = append(families, strings.Fields(f)[0])
			continue
		}
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if i := strings.IndexAny(l, "{ "); i > 0 {
			names[l[:i]] = true
		}
	}
	return names, families
}
