-- Create "appointments" table
CREATE TABLE `appointments` (`id` text NOT NULL, `created_at` datetime NOT NULL, `starts_at` datetime NOT NULL, `ends_at` datetime NOT NULL, `status` text NOT NULL DEFAULT ('BOOKED'), `booked_online` bool NOT NULL DEFAULT (false), `practice_id` text NOT NULL, `practitioner_id` text NOT NULL, `client_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `appointments_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `appointments_members_practitioner` FOREIGN KEY (`practitioner_id`) REFERENCES `members` (`id`) ON DELETE NO ACTION, CONSTRAINT `appointments_clients_appointments` FOREIGN KEY (`client_id`) REFERENCES `clients` (`id`) ON DELETE NO ACTION);
-- Create index "appointment_practice_id" to table: "appointments"
CREATE INDEX `appointment_practice_id` ON `appointments` (`practice_id`);
-- Create index "appointment_client_id" to table: "appointments"
CREATE INDEX `appointment_client_id` ON `appointments` (`client_id`);
-- Create index "appointment_practitioner_id_starts_at" to table: "appointments"
CREATE INDEX `appointment_practitioner_id_starts_at` ON `appointments` (`practitioner_id`, `starts_at`);
-- Create "assignments" table
CREATE TABLE `assignments` (`id` text NOT NULL, `created_at` datetime NOT NULL, `kind` text NOT NULL, `reason` text NULL, `ended_at` datetime NULL, `end_reason` text NULL, `practice_id` text NOT NULL, `member_id` text NOT NULL, `assigned_by_id` text NULL, `ended_by_id` text NULL, `client_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `assignments_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `assignments_members_member` FOREIGN KEY (`member_id`) REFERENCES `members` (`id`) ON DELETE NO ACTION, CONSTRAINT `assignments_members_assigned_by` FOREIGN KEY (`assigned_by_id`) REFERENCES `members` (`id`) ON DELETE SET NULL, CONSTRAINT `assignments_members_ended_by` FOREIGN KEY (`ended_by_id`) REFERENCES `members` (`id`) ON DELETE SET NULL, CONSTRAINT `assignments_clients_assignments` FOREIGN KEY (`client_id`) REFERENCES `clients` (`id`) ON DELETE NO ACTION);
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
-- Create "availabilities" table
CREATE TABLE `availabilities` (`id` text NOT NULL, `created_at` datetime NOT NULL, `weekday` integer NOT NULL, `start_minute` integer NOT NULL, `end_minute` integer NOT NULL, `practice_id` text NOT NULL, `member_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `availabilities_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `availabilities_members_availability` FOREIGN KEY (`member_id`) REFERENCES `members` (`id`) ON DELETE NO ACTION);
-- Create index "availability_practice_id" to table: "availabilities"
CREATE INDEX `availability_practice_id` ON `availabilities` (`practice_id`);
-- Create index "availability_member_id_weekday" to table: "availabilities"
CREATE INDEX `availability_member_id_weekday` ON `availabilities` (`member_id`, `weekday`);
-- Create "clients" table
CREATE TABLE `clients` (`id` text NOT NULL, `created_at` datetime NOT NULL, `name` text NOT NULL, `status` text NOT NULL DEFAULT ('ACTIVE'), `visibility` text NOT NULL DEFAULT ('PRACTICE_DEFAULT'), `restricted` bool NOT NULL DEFAULT (false), `source` text NOT NULL DEFAULT ('STAFF'), `email` text NULL, `phone` text NULL, `date_of_birth` datetime NULL, `address` text NULL, `emergency_contact` text NULL, `practice_id` text NOT NULL, `responsible_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `clients_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `clients_members_responsible_practitioner` FOREIGN KEY (`responsible_id`) REFERENCES `members` (`id`) ON DELETE SET NULL);
-- Create index "clientrecord_practice_id" to table: "clients"
CREATE INDEX `clientrecord_practice_id` ON `clients` (`practice_id`);
-- Create index "clientrecord_practice_id_name" to table: "clients"
CREATE INDEX `clientrecord_practice_id_name` ON `clients` (`practice_id`, `name`);
-- Create index "clientrecord_practice_id_created_at" to table: "clients"
CREATE INDEX `clientrecord_practice_id_created_at` ON `clients` (`practice_id`, `created_at`);
-- Create index "clientrecord_responsible_id" to table: "clients"
CREATE INDEX `clientrecord_responsible_id` ON `clients` (`responsible_id`);
-- Create "client_tags" table
CREATE TABLE `client_tags` (`client_id` text NOT NULL, `tag_id` text NOT NULL, PRIMARY KEY (`client_id`, `tag_id`), CONSTRAINT `client_tags_clients_client` FOREIGN KEY (`client_id`) REFERENCES `clients` (`id`) ON DELETE NO ACTION, CONSTRAINT `client_tags_tags_tag` FOREIGN KEY (`tag_id`) REFERENCES `tags` (`id`) ON DELETE NO ACTION);
-- Create index "clienttag_tag_id" to table: "client_tags"
CREATE INDEX `clienttag_tag_id` ON `client_tags` (`tag_id`);
-- Create "emergency_accesses" table
CREATE TABLE `emergency_accesses` (`id` text NOT NULL, `created_at` datetime NOT NULL, `reason` text NOT NULL, `expires_at` datetime NOT NULL, `client_id` text NOT NULL, `practice_id` text NOT NULL, `member_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `emergency_accesses_clients_emergency_accesses` FOREIGN KEY (`client_id`) REFERENCES `clients` (`id`) ON DELETE NO ACTION, CONSTRAINT `emergency_accesses_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `emergency_accesses_members_member` FOREIGN KEY (`member_id`) REFERENCES `members` (`id`) ON DELETE NO ACTION);
-- Create index "emergencyaccess_practice_id" to table: "emergency_accesses"
CREATE INDEX `emergencyaccess_practice_id` ON `emergency_accesses` (`practice_id`);
-- Create index "emergencyaccess_member_id_client_id_expires_at" to table: "emergency_accesses"
CREATE INDEX `emergencyaccess_member_id_client_id_expires_at` ON `emergency_accesses` (`member_id`, `client_id`, `expires_at`);
-- Create "form_responses" table
CREATE TABLE `form_responses` (`id` text NOT NULL, `created_at` datetime NOT NULL, `form_name` text NOT NULL, `submitted_at` datetime NOT NULL, `answers` text NOT NULL DEFAULT (''), `client_id` text NOT NULL, `practice_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `form_responses_clients_form_responses` FOREIGN KEY (`client_id`) REFERENCES `clients` (`id`) ON DELETE NO ACTION, CONSTRAINT `form_responses_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION);
-- Create index "formresponse_practice_id" to table: "form_responses"
CREATE INDEX `formresponse_practice_id` ON `form_responses` (`practice_id`);
-- Create index "formresponse_client_id" to table: "form_responses"
CREATE INDEX `formresponse_client_id` ON `form_responses` (`client_id`);
-- Create "invitations" table
CREATE TABLE `invitations` (`id` text NOT NULL, `created_at` datetime NOT NULL, `email` text NOT NULL, `name` text NOT NULL, `account_type` text NOT NULL, `admin` bool NOT NULL DEFAULT (false), `token_hash` text NOT NULL, `expires_at` datetime NOT NULL, `accepted_at` datetime NULL, `practice_id` text NOT NULL, `role_id` text NULL, `invited_by_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `invitations_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `invitations_roles_role` FOREIGN KEY (`role_id`) REFERENCES `roles` (`id`) ON DELETE SET NULL, CONSTRAINT `invitations_members_invited_by` FOREIGN KEY (`invited_by_id`) REFERENCES `members` (`id`) ON DELETE NO ACTION);
-- Create index "invitation_practice_id" to table: "invitations"
CREATE INDEX `invitation_practice_id` ON `invitations` (`practice_id`);
-- Create index "invitation_token_hash" to table: "invitations"
CREATE UNIQUE INDEX `invitation_token_hash` ON `invitations` (`token_hash`);
-- Create "invoices" table
CREATE TABLE `invoices` (`id` text NOT NULL, `created_at` datetime NOT NULL, `number` text NOT NULL, `amount_cents` integer NOT NULL, `currency` text NOT NULL DEFAULT ('AUD'), `status` text NOT NULL DEFAULT ('ISSUED'), `issued_at` datetime NOT NULL, `due_at` datetime NULL, `paid_at` datetime NULL, `client_id` text NOT NULL, `practice_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `invoices_clients_invoices` FOREIGN KEY (`client_id`) REFERENCES `clients` (`id`) ON DELETE NO ACTION, CONSTRAINT `invoices_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION);
-- Create index "invoice_practice_id" to table: "invoices"
CREATE INDEX `invoice_practice_id` ON `invoices` (`practice_id`);
-- Create index "invoice_client_id" to table: "invoices"
CREATE INDEX `invoice_client_id` ON `invoices` (`client_id`);
-- Create index "invoice_practice_id_number" to table: "invoices"
CREATE UNIQUE INDEX `invoice_practice_id_number` ON `invoices` (`practice_id`, `number`);
-- Create "medical_histories" table
CREATE TABLE `medical_histories` (`id` text NOT NULL, `created_at` datetime NOT NULL, `text` text NOT NULL DEFAULT (''), `medications` text NOT NULL DEFAULT (''), `allergies` text NOT NULL DEFAULT (''), `diagnoses` text NOT NULL DEFAULT (''), `updated_at` datetime NULL, `client_id` text NOT NULL, `practice_id` text NOT NULL, `updated_by_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `medical_histories_clients_medical_history` FOREIGN KEY (`client_id`) REFERENCES `clients` (`id`) ON DELETE NO ACTION, CONSTRAINT `medical_histories_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `medical_histories_members_updated_by` FOREIGN KEY (`updated_by_id`) REFERENCES `members` (`id`) ON DELETE SET NULL);
-- Create index "medical_histories_client_id_key" to table: "medical_histories"
CREATE UNIQUE INDEX `medical_histories_client_id_key` ON `medical_histories` (`client_id`);
-- Create index "medicalhistory_practice_id" to table: "medical_histories"
CREATE INDEX `medicalhistory_practice_id` ON `medical_histories` (`practice_id`);
-- Create index "medicalhistory_client_id" to table: "medical_histories"
CREATE UNIQUE INDEX `medicalhistory_client_id` ON `medical_histories` (`client_id`);
-- Create "members" table
CREATE TABLE `members` (`id` text NOT NULL, `created_at` datetime NOT NULL, `name` text NOT NULL, `email` text NOT NULL, `password_hash` text NULL, `account_type` text NOT NULL, `admin` bool NOT NULL DEFAULT (false), `active` bool NOT NULL DEFAULT (true), `slot_minutes` integer NOT NULL DEFAULT (50), `practice_id` text NOT NULL, `role_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `members_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `members_roles_role` FOREIGN KEY (`role_id`) REFERENCES `roles` (`id`) ON DELETE SET NULL);
-- Create index "member_practice_id" to table: "members"
CREATE INDEX `member_practice_id` ON `members` (`practice_id`);
-- Create index "member_email" to table: "members"
CREATE UNIQUE INDEX `member_email` ON `members` (`email`);
-- Create index "member_role_id" to table: "members"
CREATE INDEX `member_role_id` ON `members` (`role_id`);
-- Create index "member_practice_id_name" to table: "members"
CREATE INDEX `member_practice_id_name` ON `members` (`practice_id`, `name`);
-- Create "practices" table
CREATE TABLE `practices` (`id` text NOT NULL, `created_at` datetime NOT NULL, `name` text NOT NULL, `time_zone` text NOT NULL DEFAULT ('UTC'), `client_visibility` text NOT NULL DEFAULT ('CARE_TEAM'), `assign_new_clients_to_creator` bool NOT NULL DEFAULT (true), `practitioners_manage_own_clients` bool NOT NULL DEFAULT (false), `emergency_access_minutes` integer NOT NULL DEFAULT (60), `emergency_reaches_restricted` bool NOT NULL DEFAULT (false), PRIMARY KEY (`id`));
-- Create "roles" table
CREATE TABLE `roles` (`id` text NOT NULL, `created_at` datetime NOT NULL, `name` text NOT NULL, `account_type` text NOT NULL, `profile_level` text NOT NULL DEFAULT ('NONE'), `scheduling_level` text NOT NULL DEFAULT ('NONE'), `billing_level` text NOT NULL DEFAULT ('NONE'), `medical_history_level` text NOT NULL DEFAULT ('NONE'), `session_notes_level` text NOT NULL DEFAULT ('NONE'), `forms_level` text NOT NULL DEFAULT ('NONE'), `capabilities` json NOT NULL, `practice_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `roles_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION);
-- Create index "role_practice_id" to table: "roles"
CREATE INDEX `role_practice_id` ON `roles` (`practice_id`);
-- Create index "role_practice_id_name" to table: "roles"
CREATE UNIQUE INDEX `role_practice_id_name` ON `roles` (`practice_id`, `name`);
-- Create "session_notes" table
CREATE TABLE `session_notes` (`id` text NOT NULL, `created_at` datetime NOT NULL, `date` datetime NOT NULL, `content` text NOT NULL, `private` bool NOT NULL DEFAULT (false), `signed_at` datetime NULL, `client_id` text NOT NULL, `practice_id` text NOT NULL, `author_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `session_notes_clients_session_notes` FOREIGN KEY (`client_id`) REFERENCES `clients` (`id`) ON DELETE NO ACTION, CONSTRAINT `session_notes_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `session_notes_members_author` FOREIGN KEY (`author_id`) REFERENCES `members` (`id`) ON DELETE NO ACTION);
-- Create index "sessionnote_practice_id" to table: "session_notes"
CREATE INDEX `sessionnote_practice_id` ON `session_notes` (`practice_id`);
-- Create index "sessionnote_client_id" to table: "session_notes"
CREATE INDEX `sessionnote_client_id` ON `session_notes` (`client_id`);
-- Create index "sessionnote_author_id" to table: "session_notes"
CREATE INDEX `sessionnote_author_id` ON `session_notes` (`author_id`);
-- Create "shares" table
CREATE TABLE `shares` (`id` text NOT NULL, `created_at` datetime NOT NULL, `level` text NOT NULL, `expires_at` datetime NULL, `revoked_at` datetime NULL, `client_id` text NOT NULL, `practice_id` text NOT NULL, `member_id` text NOT NULL, `granted_by_id` text NULL, `revoked_by_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `shares_clients_shares` FOREIGN KEY (`client_id`) REFERENCES `clients` (`id`) ON DELETE NO ACTION, CONSTRAINT `shares_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `shares_members_member` FOREIGN KEY (`member_id`) REFERENCES `members` (`id`) ON DELETE NO ACTION, CONSTRAINT `shares_members_granted_by` FOREIGN KEY (`granted_by_id`) REFERENCES `members` (`id`) ON DELETE SET NULL, CONSTRAINT `shares_members_revoked_by` FOREIGN KEY (`revoked_by_id`) REFERENCES `members` (`id`) ON DELETE SET NULL);
-- Create index "share_practice_id" to table: "shares"
CREATE INDEX `share_practice_id` ON `shares` (`practice_id`);
-- Create index "share_member_id_client_id" to table: "shares"
CREATE INDEX `share_member_id_client_id` ON `shares` (`member_id`, `client_id`);
-- Create index "share_client_id" to table: "shares"
CREATE INDEX `share_client_id` ON `shares` (`client_id`);
-- Create "tags" table
CREATE TABLE `tags` (`id` text NOT NULL, `created_at` datetime NOT NULL, `name` text NOT NULL, `practice_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `tags_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION);
-- Create index "tag_practice_id" to table: "tags"
CREATE INDEX `tag_practice_id` ON `tags` (`practice_id`);
-- Create index "tag_practice_id_name" to table: "tags"
CREATE UNIQUE INDEX `tag_practice_id_name` ON `tags` (`practice_id`, `name`);
-- Create "team_accesses" table
CREATE TABLE `team_accesses` (`id` text NOT NULL, `created_at` datetime NOT NULL, `level` text NOT NULL, `revoked_at` datetime NULL, `practice_id` text NOT NULL, `member_id` text NOT NULL, `target_member_id` text NULL, `granted_by_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `team_accesses_practices_practice` FOREIGN KEY (`practice_id`) REFERENCES `practices` (`id`) ON DELETE NO ACTION, CONSTRAINT `team_accesses_members_member` FOREIGN KEY (`member_id`) REFERENCES `members` (`id`) ON DELETE NO ACTION, CONSTRAINT `team_accesses_members_target_member` FOREIGN KEY (`target_member_id`) REFERENCES `members` (`id`) ON DELETE SET NULL, CONSTRAINT `team_accesses_members_granted_by` FOREIGN KEY (`granted_by_id`) REFERENCES `members` (`id`) ON DELETE SET NULL);
-- Create index "teamaccess_practice_id" to table: "team_accesses"
CREATE INDEX `teamaccess_practice_id` ON `team_accesses` (`practice_id`);
-- Create index "teamaccess_member_id" to table: "team_accesses"
CREATE INDEX `teamaccess_member_id` ON `team_accesses` (`member_id`);
-- Create index "teamaccess_target_member_id" to table: "team_accesses"
CREATE INDEX `teamaccess_target_member_id` ON `team_accesses` (`target_member_id`);
-- Create "role_restrict_to_tags" table
CREATE TABLE `role_restrict_to_tags` (`role_id` text NOT NULL, `tag_id` text NOT NULL, PRIMARY KEY (`role_id`, `tag_id`), CONSTRAINT `role_restrict_to_tags_role_id` FOREIGN KEY (`role_id`) REFERENCES `roles` (`id`) ON DELETE CASCADE, CONSTRAINT `role_restrict_to_tags_tag_id` FOREIGN KEY (`tag_id`) REFERENCES `tags` (`id`) ON DELETE CASCADE);
