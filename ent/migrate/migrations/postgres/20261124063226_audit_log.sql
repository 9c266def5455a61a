-- Create "audit_events" table
CREATE TABLE "audit_events" ("id" character varying NOT NULL, "practice_id" character varying NOT NULL, "seq" bigint NOT NULL, "at" timestamptz NOT NULL, "actor_id" character varying NULL, "client_id" character varying NULL, "action" character varying NOT NULL, "fields" jsonb NULL, "decision" character varying NOT NULL, "request_id" character varying NULL, "client_address" character varying NULL, "reason" character varying NULL, "subject" character varying NULL, "prev_hash" character varying NOT NULL, "hash" character varying NOT NULL, PRIMARY KEY ("id"));
-- Create index "auditevent_practice_id_actor_id_seq" to table: "audit_events"
CREATE INDEX "auditevent_practice_id_actor_id_seq" ON "audit_events" ("practice_id", "actor_id", "seq");
-- Create index "auditevent_practice_id_client_id_seq" to table: "audit_events"
CREATE INDEX "auditevent_practice_id_client_id_seq" ON "audit_events" ("practice_id", "client_id", "seq");
-- Create index "auditevent_practice_id_seq" to table: "audit_events"
CREATE UNIQUE INDEX "auditevent_practice_id_seq" ON "audit_events" ("practice_id", "seq");
-- Create "audit_heads" table
CREATE TABLE "audit_heads" ("practice_id" character varying NOT NULL, "seq" bigint NOT NULL, "hash" character varying NOT NULL, PRIMARY KEY ("practice_id"));
