-- Create index "clientrecord_practice_id_name_id" to table: "clients"
CREATE INDEX "clientrecord_practice_id_name_id" ON "clients" ("practice_id", "name", "id");
-- The index by practice and name is a prefix of the new one: dropped by
-- hand, since Ent's migration diff does not drop indexes.
DROP INDEX "clientrecord_practice_id_name";
