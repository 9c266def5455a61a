-- Two live appointments of one practitioner never overlap (policy §6,
-- appointments): the resolvers lock the practitioner and check first, and
-- the database refuses whatever slips past. Cancelled appointments free
-- their time. btree_gist lets the practitioner's ID share the GiST index
-- with the time range; it is a trusted extension, so the database owner may
-- create it. Written by hand: Ent's schema cannot express an exclusion
-- constraint, and Atlas leaves it alone when it diffs.
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE "appointments" ADD CONSTRAINT "appointment_no_overlap" EXCLUDE USING gist ("practitioner_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&) WHERE ("status" <> 'CANCELLED');
