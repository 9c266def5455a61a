-- The audit log is append-only (policy §9): whoever reaches the database
-- file, not only the API, cannot change or delete its records (SQLite has
-- no TRUNCATE). Tampering past these triggers is what the keyed hash chain
-- and the checkpoints kept outside the database detect. Written by hand:
-- Ent's schema cannot express triggers, and Atlas leaves them alone.
CREATE TRIGGER `audit_events_no_update` BEFORE UPDATE ON `audit_events` BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER `audit_events_no_delete` BEFORE DELETE ON `audit_events` BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
