-- Create index "clientrecord_practice_id_visibility" to table: "clients"
CREATE INDEX `clientrecord_practice_id_visibility` ON `clients` (`practice_id`, `visibility`);
