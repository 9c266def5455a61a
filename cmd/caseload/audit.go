package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"caseload/ent/audit"
	"caseload/ent/practice"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// errBroken is a chain that does not hold: the command exits non-zero.
var errBroken = errors.New("the audit log does not verify")

// auditCmd runs `caseload audit verify` and `caseload audit checkpoint`.
func auditCmd(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "checkpoint") {
		return errors.New("usage: caseload audit verify|checkpoint [flags]")
	}
	c := &config{}
	fs := newFlagSet("audit "+args[0], os.Stderr)
	databaseFlag(fs, c)
	auditFlags(fs, c)
	practiceID := fs.String("practice", "", "check one practice's chain (all when empty)")
	checkpoints := fs.String("checkpoints", "", "verify: a file of checkpoints (JSON lines, as `caseload audit checkpoint` writes) that the chains must still reach")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if err := errors.Join(checkDatabase(c.databaseURL), c.validateAuditKey()); err != nil {
		return err
	}
	key, err := c.auditKeyBytes()
	if err != nil {
		return err
	}
	db, err := openAndMigrate(ctx, c.databaseURL, false)
	if err != nil {
		return err
	}
	defer db.Close()
	ids := []pulid.ID{pulid.ID(*practiceID)}
	if *practiceID == "" {
		ids, err = db.Client.Practice.Query().Order(practice.ByID()).IDs(viewer.Bypass(ctx, "the audit command checks every practice's chain"))
		if err != nil {
			return err
		}
	}
	if args[0] == "checkpoint" {
		// One signed line per practice, to keep where the database
		// cannot rewrite it.
		enc := json.NewEncoder(out)
		for _, id := range ids {
			cp, err := audit.TakeCheckpoint(ctx, db.Client, key, id, time.Now())
			if err != nil {
				return err
			}
			if err := enc.Encode(cp); err != nil {
				return err
			}
		}
		return nil
	}
	var cps []audit.Checkpoint
	if *checkpoints != "" {
		if cps, err = readCheckpoints(*checkpoints); err != nil {
			return err
		}
	}
	broken := false
	for _, id := range ids {
		res, err := audit.Verify(ctx, db.Client, key, id, cps...)
		if err != nil {
			return err
		}
		if res.OK {
			fmt.Fprintf(out, "ok      %s: %d records, head %d\n", id, res.Checked, res.HeadSeq)
			continue
		}
		broken = true
		fmt.Fprintf(out, "BROKEN  %s: %s (first broken record %q, place %d)\n", id, res.Problem, res.FirstBrokenID, res.FirstBrokenSeq)
	}
	if broken {
		return errBroken
	}
	return nil
}

// readCheckpoints reads a file of JSON-line checkpoints.
func readCheckpoints(path string) ([]audit.Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []audit.Checkpoint
	s := bufio.NewScanner(f)
	for s.Scan() {
		if len(s.Bytes()) == 0 {
			continue
		}
		var cp audit.Checkpoint
		if err := json.Unmarshal(s.Bytes(), &cp); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, cp)
	}
	return out, s.Err()
}
