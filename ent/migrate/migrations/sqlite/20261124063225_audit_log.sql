-- Create "audit_events" table
CREATE TABLE `audit_events` (`id` text NOT NULL, `practice_id` text NOT NULL, `seq` integer NOT NULL, `at` datetime NOT NULL, `actor_id` text NULL, `client_id` text NULL, `action` text NOT NULL, `fields` json NULL, `decision` text NOT NULL, `request_id` text NULL, `client_address` text NULL, `reason` text NULL, `subject` text NULL, `prev_hash` text NOT NULL, `hash` text NOT NULL, PRIMARY KEY (`id`));
-- Create index "auditevent_practice_id_seq" to table: "audit_events"
CREATE UNIQUE INDEX `auditevent_practice_id_seq` ON `audit_events` (`practice_id`, `seq`);
-- Create index "auditevent_practice_id_client_id_seq" to table: "audit_events"
CREATE INDEX `auditevent_practice_id_client_id_seq` ON `audit_events` (`practice_id`, `client_id`, `seq`);
-- Create index "auditevent_practice_id_actor_id_seq" to table: "audit_events"
CREATE INDEX `auditevent_practice_id_actor_id_seq` ON `audit_events` (`practice_id`, `actor_id`, `seq`);
-- Create "audit_heads" table
CREATE TABLE `audit_heads` (`practice_id` text NOT NULL, `seq` integer NOT NULL, `hash` text NOT NULL, PRIMARY KEY (`practice_id`));
