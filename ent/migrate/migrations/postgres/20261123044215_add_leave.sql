-- Create "leaves" table
CREATE TABLE "leaves" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "starts_at" timestamptz NOT NULL, "ends_at" timestamptz NOT NULL, "reason" character varying NULL, "practice_id" character varying NOT NULL, "member_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "leaves_members_leave" FOREIGN KEY ("member_id") REFERENCES "members" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "leaves_practices_practice" FOREIGN KEY ("practice_id") REFERENCES "practices" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "leave_member_id_starts_at" to table: "leaves"
CREATE INDEX "leave_member_id_starts_at" ON "leaves" ("member_id", "starts_at");
-- Create index "leave_practice_id" to table: "leaves"
CREATE INDEX "leave_practice_id" ON "leaves" ("practice_id");
