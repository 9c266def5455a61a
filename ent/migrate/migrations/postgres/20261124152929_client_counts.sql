-- Create "client_counts" table
CREATE TABLE "client_counts" ("id" character varying NOT NULL, "clients" bigint NOT NULL, "unrestricted" bigint NOT NULL, PRIMARY KEY ("id"));
