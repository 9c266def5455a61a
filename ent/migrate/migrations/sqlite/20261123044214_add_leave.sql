-- Create "leaves" table
CREATE TABLE `leaves` (`id` text NOT NULL, `created_at` datetime NOT NULL, `starts_at` datetime NOT NULL, `ends_at` datetime NOT NULL, `reason` text NULL, `practice_id` text NOT NULL, `member_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `leaves_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `leaves_members_leave` FOREIGN KEY (`member_id`) REFERENCES `members` (`id`) ON DELETE NO ACTION);
-- Create index "leave_practice_id" to table: "leaves"
CREATE INDEX `leave_practice_id` ON `leaves` (`practice_id`);
-- Create index "leave_member_id_starts_at" to table: "leaves"
CREATE INDEX `leave_member_id_starts_at` ON `leaves` (`member_id`, `starts_at`);
