-- client_counts (ent/schema/clientcount.go) kept by the database itself, so
-- that no way of writing clients, tags or their pairs (the API, the demo, a
-- bulk load, an operator's SQL) can leave it wrong. One row per practice
-- counts every client of it; one row per tag counts the clients of the
-- tag's own practice carrying it (a pair across practices, which only a
-- broken import makes, is never counted: policy §1); each also counts those
-- of them not flagged restricted. ent/rule/count_maintained.go reads it for
-- totalCount.
--
-- The triggers are per statement, over transition tables, so that loading a
-- million clients updates each counted row once; an update that changes no
-- client's id, practice or flag (a new name) touches no count. Within a
-- statement the counted rows are updated in id order (a practice's "PR"
-- row before its "TG" rows). Two transactions that each change several
-- counted rows in several statements can still deadlock; PostgreSQL then
-- aborts one, and the server runs a mutation that lost such a race again.
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

-- Clients count in their practice's row, and in the rows of the tags of
-- that practice they carry. A client is inserted before its tags and
-- deleted after them (client_tags has no cascade), so only an update moves
-- tag rows here: the rows an old version counted in lose it, those the new
-- one counts in gain it.
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
    FOR r IN
      WITH gone AS (
        SELECT o.* FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM new_rows n
          WHERE n."id" = o."id" AND n."practice_id" = o."practice_id" AND n."restricted" = o."restricted")
      ), came AS (
        SELECT n.* FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM old_rows o
          WHERE o."id" = n."id" AND o."practice_id" = n."practice_id" AND o."restricted" = n."restricted")
      ), moves AS (
        SELECT g."practice_id" AS id, -1 AS n, CASE WHEN g."restricted" THEN 0 ELSE -1 END AS u FROM gone g
        UNION ALL
        SELECT c."practice_id", 1, CASE WHEN c."restricted" THEN 0 ELSE 1 END FROM came c
        UNION ALL
        SELECT t."tag_id", -1, CASE WHEN g."restricted" THEN 0 ELSE -1 END FROM gone g
          JOIN "client_tags" t ON t."client_id" = g."id" JOIN "tags" tg ON tg."id" = t."tag_id" AND tg."practice_id" = g."practice_id"
        UNION ALL
        SELECT t."tag_id", 1, CASE WHEN c."restricted" THEN 0 ELSE 1 END FROM came c
          JOIN "client_tags" t ON t."client_id" = c."id" JOIN "tags" tg ON tg."id" = t."tag_id" AND tg."practice_id" = c."practice_id"
      )
      SELECT m.id, sum(m.n) AS n, sum(m.u) AS u FROM moves m GROUP BY 1
      HAVING sum(m.n) <> 0 OR sum(m.u) <> 0 ORDER BY 1
    LOOP
      PERFORM "client_counts_add"(r.id, r.n, r.u);
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

