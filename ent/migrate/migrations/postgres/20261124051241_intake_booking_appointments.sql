-- Modify "members" table
ALTER TABLE "members" ADD COLUMN "bookable_online" boolean NOT NULL DEFAULT false;
-- Modify "appointments" table
ALTER TABLE "appointments" ADD COLUMN "appointment_type" character varying NULL, ADD COLUMN "outside_availability" boolean NOT NULL DEFAULT false, ADD COLUMN "cancelled_at" timestamptz NULL, ADD COLUMN "cancel_reason" character varying NULL, ADD COLUMN "idempotency_key" character varying NULL, ADD COLUMN "created_by_id" character varying NULL, ADD CONSTRAINT "appointments_members_created_by" FOREIGN KEY ("created_by_id") REFERENCES "members" ("id") ON UPDATE NO ACTION ON DELETE SET NULL;
-- Create index "appointment_practice_id_idempotency_key" to table: "appointments"
CREATE UNIQUE INDEX "appointment_practice_id_idempotency_key" ON "appointments" ("practice_id", "idempotency_key") WHERE (idempotency_key IS NOT NULL);
-- Modify "practices" table
ALTER TABLE "practices" ADD COLUMN "booking_enabled" boolean NOT NULL DEFAULT false, ADD COLUMN "booking_slug" character varying NULL, ADD COLUMN "booking_appointment_types" jsonb NULL, ADD COLUMN "booking_min_notice_minutes" bigint NOT NULL DEFAULT 120, ADD COLUMN "booking_horizon_days" bigint NOT NULL DEFAULT 30, ADD COLUMN "booking_buffer_minutes" bigint NOT NULL DEFAULT 0, ADD COLUMN "public_frame_ancestors" jsonb NULL;
-- Create index "practices_booking_slug_key" to table: "practices"
CREATE UNIQUE INDEX "practices_booking_slug_key" ON "practices" ("booking_slug");
-- Create "intake_forms" table
CREATE TABLE "intake_forms" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "name" character varying NOT NULL, "version" bigint NOT NULL DEFAULT 1, "practice_id" character varying NOT NULL, "default_practitioner_id" character varying NULL, PRIMARY KEY ("id"), CONSTRAINT "intake_forms_members_default_practitioner" FOREIGN KEY ("default_practitioner_id") REFERENCES "members" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "intake_forms_practices_practice" FOREIGN KEY ("practice_id") REFERENCES "practices" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "intakeform_practice_id" to table: "intake_forms"
CREATE INDEX "intakeform_practice_id" ON "intake_forms" ("practice_id");
-- Create "intake_links" table
CREATE TABLE "intake_links" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "token" character varying NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "form_id" character varying NOT NULL, "practice_id" character varying NOT NULL, "practitioner_id" character varying NULL, PRIMARY KEY ("id"), CONSTRAINT "intake_links_intake_forms_links" FOREIGN KEY ("form_id") REFERENCES "intake_forms" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "intake_links_members_practitioner" FOREIGN KEY ("practitioner_id") REFERENCES "members" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "intake_links_practices_practice" FOREIGN KEY ("practice_id") REFERENCES "practices" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "intake_link_one_general" to table: "intake_links"
CREATE UNIQUE INDEX "intake_link_one_general" ON "intake_links" ("form_id") WHERE (practitioner_id IS NULL);
-- Create index "intake_link_one_per_practitioner" to table: "intake_links"
CREATE UNIQUE INDEX "intake_link_one_per_practitioner" ON "intake_links" ("form_id", "practitioner_id") WHERE (practitioner_id IS NOT NULL);
-- Create index "intake_links_token_key" to table: "intake_links"
CREATE UNIQUE INDEX "intake_links_token_key" ON "intake_links" ("token");
-- Create index "intakelink_practice_id" to table: "intake_links"
CREATE INDEX "intakelink_practice_id" ON "intake_links" ("practice_id");
-- Modify "assignments" table
ALTER TABLE "assignments" ADD COLUMN "source" character varying NOT NULL DEFAULT 'STAFF', ADD COLUMN "intake_rule_position" bigint NULL, ADD COLUMN "intake_form_id" character varying NULL, ADD COLUMN "intake_link_id" character varying NULL, ADD COLUMN "appointment_id" character varying NULL, ADD CONSTRAINT "assignments_appointments_appointment" FOREIGN KEY ("appointment_id") REFERENCES "appointments" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, ADD CONSTRAINT "assignments_intake_forms_intake_form" FOREIGN KEY ("intake_form_id") REFERENCES "intake_forms" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, ADD CONSTRAINT "assignments_intake_links_intake_link" FOREIGN KEY ("intake_link_id") REFERENCES "intake_links" ("id") ON UPDATE NO ACTION ON DELETE SET NULL;
-- Modify "form_responses" table
ALTER TABLE "form_responses" ADD COLUMN "form_version" bigint NULL, ADD COLUMN "link_id" character varying NULL, ADD COLUMN "data" jsonb NULL, ADD COLUMN "idempotency_key" character varying NULL, ADD COLUMN "form_id" character varying NULL, ADD CONSTRAINT "form_responses_intake_forms_form" FOREIGN KEY ("form_id") REFERENCES "intake_forms" ("id") ON UPDATE NO ACTION ON DELETE SET NULL;
-- Create index "formresponse_practice_id_idempotency_key" to table: "form_responses"
CREATE UNIQUE INDEX "formresponse_practice_id_idempotency_key" ON "form_responses" ("practice_id", "idempotency_key") WHERE (idempotency_key IS NOT NULL);
-- Create "intake_form_versions" table
CREATE TABLE "intake_form_versions" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "version" bigint NOT NULL, "name" character varying NOT NULL, "questions" jsonb NOT NULL, "form_id" character varying NOT NULL, "practice_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "intake_form_versions_intake_forms_versions" FOREIGN KEY ("form_id") REFERENCES "intake_forms" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "intake_form_versions_practices_practice" FOREIGN KEY ("practice_id") REFERENCES "practices" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "intakeformversion_form_id_version" to table: "intake_form_versions"
CREATE UNIQUE INDEX "intakeformversion_form_id_version" ON "intake_form_versions" ("form_id", "version");
-- Create index "intakeformversion_practice_id" to table: "intake_form_versions"
CREATE INDEX "intakeformversion_practice_id" ON "intake_form_versions" ("practice_id");
-- Create "intake_rules" table
CREATE TABLE "intake_rules" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "position" bigint NOT NULL, "question_key" character varying NOT NULL, "operator" character varying NOT NULL, "values" jsonb NOT NULL, "tag_ids" jsonb NULL, "form_id" character varying NOT NULL, "practice_id" character varying NOT NULL, "practitioner_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "intake_rules_intake_forms_rules" FOREIGN KEY ("form_id") REFERENCES "intake_forms" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "intake_rules_members_practitioner" FOREIGN KEY ("practitioner_id") REFERENCES "members" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "intake_rules_practices_practice" FOREIGN KEY ("practice_id") REFERENCES "practices" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "intakerule_form_id_position" to table: "intake_rules"
CREATE UNIQUE INDEX "intakerule_form_id_position" ON "intake_rules" ("form_id", "position");
-- Create index "intakerule_practice_id" to table: "intake_rules"
CREATE INDEX "intakerule_practice_id" ON "intake_rules" ("practice_id");
