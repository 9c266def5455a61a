// Package audit is the audit log of policy §9: what is recorded, how
// records are chained and written, and how the chain is checked.
//
// Requests record events into a scope carried by their context (Record);
// the server writes a mutation field's changes in that field's
// transaction, and everything a request read or was refused in one batch
// before its response leaves (Flush, FlushTx). Each record carries an HMAC,
// under a key kept outside the database, of its content and of the record
// before it in its practice's chain; the chain's head row is locked by every
// writer, so that concurrent requests extend one chain. Triggers (see the
// migrations) refuse to change or delete records; Verify finds a record
// changed, deleted or reordered past them, and a signed Checkpoint kept
// outside the database finds the newest records deleted.
package audit
