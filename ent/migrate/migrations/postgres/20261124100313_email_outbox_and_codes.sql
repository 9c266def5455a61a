-- Create "outbound_emails" table
CREATE TABLE "outbound_emails" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "kind" character varying NOT NULL, "recipient" character varying NOT NULL, "subject" character varying NOT NULL, "body" text NOT NULL, "attempts" bigint NOT NULL DEFAULT 0, "next_attempt_at" timestamptz NOT NULL, "lease_until" timestamptz NULL, "sent_at" timestamptz NULL, "failed_at" timestamptz NULL, "last_error" character varying NULL, PRIMARY KEY ("id"));
-- Create index "outboundemail_recipient_created_at" to table: "outbound_emails"
CREATE INDEX "outboundemail_recipient_created_at" ON "outbound_emails" ("recipient", "created_at");
-- Create index "outboundemail_sent_at_failed_at_next_attempt_at" to table: "outbound_emails"
CREATE INDEX "outboundemail_sent_at_failed_at_next_attempt_at" ON "outbound_emails" ("sent_at", "failed_at", "next_attempt_at");
-- Create "sign_up_requests" table
CREATE TABLE "sign_up_requests" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "practice_name" character varying NOT NULL, "name" character varying NOT NULL, "email" character varying NOT NULL, "token_hash" character varying NOT NULL, "expires_at" timestamptz NOT NULL, "confirmed_at" timestamptz NULL, PRIMARY KEY ("id"));
-- Create index "signuprequest_token_hash" to table: "sign_up_requests"
CREATE UNIQUE INDEX "signuprequest_token_hash" ON "sign_up_requests" ("token_hash");
-- Create "password_resets" table
CREATE TABLE "password_resets" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "token_hash" character varying NOT NULL, "expires_at" timestamptz NOT NULL, "used_at" timestamptz NULL, "member_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "password_resets_members_member" FOREIGN KEY ("member_id") REFERENCES "members" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "passwordreset_member_id_created_at" to table: "password_resets"
CREATE INDEX "passwordreset_member_id_created_at" ON "password_resets" ("member_id", "created_at");
-- Create index "passwordreset_token_hash" to table: "password_resets"
CREATE UNIQUE INDEX "passwordreset_token_hash" ON "password_resets" ("token_hash");
