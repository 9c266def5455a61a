-- Two live appointments of one practitioner never overlap (policy §6,
-- appointments): the resolvers lock the practitioner and check first, and
-- the database refuses whatever slips past. Cancelled appointments free
-- their time. btree_gist lets the practitioner's ID share the GiST index
-- with the time range; it is a trusted extension, so the database owner may
-- create it. Written by hand: Ent's schema cannot express an exclusion
-- constraint, and Atlas leaves it alone when it diffs.
--
-- If the ALTER fails with "conflicting key value violates exclusion
-- constraint", the database already holds overlapping live appointments
-- (the demo data of earlier versions could); list them with
--   SELECT a.id, b.id FROM appointments a JOIN appointments b
--     ON a.practitioner_id = b.practitioner_id AND a.id < b.id
--    AND a.status <> 'CANCELLED' AND b.status <> 'CANCELLED'
--    AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at;
-- and cancel or move one of each pair before migrating again.
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE "appointments" ADD CONSTRAINT "appointment_no_overlap" EXCLUDE USING gist ("practitioner_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&) WHERE ("status" <> 'CANCELLED');
