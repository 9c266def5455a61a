// Package migrations embeds the versioned migration files, one directory per
// dialect, generated from the Ent schema by `make migration` and applied by
// `caseload migrate` (and by `caseload serve` at start).
package migrations

import "embed"

// FS holds postgres/ and sqlite/, each with its atlas.sum.
//
//go:embed postgres sqlite
var FS embed.FS
