-- Create index "availability_practice_id_id" to table: "availabilities"
CREATE INDEX `availability_practice_id_id` ON `availabilities` (`practice_id`, `id`);
-- Create index "clientrecord_practice_id_id" to table: "clients"
CREATE INDEX `clientrecord_practice_id_id` ON `clients` (`practice_id`, `id`);
-- Create index "invitation_practice_id_id" to table: "invitations"
CREATE INDEX `invitation_practice_id_id` ON `invitations` (`practice_id`, `id`);
-- Create index "invoice_practice_id_id" to table: "invoices"
CREATE INDEX `invoice_practice_id_id` ON `invoices` (`practice_id`, `id`);
-- Create index "medicalhistory_practice_id_id" to table: "medical_histories"
CREATE INDEX `medicalhistory_practice_id_id` ON `medical_histories` (`practice_id`, `id`);
-- Create index "role_practice_id_id" to table: "roles"
CREATE INDEX `role_practice_id_id` ON `roles` (`practice_id`, `id`);
-- Create index "sessionnote_practice_id_id" to table: "session_notes"
CREATE INDEX `sessionnote_practice_id_id` ON `session_notes` (`practice_id`, `id`);
-- Create index "share_practice_id_id" to table: "shares"
CREATE INDEX `share_practice_id_id` ON `shares` (`practice_id`, `id`);
-- Create index "tag_practice_id_id" to table: "tags"
CREATE INDEX `tag_practice_id_id` ON `tags` (`practice_id`, `id`);
-- Create index "teamaccess_practice_id_id" to table: "team_accesses"
CREATE INDEX `teamaccess_practice_id_id` ON `team_accesses` (`practice_id`, `id`);
-- Create index "leave_practice_id_id" to table: "leaves"
CREATE INDEX `leave_practice_id_id` ON `leaves` (`practice_id`, `id`);
-- Create index "noteaddendum_practice_id_id" to table: "note_addenda"
CREATE INDEX `noteaddendum_practice_id_id` ON `note_addenda` (`practice_id`, `id`);
-- Create index "session_practice_id_id" to table: "sessions"
CREATE INDEX `session_practice_id_id` ON `sessions` (`practice_id`, `id`);
-- Create index "emergencyaccess_practice_id_id" to table: "emergency_accesses"
CREATE INDEX `emergencyaccess_practice_id_id` ON `emergency_accesses` (`practice_id`, `id`);
-- Create index "emergencylookup_practice_id_id" to table: "emergency_lookups"
CREATE INDEX `emergencylookup_practice_id_id` ON `emergency_lookups` (`practice_id`, `id`);
-- Create index "appointment_practice_id_id" to table: "appointments"
CREATE INDEX `appointment_practice_id_id` ON `appointments` (`practice_id`, `id`);
-- Create index "assignment_practice_id_id" to table: "assignments"
CREATE INDEX `assignment_practice_id_id` ON `assignments` (`practice_id`, `id`);
-- Create index "formresponse_practice_id_id" to table: "form_responses"
CREATE INDEX `formresponse_practice_id_id` ON `form_responses` (`practice_id`, `id`);
-- Create index "member_practice_id_id" to table: "members"
CREATE INDEX `member_practice_id_id` ON `members` (`practice_id`, `id`);
-- Create index "intakeform_practice_id_id" to table: "intake_forms"
CREATE INDEX `intakeform_practice_id_id` ON `intake_forms` (`practice_id`, `id`);
-- Create index "intakeformversion_practice_id_id" to table: "intake_form_versions"
CREATE INDEX `intakeformversion_practice_id_id` ON `intake_form_versions` (`practice_id`, `id`);
-- Create index "intakelink_practice_id_id" to table: "intake_links"
CREATE INDEX `intakelink_practice_id_id` ON `intake_links` (`practice_id`, `id`);
-- Create index "intakerule_practice_id_id" to table: "intake_rules"
CREATE INDEX `intakerule_practice_id_id` ON `intake_rules` (`practice_id`, `id`);
-- The indexes by practice alone are prefixes of the new ones: dropped by
-- hand, since Ent's migration diff does not drop indexes.
DROP INDEX `availability_practice_id`;
DROP INDEX `clientrecord_practice_id`;
DROP INDEX `invitation_practice_id`;
DROP INDEX `invoice_practice_id`;
DROP INDEX `medicalhistory_practice_id`;
DROP INDEX `role_practice_id`;
DROP INDEX `sessionnote_practice_id`;
DROP INDEX `share_practice_id`;
DROP INDEX `tag_practice_id`;
DROP INDEX `teamaccess_practice_id`;
DROP INDEX `leave_practice_id`;
DROP INDEX `noteaddendum_practice_id`;
DROP INDEX `session_practice_id`;
DROP INDEX `emergencyaccess_practice_id`;
DROP INDEX `emergencylookup_practice_id`;
DROP INDEX `appointment_practice_id`;
DROP INDEX `assignment_practice_id`;
DROP INDEX `formresponse_practice_id`;
DROP INDEX `member_practice_id`;
DROP INDEX `intakeform_practice_id`;
DROP INDEX `intakeformversion_practice_id`;
DROP INDEX `intakelink_practice_id`;
DROP INDEX `intakerule_practice_id`;
