-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_emergency_accesses" table
CREATE TABLE `new_emergency_accesses` (`id` text NOT NULL, `created_at` datetime NOT NULL, `reason` text NOT NULL, `expires_at` datetime NOT NULL, `reviewed_at` datetime NULL, `review_note` text NULL, `client_id` text NOT NULL, `practice_id` text NOT NULL, `member_id` text NOT NULL, `reviewed_by_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `emergency_accesses_clients_emergency_accesses` FOREIGN KEY (`client_id`) REFERENCES `clients` (`id`) ON DELETE NO ACTION, CONSTRAINT `emergency_accesses_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `emergency_accesses_members_member` FOREIGN KEY (`member_id`) REFERENCES `members` (`id`) ON DELETE NO ACTION, CONSTRAINT `emergency_accesses_members_reviewed_by` FOREIGN KEY (`reviewed_by_id`) REFERENCES `members` (`id`) ON DELETE SET NULL);
-- Copy rows from old table "emergency_accesses" to new temporary table "new_emergency_accesses"
INSERT INTO `new_emergency_accesses` (`id`, `created_at`, `reason`, `expires_at`, `client_id`, `practice_id`, `member_id`) SELECT `id`, `created_at`, `reason`, `expires_at`, `client_id`, `practice_id`, `member_id` FROM `emergency_accesses`;
-- Drop "emergency_accesses" table after copying rows
DROP TABLE `emergency_accesses`;
-- Rename temporary table "new_emergency_accesses" to "emergency_accesses"
ALTER TABLE `new_emergency_accesses` RENAME TO `emergency_accesses`;
-- Create index "emergencyaccess_practice_id" to table: "emergency_accesses"
CREATE INDEX `emergencyaccess_practice_id` ON `emergency_accesses` (`practice_id`);
-- Create index "emergencyaccess_member_id_client_id_expires_at" to table: "emergency_accesses"
CREATE INDEX `emergencyaccess_member_id_client_id_expires_at` ON `emergency_accesses` (`member_id`, `client_id`, `expires_at`);
-- Create index "emergencyaccess_practice_id_created_at" to table: "emergency_accesses"
CREATE INDEX `emergencyaccess_practice_id_created_at` ON `emergency_accesses` (`practice_id`, `created_at`);
-- Create "emergency_lookups" table
CREATE TABLE `emergency_lookups` (`id` text NOT NULL, `created_at` datetime NOT NULL, `expires_at` datetime NOT NULL, `practice_id` text NOT NULL, `member_id` text NOT NULL, `client_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `emergency_lookups_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `emergency_lookups_members_member` FOREIGN KEY (`member_id`) REFERENCES `members` (`id`) ON DELETE NO ACTION, CONSTRAINT `emergency_lookups_clients_client` FOREIGN KEY (`client_id`) REFERENCES `clients` (`id`) ON DELETE NO ACTION);
-- Create index "emergencylookup_practice_id" to table: "emergency_lookups"
CREATE INDEX `emergencylookup_practice_id` ON `emergency_lookups` (`practice_id`);
-- Create index "emergencylookup_member_id_client_id_expires_at" to table: "emergency_lookups"
CREATE INDEX `emergencylookup_member_id_client_id_expires_at` ON `emergency_lookups` (`member_id`, `client_id`, `expires_at`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
