-- Modify "emergency_accesses" table
ALTER TABLE "emergency_accesses" ADD COLUMN "reviewed_at" timestamptz NULL, ADD COLUMN "review_note" character varying NULL, ADD COLUMN "reviewed_by_id" character varying NULL, ADD CONSTRAINT "emergency_accesses_members_reviewed_by" FOREIGN KEY ("reviewed_by_id") REFERENCES "members" ("id") ON UPDATE NO ACTION ON DELETE SET NULL;
-- Create index "emergencyaccess_practice_id_created_at" to table: "emergency_accesses"
CREATE INDEX "emergencyaccess_practice_id_created_at" ON "emergency_accesses" ("practice_id", "created_at");
-- Create "emergency_lookups" table
CREATE TABLE "emergency_lookups" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "expires_at" timestamptz NOT NULL, "practice_id" character varying NOT NULL, "member_id" character varying NOT NULL, "client_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "emergency_lookups_clients_client" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "emergency_lookups_members_member" FOREIGN KEY ("member_id") REFERENCES "members" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "emergency_lookups_practices_practice" FOREIGN KEY ("practice_id") REFERENCES "practices" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "emergencylookup_member_id_client_id_expires_at" to table: "emergency_lookups"
CREATE INDEX "emergencylookup_member_id_client_id_expires_at" ON "emergency_lookups" ("member_id", "client_id", "expires_at");
-- Create index "emergencylookup_practice_id" to table: "emergency_lookups"
CREATE INDEX "emergencylookup_practice_id" ON "emergency_lookups" ("practice_id");
