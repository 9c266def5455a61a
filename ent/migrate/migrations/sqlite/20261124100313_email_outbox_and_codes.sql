-- Create "outbound_emails" table
CREATE TABLE `outbound_emails` (`id` text NOT NULL, `created_at` datetime NOT NULL, `kind` text NOT NULL, `recipient` text NOT NULL, `subject` text NOT NULL, `body` text NOT NULL, `attempts` integer NOT NULL DEFAULT (0), `next_attempt_at` datetime NOT NULL, `lease_until` datetime NULL, `sent_at` datetime NULL, `failed_at` datetime NULL, `last_error` text NULL, PRIMARY KEY (`id`));
-- Create index "outboundemail_sent_at_failed_at_next_attempt_at" to table: "outbound_emails"
CREATE INDEX `outboundemail_sent_at_failed_at_next_attempt_at` ON `outbound_emails` (`sent_at`, `failed_at`, `next_attempt_at`);
-- Create index "outboundemail_recipient_created_at" to table: "outbound_emails"
CREATE INDEX `outboundemail_recipient_created_at` ON `outbound_emails` (`recipient`, `created_at`);
-- Create "password_resets" table
CREATE TABLE `password_resets` (`id` text NOT NULL, `created_at` datetime NOT NULL, `token_hash` text NOT NULL, `expires_at` datetime NOT NULL, `used_at` datetime NULL, `member_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `password_resets_members_member` FOREIGN KEY (`member_id`) REFERENCES `members` (`id`) ON DELETE NO ACTION);
-- Create index "passwordreset_token_hash" to table: "password_resets"
CREATE UNIQUE INDEX `passwordreset_token_hash` ON `password_resets` (`token_hash`);
-- Create index "passwordreset_member_id_created_at" to table: "password_resets"
CREATE INDEX `passwordreset_member_id_created_at` ON `password_resets` (`member_id`, `created_at`);
-- Create "sign_up_requests" table
CREATE TABLE `sign_up_requests` (`id` text NOT NULL, `created_at` datetime NOT NULL, `practice_name` text NOT NULL, `name` text NOT NULL, `email` text NOT NULL, `token_hash` text NOT NULL, `expires_at` datetime NOT NULL, `confirmed_at` datetime NULL, PRIMARY KEY (`id`));
-- Create index "signuprequest_token_hash" to table: "sign_up_requests"
CREATE UNIQUE INDEX `signuprequest_token_hash` ON `sign_up_requests` (`token_hash`);
