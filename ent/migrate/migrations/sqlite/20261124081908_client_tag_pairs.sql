-- Create index "clienttag_tag_id_client_id" to table: "client_tags"
CREATE INDEX `clienttag_tag_id_client_id` ON `client_tags` (`tag_id`, `client_id`);
-- The index by tag alone is a prefix of the new one: dropped by hand, since
-- Ent's migration diff does not drop indexes.
DROP INDEX `clienttag_tag_id`;
