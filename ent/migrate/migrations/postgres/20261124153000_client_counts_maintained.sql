-- client_counts (ent/schema/clientcount.go) kept by the database itself, so
-- that no way of writing clients or tags (the API, the demo, a bulk load, an
-- operator's SQL) can leave it wrong. One row per practice counts every
-- client of it; one row per tag counts the clients carrying it; each also
-- counts those of them not flagged restricted. ent/rule/count_maintained.go
-- reads it for totalCount.
--
-- The triggers are per statement, over transition tables, so that loading a
-- million clients updates each counted row once. Counted rows are updated in
-- id order (a practice's "PR" row before its "TG" rows), so that concurrent
-- writers do not deadlock on them.
--
-- A client's restricted flag and its tags can change at once in two
-- transactions. The tag triggers lock the clients they read (FOR SHARE), so
-- that a change of the flag waits for them or they for it; the statement
-- after the lock then reads the flag as committed. That holds at READ
-- COMMITTED, the isolation the server uses.
--
-- Written by hand: Ent's schema cannot express triggers, and Atlas leaves
-- them alone. A column that changes who a count includes must be handled
-- here too.
CREATE FUNCTION "client_counts_add"(p_id character varying, p_clients bigint, p_unrestricted bigint)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO "client_counts" AS c ("id", "clients", "unrestricted") VALUES (p_id, p_clients, p_unrestricted)
  ON CONFLICT ("id") DO UPDATE SET "clients" = c."clients" + excluded."clients",
    "unrestricted" = c."unrestricted" + excluded."unrestricted";
$$;

-- Inserted and deleted clients count in their practice's row. A client's
-- tags are deleted before it (client_tags has no cascade), so its tags'
-- rows are already down when it goes.
CREATE FUNCTION "client_counts_on_clients"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'INSERT' THEN
    FOR r IN SELECT "practice_id" AS id, count(*) AS n, count(*) FILTER (WHERE NOT "restricted") AS u
        FROM new_rows GROUP BY 1 ORDER BY 1 LOOP
      PERFORM "client_counts_add"(r.id, r.n, r.u);
    END LOOP;
  ELSIF TG_OP = 'DELETE' THEN
    FOR r IN SELECT "practice_id" AS id, count(*) AS n, count(*) FILTER (WHERE NOT "restricted") AS u
        FROM old_rows GROUP BY 1 ORDER BY 1 LOOP
      PERFORM "client_counts_add"(r.id, -r.n, -r.u);
    END LOOP;
  ELSE
    -- A practice never changes (TenantMixin makes it immutable). The
    -- restricted flag moves a client in or out of the unrestricted part of
    -- its practice's row and of its tags' rows.
    FOR r IN SELECT x.id, sum(x.delta) AS delta FROM (
          SELECT n."practice_id" AS id, CASE WHEN n."restricted" THEN -1 ELSE 1 END AS delta
            FROM new_rows n JOIN old_rows o ON o."id" = n."id" WHERE o."restricted" <> n."restricted"
          UNION ALL
          SELECT t."tag_id", CASE WHEN n."restricted" THEN -1 ELSE 1 END
            FROM new_rows n JOIN old_rows o ON o."id" = n."id" JOIN "client_tags" t ON t."client_id" = n."id"
            WHERE o."restricted" <> n."restricted"
        ) x GROUP BY 1 HAVING sum(x.delta) <> 0 ORDER BY 1 LOOP
      PERFORM "client_counts_add"(r.id, 0, r.delta);
    END LOOP;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER "client_counts_client_insert" AFTER INSERT ON "clients"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "client_counts_on_clients"();
CREATE TRIGGER "client_counts_client_update" AFTER UPDATE ON "clients"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "client_counts_on_clients"();
CREATE TRIGGER "client_counts_client_delete" AFTER DELETE ON "clients"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "client_counts_on_clients"();

-- Tags put on and taken off clients count in the tag's row, unrestricted
-- by the client's flag as committed: the clients are locked first.
CREATE FUNCTION "client_counts_on_client_tags"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM 1 FROM "clients" WHERE "id" IN (SELECT "client_id" FROM new_rows) ORDER BY "id" FOR SHARE;
    FOR r IN SELECT t."tag_id" AS id, count(*) AS n, count(*) FILTER (WHERE NOT c."restricted") AS u
        FROM new_rows t JOIN "clients" c ON c."id" = t."client_id" GROUP BY 1 ORDER BY 1 LOOP
      PERFORM "client_counts_add"(r.id, r.n, r.u);
    END LOOP;
  ELSE
    PERFORM 1 FROM "clients" WHERE "id" IN (SELECT "client_id" FROM old_rows) ORDER BY "id" FOR SHARE;
    FOR r IN SELECT t."tag_id" AS id, count(*) AS n, count(*) FILTER (WHERE NOT c."restricted") AS u
        FROM old_rows t JOIN "clients" c ON c."id" = t."client_id" GROUP BY 1 ORDER BY 1 LOOP
      PERFORM "client_counts_add"(r.id, -r.n, -r.u);
    END LOOP;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER "client_counts_client_tag_insert" AFTER INSERT ON "client_tags"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "client_counts_on_client_tags"();
CREATE TRIGGER "client_counts_client_tag_delete" AFTER DELETE ON "client_tags"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "client_counts_on_client_tags"();

-- Nothing may empty a counted table behind the triggers' back.
CREATE FUNCTION "client_counts_no_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is counted in client_counts: delete its rows instead of truncating', TG_TABLE_NAME
    USING ERRCODE = 'feature_not_supported';
END
$$;
CREATE TRIGGER "client_counts_clients_no_truncate" BEFORE TRUNCATE ON "clients"
  FOR EACH STATEMENT EXECUTE FUNCTION "client_counts_no_truncate"();
CREATE TRIGGER "client_counts_client_tags_no_truncate" BEFORE TRUNCATE ON "client_tags"
  FOR EACH STATEMENT EXECUTE FUNCTION "client_counts_no_truncate"();

-- The counts of what is already there, taken after the triggers exist: a
-- write that waited for them is counted by them, one before by this.
INSERT INTO "client_counts" ("id", "clients", "unrestricted")
  SELECT "practice_id", count(*), count(*) FILTER (WHERE NOT "restricted") FROM "clients" GROUP BY 1
  UNION ALL
  SELECT t."tag_id", count(*), count(*) FILTER (WHERE NOT c."restricted")
    FROM "client_tags" t JOIN "clients" c ON c."id" = t."client_id" GROUP BY 1;
