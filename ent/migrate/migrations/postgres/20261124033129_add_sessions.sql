-- Create "sessions" table
CREATE TABLE "sessions" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "last_seen_at" timestamptz NULL, "ended_at" timestamptz NULL, "end_reason" character varying NULL, "ended_by_id" character varying NULL, "user_agent" character varying NULL, "client_address" character varying NULL, "practice_id" character varying NOT NULL, "member_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "sessions_members_member" FOREIGN KEY ("member_id") REFERENCES "members" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "sessions_practices_practice" FOREIGN KEY ("practice_id") REFERENCES "practices" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "session_member_id_ended_at" to table: "sessions"
CREATE INDEX "session_member_id_ended_at" ON "sessions" ("member_id", "ended_at");
-- Create index "session_practice_id" to table: "sessions"
CREATE INDEX "session_practice_id" ON "sessions" ("practice_id");
