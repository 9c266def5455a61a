-- Create "note_addenda" table
CREATE TABLE "note_addenda" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "content" text NOT NULL, "private" boolean NOT NULL, "client_id" character varying NOT NULL, "practice_id" character varying NOT NULL, "author_id" character varying NOT NULL, "note_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "note_addenda_clients_note_addenda" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "note_addenda_members_author" FOREIGN KEY ("author_id") REFERENCES "members" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "note_addenda_practices_practice" FOREIGN KEY ("practice_id") REFERENCES "practices" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "note_addenda_session_notes_addenda" FOREIGN KEY ("note_id") REFERENCES "session_notes" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "noteaddendum_client_id" to table: "note_addenda"
CREATE INDEX "noteaddendum_client_id" ON "note_addenda" ("client_id");
-- Create index "noteaddendum_note_id_created_at" to table: "note_addenda"
CREATE INDEX "noteaddendum_note_id_created_at" ON "note_addenda" ("note_id", "created_at");
-- Create index "noteaddendum_practice_id" to table: "note_addenda"
CREATE INDEX "noteaddendum_practice_id" ON "note_addenda" ("practice_id");
