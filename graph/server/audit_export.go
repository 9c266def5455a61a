package server

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"caseload/ent"
	"caseload/ent/audit"
	"caseload/ent/auditevent"
	"caseload/ent/clientrecord"
	"caseload/ent/member"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
)

// maxExportRows bounds one client's access report.
const maxExportRows = 100_000

// auditExport serves a client's access report (policy §9, for a client's
// access request) at GET /audit/clients/{id}/access.csv and access.json:
// every record of the audit log about that client, oldest first, with who,
// when, what and why. The token comes in the Authorization header only,
// never the URL, which logs and browsers keep. Admins and VIEW_AUDIT_LOG;
// the export is itself recorded.
func auditExport(opts Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		v := viewer.FromContext(ctx)
		if v == nil {
			writeError(w, http.StatusUnauthorized, errcode.Unauthenticated, "send Authorization: Bearer <token>")
			return
		}
		if !v.Can(access.ViewAuditLog) {
			audit.RecordDenied(ctx, audit.ActionForbidden, "", "", "audit export")
			_ = audit.Flush(ctx)
			writeError(w, http.StatusForbidden, errcode.Forbidden, "the audit log is read by admins and members with VIEW_AUDIT_LOG")
			return
		}
		format := r.PathValue("file")
		if format != "access.csv" && format != "access.json" {
			writeError(w, http.StatusNotFound, errcode.NotFound, "not found")
			return
		}
		client := pulid.ID(r.PathValue("id"))
		var rows []*ent.AuditEvent
		var err error
		// An ID that is not one answers as an unknown one: no records.
		if audit.ClientIDIn(string(client)) != "" {
			rows, err = opts.Client.AuditEvent.Query().Where(auditevent.ClientIDEQ(client)).
				Order(ent.Asc(auditevent.FieldSeq)).Limit(maxExportRows).All(ctx)
		}
		if err != nil {
			opts.Logger.ErrorContext(ctx, "audit export", "err", err, "request_id", viewer.RequestID(ctx))
			writeUnavailable(w)
			return
		}
		internal := viewer.Bypass(ctx, "policy §9: the report names the client and the members by name")
		name := ""
		if c, err := opts.Client.ClientRecord.Query().Where(clientrecord.IDEQ(client), clientrecord.PracticeIDEQ(v.PracticeID)).
			Select(clientrecord.FieldName).Only(internal); err == nil {
			name = c.Name
		}
		members := map[pulid.ID]string{}
		ms, err := opts.Client.Member.Query().Where(member.PracticeIDEQ(v.PracticeID)).Select(member.FieldID, member.FieldName).All(internal)
		if err == nil {
			for _, m := range ms {
				members[m.ID] = m.Name
			}
		}
		audit.Record(ctx, audit.Event{Kind: audit.Access, ClientID: audit.ClientIDIn(string(client)), Subject: string(client), Action: "audit export", Fields: []string{format}})
		if err := audit.Flush(ctx); err != nil {
			opts.Logger.ErrorContext(ctx, "audit log", "err", err, "request_id", viewer.RequestID(ctx))
			writeUnavailable(w)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Disposition", `attachment; filename="client-`+sanitizeFilename(string(client))+`-`+format+`"`)
		records := make([]exportRow, len(rows))
		for i, e := range rows {
			records[i] = exportRowOf(e, name, members)
		}
		if format == "access.json" {
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(records)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"at", "seq", "member_id", "member", "client_id", "client", "action", "fields", "decision", "request_id", "client_address", "reason", "subject"})
		for _, row := range records {
			_ = cw.Write(safeCells([]string{row.At, strconv.FormatInt(row.Seq, 10), row.MemberID, row.Member, row.ClientID, row.Client,
				row.Action, strings.Join(row.Fields, " "), row.Decision, row.RequestID, row.ClientAddress, row.Reason, row.Subject}))
		}
		cw.Flush()
	})
}

// exportRow is one record of the report.
type exportRow struct {
	At            string   `json:"at"`
	Seq           int64    `json:"seq"`
	MemberID      string   `json:"memberId"`
	Member        string   `json:"member"`
	ClientID      string   `json:"clientId"`
	Client        string   `json:"client"`
	Action        string   `json:"action"`
	Fields        []string `json:"fields"`
	Decision      string   `json:"decision"`
	RequestID     string   `json:"requestId"`
	ClientAddress string   `json:"clientAddress"`
	Reason        string   `json:"reason"`
	Subject       string   `json:"subject"`
}

func exportRowOf(e *ent.AuditEvent, client string, members map[pulid.ID]string) exportRow {
	row := exportRow{
		At: e.At.UTC().Format(time.RFC3339Nano), Seq: e.Seq, Action: e.Action, Fields: e.Fields, Decision: string(e.Decision),
		RequestID: e.RequestID, ClientAddress: e.ClientAddress, Reason: e.Reason, Subject: e.Subject, Client: client,
	}
	if e.ActorID != nil {
		row.MemberID, row.Member = string(*e.ActorID), members[*e.ActorID]
	}
	if e.ClientID != nil {
		row.ClientID = string(*e.ClientID)
	}
	if row.Fields == nil {
		row.Fields = []string{}
	}
	return row
}

// safeCells keeps a spreadsheet from reading a cell as a formula: a cell
// starting with =, +, -, @, a tab or a carriage return is prefixed with a
// quote (OWASP's advice on CSV injection). Names and reasons are typed by
// people, a failed login's email by anyone.
func safeCells(cells []string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}

// sanitizeFilename keeps an ID fit for a Content-Disposition header.
func sanitizeFilename(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
