-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_appointments" table
CREATE TABLE `new_appointments` (`id` text NOT NULL, `created_at` datetime NOT NULL, `starts_at` datetime NOT NULL, `ends_at` datetime NOT NULL, `status` text NOT NULL DEFAULT ('BOOKED'), `booked_online` bool NOT NULL DEFAULT (false), `appointment_type` text NULL, `outside_availability` bool NOT NULL DEFAULT (false), `cancelled_at` datetime NULL, `cancel_reason` text NULL, `idempotency_key` text NULL, `practice_id` text NOT NULL, `practitioner_id` text NOT NULL, `created_by_id` text NULL, `client_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `appointments_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `appointments_members_practitioner` FOREIGN KEY (`practitioner_id`) REFERENCES `members` (`id`) ON DELETE NO ACTION, CONSTRAINT `appointments_members_created_by` FOREIGN KEY (`created_by_id`) REFERENCES `members` (`id`) ON DELETE SET NULL, CONSTRAINT `appointments_clients_appointments` FOREIGN KEY (`client_id`) REFERENCES `clients` (`id`) ON DELETE NO ACTION);
-- Copy rows from old table "appointments" to new temporary table "new_appointments"
INSERT INTO `new_appointments` (`id`, `created_at`, `starts_at`, `ends_at`, `status`, `booked_online`, `practice_id`, `practitioner_id`, `client_id`) SELECT `id`, `created_at`, `starts_at`, `ends_at`, `status`, `booked_online`, `practice_id`, `practitioner_id`, `client_id` FROM `appointments`;
-- Drop "appointments" table after copying rows
DROP TABLE `appointments`;
-- Rename temporary table "new_appointments" to "appointments"
ALTER TABLE `new_appointments` RENAME TO `appointments`;
-- Create index "appointment_practice_id" to table: "appointments"
CREATE INDEX `appointment_practice_id` ON `appointments` (`practice_id`);
-- Create index "appointment_client_id" to table: "appointments"
CREATE INDEX `appointment_client_id` ON `appointments` (`client_id`);
-- Create index "appointment_practitioner_id_starts_at" to table: "appointments"
CREATE INDEX `appointment_practitioner_id_starts_at` ON `appointments` (`practitioner_id`, `starts_at`);
-- Create index "appointment_practice_id_idempotency_key" to table: "appointments"
CREATE UNIQUE INDEX `appointment_practice_id_idempotency_key` ON `appointments` (`practice_id`, `idempotency_key`) WHERE idempotency_key IS NOT NULL;
-- Create "new_assignments" table
CREATE TABLE `new_assignments` (`id` text NOT NULL, `created_at` datetime NOT NULL, `kind` text NOT NULL, `reason` text NULL, `ended_at` datetime NULL, `end_reason` text NULL, `source` text NOT NULL DEFAULT ('STAFF'), `intake_rule_position` integer NULL, `practice_id` text NOT NULL, `member_id` text NOT NULL, `assigned_by_id` text NULL, `ended_by_id` text NULL, `intake_form_id` text NULL, `intake_link_id` text NULL, `appointment_id` text NULL, `client_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `assignments_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `assignments_members_member` FOREIGN KEY (`member_id`) REFERENCES `members` (`id`) ON DELETE NO ACTION, CONSTRAINT `assignments_members_assigned_by` FOREIGN KEY (`assigned_by_id`) REFERENCES `members` (`id`) ON DELETE SET NULL, CONSTRAINT `assignments_members_ended_by` FOREIGN KEY (`ended_by_id`) REFERENCES `members` (`id`) ON DELETE SET NULL, CONSTRAINT `assignments_intake_forms_intake_form` FOREIGN KEY (`intake_form_id`) REFERENCES `intake_forms` (`id`) ON DELETE SET NULL, CONSTRAINT `assignments_intake_links_intake_link` FOREIGN KEY (`intake_link_id`) REFERENCES `intake_links` (`id`) ON DELETE SET NULL, CONSTRAINT `assignments_appointments_appointment` FOREIGN KEY (`appointment_id`) REFERENCES `appointments` (`id`) ON DELETE SET NULL, CONSTRAINT `assignments_clients_assignments` FOREIGN KEY (`client_id`) REFERENCES `clients` (`id`) ON DELETE NO ACTION);
-- Copy rows from old table "assignments" to new temporary table "new_assignments"
INSERT INTO `new_assignments` (`id`, `created_at`, `kind`, `reason`, `ended_at`, `end_reason`, `practice_id`, `member_id`, `assigned_by_id`, `ended_by_id`, `client_id`) SELECT `id`, `created_at`, `kind`, `reason`, `ended_at`, `end_reason`, `practice_id`, `member_id`, `assigned_by_id`, `ended_by_id`, `client_id` FROM `assignments`;
-- Drop "assignments" table after copying rows
DROP TABLE `assignments`;
-- Rename temporary table "new_assignments" to "assignments"
ALTER TABLE `new_assignments` RENAME TO `assignments`;
-- Create index "assignment_practice_id" to table: "assignments"
CREATE INDEX `assignment_practice_id` ON `assignments` (`practice_id`);
-- Create index "assignment_client_id_ended_at" to table: "assignments"
CREATE INDEX `assignment_client_id_ended_at` ON `assignments` (`client_id`, `ended_at`);
-- Create index "assignment_member_id_ended_at" to table: "assignments"
CREATE INDEX `assignment_member_id_ended_at` ON `assignments` (`member_id`, `ended_at`);
-- Create index "assignment_one_responsible" to table: "assignments"
CREATE UNIQUE INDEX `assignment_one_responsible` ON `assignments` (`client_id`) WHERE kind = 'RESPONSIBLE' AND ended_at IS NULL;
-- Create index "assignment_once_on_care_team" to table: "assignments"
CREATE UNIQUE INDEX `assignment_once_on_care_team` ON `assignments` (`client_id`, `member_id`) WHERE kind = 'CARE_TEAM' AND ended_at IS NULL;
-- Create "new_form_responses" table
CREATE TABLE `new_form_responses` (`id` text NOT NULL, `created_at` datetime NOT NULL, `form_name` text NOT NULL, `submitted_at` datetime NOT NULL, `answers` text NOT NULL DEFAULT (''), `form_version` integer NULL, `link_id` text NULL, `data` json NULL, `idempotency_key` text NULL, `client_id` text NOT NULL, `practice_id` text NOT NULL, `form_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `form_responses_clients_form_responses` FOREIGN KEY (`client_id`) REFERENCES `clients` (`id`) ON DELETE NO ACTION, CONSTRAINT `form_responses_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `form_responses_intake_forms_form` FOREIGN KEY (`form_id`) REFERENCES `intake_forms` (`id`) ON DELETE SET NULL);
-- Copy rows from old table "form_responses" to new temporary table "new_form_responses"
INSERT INTO `new_form_responses` (`id`, `created_at`, `form_name`, `submitted_at`, `answers`, `client_id`, `practice_id`) SELECT `id`, `created_at`, `form_name`, `submitted_at`, `answers`, `client_id`, `practice_id` FROM `form_responses`;
-- Drop "form_responses" table after copying rows
DROP TABLE `form_responses`;
-- Rename temporary table "new_form_responses" to "form_responses"
ALTER TABLE `new_form_responses` RENAME TO `form_responses`;
-- Create index "formresponse_practice_id" to table: "form_responses"
CREATE INDEX `formresponse_practice_id` ON `form_responses` (`practice_id`);
-- Create index "formresponse_client_id" to table: "form_responses"
CREATE INDEX `formresponse_client_id` ON `form_responses` (`client_id`);
-- Create index "formresponse_practice_id_idempotency_key" to table: "form_responses"
CREATE UNIQUE INDEX `formresponse_practice_id_idempotency_key` ON `form_responses` (`practice_id`, `idempotency_key`) WHERE idempotency_key IS NOT NULL;
-- Create "new_members" table
CREATE TABLE `new_members` (`id` text NOT NULL, `created_at` datetime NOT NULL, `name` text NOT NULL, `email` text NOT NULL, `password_hash` text NULL, `account_type` text NOT NULL, `admin` bool NOT NULL DEFAULT (false), `active` bool NOT NULL DEFAULT (true), `slot_minutes` integer NOT NULL DEFAULT (50), `bookable_online` bool NOT NULL DEFAULT (false), `practice_id` text NOT NULL, `role_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `members_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `members_roles_role` FOREIGN KEY (`role_id`) REFERENCES `roles` (`id`) ON DELETE SET NULL);
-- Copy rows from old table "members" to new temporary table "new_members"
INSERT INTO `new_members` (`id`, `created_at`, `name`, `email`, `password_hash`, `account_type`, `admin`, `active`, `slot_minutes`, `practice_id`, `role_id`) SELECT `id`, `created_at`, `name`, `email`, `password_hash`, `account_type`, `admin`, `active`, `slot_minutes`, `practice_id`, `role_id` FROM `members`;
-- Drop "members" table after copying rows
DROP TABLE `members`;
-- Rename temporary table "new_members" to "members"
ALTER TABLE `new_members` RENAME TO `members`;
-- Create index "member_practice_id" to table: "members"
CREATE INDEX `member_practice_id` ON `members` (`practice_id`);
-- Create index "member_email" to table: "members"
CREATE UNIQUE INDEX `member_email` ON `members` (`email`);
-- Create index "member_role_id" to table: "members"
CREATE INDEX `member_role_id` ON `members` (`role_id`);
-- Create index "member_practice_id_name" to table: "members"
CREATE INDEX `member_practice_id_name` ON `members` (`practice_id`, `name`);
-- Create "new_practices" table
CREATE TABLE `new_practices` (`id` text NOT NULL, `created_at` datetime NOT NULL, `name` text NOT NULL, `time_zone` text NOT NULL DEFAULT ('UTC'), `client_visibility` text NOT NULL DEFAULT ('CARE_TEAM'), `assign_new_clients_to_creator` bool NOT NULL DEFAULT (true), `practitioners_manage_own_clients` bool NOT NULL DEFAULT (false), `emergency_access_minutes` integer NOT NULL DEFAULT (60), `emergency_reaches_restricted` bool NOT NULL DEFAULT (false), `booking_enabled` bool NOT NULL DEFAULT (false), `booking_slug` text NULL, `booking_appointment_types` json NULL, `booking_min_notice_minutes` integer NOT NULL DEFAULT (120), `booking_horizon_days` integer NOT NULL DEFAULT (30), `booking_buffer_minutes` integer NOT NULL DEFAULT (0), `public_frame_ancestors` json NULL, PRIMARY KEY (`id`));
-- Copy rows from old table "practices" to new temporary table "new_practices"
INSERT INTO `new_practices` (`id`, `created_at`, `name`, `time_zone`, `client_visibility`, `assign_new_clients_to_creator`, `practitioners_manage_own_clients`, `emergency_access_minutes`, `emergency_reaches_restricted`) SELECT `id`, `created_at`, `name`, `time_zone`, `client_visibility`, `assign_new_clients_to_creator`, `practitioners_manage_own_clients`, `emergency_access_minutes`, `emergency_reaches_restricted` FROM `practices`;
-- Drop "practices" table after copying rows
DROP TABLE `practices`;
-- Rename temporary table "new_practices" to "practices"
ALTER TABLE `new_practices` RENAME TO `practices`;
-- Create index "practices_booking_slug_key" to table: "practices"
CREATE UNIQUE INDEX `practices_booking_slug_key` ON `practices` (`booking_slug`);
-- Create "intake_forms" table
CREATE TABLE `intake_forms` (`id` text NOT NULL, `created_at` datetime NOT NULL, `name` text NOT NULL, `version` integer NOT NULL DEFAULT (1), `practice_id` text NOT NULL, `default_practitioner_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `intake_forms_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `intake_forms_members_default_practitioner` FOREIGN KEY (`default_practitioner_id`) REFERENCES `members` (`id`) ON DELETE SET NULL);
-- Create index "intakeform_practice_id" to table: "intake_forms"
CREATE INDEX `intakeform_practice_id` ON `intake_forms` (`practice_id`);
-- Create "intake_form_versions" table
CREATE TABLE `intake_form_versions` (`id` text NOT NULL, `created_at` datetime NOT NULL, `version` integer NOT NULL, `name` text NOT NULL, `questions` json NOT NULL, `form_id` text NOT NULL, `practice_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `intake_form_versions_intake_forms_versions` FOREIGN KEY (`form_id`) REFERENCES `intake_forms` (`id`) ON DELETE NO ACTION, CONSTRAINT `intake_form_versions_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION);
-- Create index "intakeformversion_practice_id" to table: "intake_form_versions"
CREATE INDEX `intakeformversion_practice_id` ON `intake_form_versions` (`practice_id`);
-- Create index "intakeformversion_form_id_version" to table: "intake_form_versions"
CREATE UNIQUE INDEX `intakeformversion_form_id_version` ON `intake_form_versions` (`form_id`, `version`);
-- Create "intake_links" table
CREATE TABLE `intake_links` (`id` text NOT NULL, `created_at` datetime NOT NULL, `token` text NOT NULL, `enabled` bool NOT NULL DEFAULT (true), `form_id` text NOT NULL, `practice_id` text NOT NULL, `practitioner_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `intake_links_intake_forms_links` FOREIGN KEY (`form_id`) REFERENCES `intake_forms` (`id`) ON DELETE NO ACTION, CONSTRAINT `intake_links_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `intake_links_members_practitioner` FOREIGN KEY (`practitioner_id`) REFERENCES `members` (`id`) ON DELETE SET NULL);
-- Create index "intake_links_token_key" to table: "intake_links"
CREATE UNIQUE INDEX `intake_links_token_key` ON `intake_links` (`token`);
-- Create index "intakelink_practice_id" to table: "intake_links"
CREATE INDEX `intakelink_practice_id` ON `intake_links` (`practice_id`);
-- Create index "intake_link_one_general" to table: "intake_links"
CREATE UNIQUE INDEX `intake_link_one_general` ON `intake_links` (`form_id`) WHERE practitioner_id IS NULL;
-- Create index "intake_link_one_per_practitioner" to table: "intake_links"
CREATE UNIQUE INDEX `intake_link_one_per_practitioner` ON `intake_links` (`form_id`, `practitioner_id`) WHERE practitioner_id IS NOT NULL;
-- Create "intake_rules" table
CREATE TABLE `intake_rules` (`id` text NOT NULL, `created_at` datetime NOT NULL, `position` integer NOT NULL, `question_key` text NOT NULL, `operator` text NOT NULL, `values` json NOT NULL, `tag_ids` json NULL, `form_id` text NOT NULL, `practice_id` text NOT NULL, `practitioner_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `intake_rules_intake_forms_rules` FOREIGN KEY (`form_id`) REFERENCES `intake_forms` (`id`) ON DELETE NO ACTION, CONSTRAINT `intake_rules_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `intake_rules_members_practitioner` FOREIGN KEY (`practitioner_id`) REFERENCES `members` (`id`) ON DELETE NO ACTION);
-- Create index "intakerule_practice_id" to table: "intake_rules"
CREATE INDEX `intakerule_practice_id` ON `intake_rules` (`practice_id`);
-- Create index "intakerule_form_id_position" to table: "intake_rules"
CREATE UNIQUE INDEX `intakerule_form_id_position` ON `intake_rules` (`form_id`, `position`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