-- A pair put on, taken off or changed moves the tag's row by its client's
-- flag as committed: the clients are locked first. An update of a pair is
-- its old version taken off and its new one put on. A statement that also
-- deletes or renames the pairs' clients (a writable CTE) is refused: the
-- client is gone before the pair's trigger could read its flag.
CREATE FUNCTION "client_counts_on_client_tags"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM 1 FROM "clients" WHERE "id" IN (SELECT "client_id" FROM new_rows) ORDER BY "id" FOR SHARE;
    PERFORM 1 FROM "tags" WHERE "id" IN (SELECT "tag_id" FROM new_rows) ORDER BY "id" FOR SHARE;
    FOR r IN SELECT t."tag_id" AS id, count(*) AS n, count(*) FILTER (WHERE NOT c."restricted") AS u
        FROM new_rows t JOIN "clients" c ON c."id" = t."client_id"
        JOIN "tags" tg ON tg."id" = t."tag_id" AND tg."practice_id" = c."practice_id"
        GROUP BY 1 ORDER BY 1 LOOP
      PERFORM "client_counts_add"(r.id, r.n, r.u);
    END LOOP;
  ELSIF TG_OP = 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM old_rows t WHERE NOT EXISTS (SELECT 1 FROM "clients" c WHERE c."id" = t."client_id")) THEN
      RAISE EXCEPTION 'pairs and their clients changed in one statement, which client_counts cannot follow: change the pairs first'
        USING ERRCODE = 'feature_not_supported';
    END IF;
    PERFORM 1 FROM "clients" WHERE "id" IN (SELECT "client_id" FROM old_rows) ORDER BY "id" FOR SHARE;
    FOR r IN SELECT t."tag_id" AS id, count(*) AS n, count(*) FILTER (WHERE NOT c."restricted") AS u
        FROM old_rows t JOIN "clients" c ON c."id" = t."client_id"
        JOIN "tags" tg ON tg."id" = t."tag_id" AND tg."practice_id" = c."practice_id"
        GROUP BY 1 ORDER BY 1 LOOP
      PERFORM "client_counts_add"(r.id, -r.n, -r.u);
    END LOOP;
  ELSE
    IF EXISTS (SELECT 1 FROM old_rows t WHERE NOT EXISTS (SELECT 1 FROM "clients" c WHERE c."id" = t."client_id")) THEN
      RAISE EXCEPTION 'pairs and their clients changed in one statement, which client_counts cannot follow: change the pairs first'
        USING ERRCODE = 'feature_not_supported';
    END IF;
    PERFORM 1 FROM "clients" WHERE "id" IN (SELECT "client_id" FROM old_rows UNION SELECT "client_id" FROM new_rows)
      ORDER BY "id" FOR SHARE;
    PERFORM 1 FROM "tags" WHERE "id" IN (SELECT "tag_id" FROM new_rows) ORDER BY "id" FOR SHARE;
    FOR r IN SELECT x.id, sum(x.n) AS n, sum(x.u) AS u FROM (
          SELECT t."tag_id" AS id, -1 AS n, CASE WHEN c."restricted" THEN 0 ELSE -1 END AS u
            FROM old_rows t JOIN "clients" c ON c."id" = t."client_id"
            JOIN "tags" tg ON tg."id" = t."tag_id" AND tg."practice_id" = c."practice_id"
          UNION ALL
          SELECT t."tag_id", 1, CASE WHEN c."restricted" THEN 0 ELSE 1 END
            FROM new_rows t JOIN "clients" c ON c."id" = t."client_id"
            JOIN "tags" tg ON tg."id" = t."tag_id" AND tg."practice_id" = c."practice_id"
        ) x GROUP BY 1 HAVING sum(x.n) <> 0 OR sum(x.u) <> 0 ORDER BY 1 LOOP
      PERFORM "client_counts_add"(r.id, r.n, r.u);
    END LOOP;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER "client_counts_client_tag_insert" AFTER INSERT ON "client_tags"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "client_counts_on_client_tags"();
CREATE TRIGGER "client_counts_client_tag_update" AFTER UPDATE ON "client_tags"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "client_counts_on_client_tags"();
CREATE TRIGGER "client_counts_client_tag_delete" AFTER DELETE ON "client_tags"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "client_counts_on_client_tags"();

-- A tag that clients carry never moves to another practice (no API moves
-- tags): its row would count another practice's clients (policy §1). A tag
-- without clients moves with its row at zero. The pair triggers lock the
-- tags they count in, so that a move and a new pair cannot pass each other.
CREATE FUNCTION "client_counts_tag_stays"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."practice_id" <> OLD."practice_id" AND EXISTS (SELECT 1 FROM "client_tags" WHERE "tag_id" = OLD."id") THEN
    RAISE EXCEPTION 'tag % is carried by clients: it cannot move to another practice', OLD."id"
      USING ERRCODE = 'feature_not_supported';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "client_counts_tag_stays" BEFORE UPDATE OF "practice_id" ON "tags"
  FOR EACH ROW EXECUTE FUNCTION "client_counts_tag_stays"();

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
CREATE TRIGGER "client_counts_tags_no_truncate" BEFORE TRUNCATE ON "tags"
  FOR EACH STATEMENT EXECUTE FUNCTION "client_counts_no_truncate"();

-- The counts of what is already there, taken after the triggers exist: a
-- write that waited for them is counted by them, one before by this.
INSERT INTO "client_counts" ("id", "clients", "unrestricted")
  SELECT "practice_id", count(*), count(*) FILTER (WHERE NOT "restricted") FROM "clients" GROUP BY 1
  UNION ALL
  SELECT t."tag_id", count(*), count(*) FILTER (WHERE NOT c."restricted")
    FROM "client_tags" t JOIN "clients" c ON c."id" = t."client_id"
    JOIN "tags" tg ON tg."id" = t."tag_id" AND tg."practice_id" = c."practice_id"
    GROUP BY 1;
