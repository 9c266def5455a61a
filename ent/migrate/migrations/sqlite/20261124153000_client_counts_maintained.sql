-- client_counts (ent/schema/clientcount.go) kept by the database itself, so
-- that no way of writing clients or tags (the API, the demo, a bulk load, an
-- operator's SQL) can leave it wrong. One row per practice counts every
-- client of it; one row per tag counts the clients carrying it; each also
-- counts those of them not flagged restricted. ent/rule/count_maintained.go
-- reads it for totalCount. SQLite has one writer at a time, so row triggers
-- need no locking. A client's tags are deleted before it (client_tags has no
-- cascade), so its tags' rows are already down when it goes; its practice
-- never changes (TenantMixin makes it immutable).
--
-- Written by hand: Ent's schema cannot express triggers, and Atlas leaves
-- them alone. A column that changes who a count includes must be handled
-- here too.
CREATE TRIGGER `client_counts_client_insert` AFTER INSERT ON `clients` BEGIN
  INSERT INTO `client_counts` (`id`, `clients`, `unrestricted`) VALUES (NEW.`practice_id`, 1, NOT NEW.`restricted`)
    ON CONFLICT (`id`) DO UPDATE SET `clients` = `clients` + excluded.`clients`, `unrestricted` = `unrestricted` + excluded.`unrestricted`;
END;
CREATE TRIGGER `client_counts_client_delete` AFTER DELETE ON `clients` BEGIN
  UPDATE `client_counts` SET `clients` = `clients` - 1, `unrestricted` = `unrestricted` - (NOT OLD.`restricted`)
    WHERE `id` = OLD.`practice_id`;
END;
CREATE TRIGGER `client_counts_client_restricted` AFTER UPDATE OF `restricted` ON `clients`
  WHEN OLD.`restricted` <> NEW.`restricted` BEGIN
  UPDATE `client_counts` SET `unrestricted` = `unrestricted` + (CASE WHEN NEW.`restricted` THEN -1 ELSE 1 END)
    WHERE `id` = NEW.`practice_id` OR `id` IN (SELECT `tag_id` FROM `client_tags` WHERE `client_id` = NEW.`id`);
END;
CREATE TRIGGER `client_counts_client_tag_insert` AFTER INSERT ON `client_tags` BEGIN
  INSERT INTO `client_counts` (`id`, `clients`, `unrestricted`)
    SELECT NEW.`tag_id`, 1, NOT `restricted` FROM `clients` WHERE `id` = NEW.`client_id`
    ON CONFLICT (`id`) DO UPDATE SET `clients` = `clients` + excluded.`clients`, `unrestricted` = `unrestricted` + excluded.`unrestricted`;
END;
CREATE TRIGGER `client_counts_client_tag_delete` AFTER DELETE ON `client_tags` BEGIN
  UPDATE `client_counts` SET `clients` = `clients` - 1,
      `unrestricted` = `unrestricted` - (SELECT NOT `restricted` FROM `clients` WHERE `id` = OLD.`client_id`)
    WHERE `id` = OLD.`tag_id`;
END;

-- The counts of what is already there.
INSERT INTO `client_counts` (`id`, `clients`, `unrestricted`)
  SELECT `practice_id`, count(*), sum(NOT `restricted`) FROM `clients` GROUP BY 1
  UNION ALL
  SELECT t.`tag_id`, count(*), sum(NOT c.`restricted`) FROM `client_tags` t JOIN `clients` c ON c.`id` = t.`client_id` GROUP BY 1;
