-- Create "sessions" table
CREATE TABLE `sessions` (`id` text NOT NULL, `created_at` datetime NOT NULL, `last_seen_at` datetime NULL, `ended_at` datetime NULL, `end_reason` text NULL, `ended_by_id` text NULL, `user_agent` text NULL, `client_address` text NULL, `practice_id` text NOT NULL, `member_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `sessions_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `sessions_members_member` FOREIGN KEY (`member_id`) REFERENCES `members` (`id`) ON DELETE NO ACTION);
-- Create index "session_practice_id" to table: "sessions"
CREATE INDEX `session_practice_id` ON `sessions` (`practice_id`);
-- Create index "session_member_id_ended_at" to table: "sessions"
CREATE INDEX `session_member_id_ended_at` ON `sessions` (`member_id`, `ended_at`);
