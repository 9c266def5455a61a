-- client_counts (ent/schema/clientcount.go) kept by the database itself, so
-- that no way of writing clients, tags or their pairs (the API, the demo, a
-- bulk load, an operator's SQL) can leave it wrong. One row per practice
-- counts every client of it; one row per tag counts the clients of the
-- tag's own practice carrying it (a pair across practices, which only a
-- broken import makes, is never counted: policy §1); each also counts those
-- of them not flagged restricted. ent/rule/count_maintained.go reads it for
-- totalCount. SQLite has one writer at a time, so row triggers need no
-- locking. The server opens SQLite with foreign keys and recursive triggers
-- on (ent/database/open.go); without the latter, the rows an INSERT OR
-- REPLACE removes would pass the delete triggers, and without the former a
-- client could be deleted before its pairs. An operator's own connection
-- needs both pragmas. A client is inserted before its tags and deleted after them
-- (client_tags has no cascade), so inserting or deleting a client moves its
-- practice's row only.
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
-- A change of id, practice or flag: the rows the old version counted in
-- lose it, those the new one counts in gain it.
CREATE TRIGGER `client_counts_client_update` AFTER UPDATE OF `id`, `practice_id`, `restricted` ON `clients`
  WHEN OLD.`id` IS NOT NEW.`id` OR OLD.`practice_id` IS NOT NEW.`practice_id` OR OLD.`restricted` IS NOT NEW.`restricted` BEGIN
  UPDATE `client_counts` SET `clients` = `clients` - 1, `unrestricted` = `unrestricted` - (NOT OLD.`restricted`)
    WHERE `id` = OLD.`practice_id` OR `id` IN (SELECT t.`tag_id` FROM `client_tags` t JOIN `tags` g ON g.`id` = t.`tag_id`
      WHERE t.`client_id` = OLD.`id` AND g.`practice_id` = OLD.`practice_id`);
  INSERT INTO `client_counts` (`id`, `clients`, `unrestricted`) VALUES (NEW.`practice_id`, 1, NOT NEW.`restricted`)
    ON CONFLICT (`id`) DO UPDATE SET `clients` = `clients` + excluded.`clients`, `unrestricted` = `unrestricted` + excluded.`unrestricted`;
  INSERT INTO `client_counts` (`id`, `clients`, `unrestricted`)
    SELECT t.`tag_id`, 1, NOT NEW.`restricted` FROM `client_tags` t JOIN `tags` g ON g.`id` = t.`tag_id`
    WHERE t.`client_id` = NEW.`id` AND g.`practice_id` = NEW.`practice_id`
    ON CONFLICT (`id`) DO UPDATE SET `clients` = `clients` + excluded.`clients`, `unrestricted` = `unrestricted` + excluded.`unrestricted`;
END;
CREATE TRIGGER `client_counts_client_tag_insert` AFTER INSERT ON `client_tags` BEGIN
  INSERT INTO `client_counts` (`id`, `clients`, `unrestricted`)
    SELECT NEW.`tag_id`, 1, NOT c.`restricted` FROM `clients` c JOIN `tags` g ON g.`id` = NEW.`tag_id`
    WHERE c.`id` = NEW.`client_id` AND g.`practice_id` = c.`practice_id`
    ON CONFLICT (`id`) DO UPDATE SET `clients` = `clients` + excluded.`clients`, `unrestricted` = `unrestricted` + excluded.`unrestricted`;
END;
CREATE TRIGGER `client_counts_client_tag_delete` AFTER DELETE ON `client_tags` BEGIN
  UPDATE `client_counts` SET `clients` = `clients` - 1,
      `unrestricted` = `unrestricted` - (SELECT NOT `restricted` FROM `clients` WHERE `id` = OLD.`client_id`)
    WHERE `id` = OLD.`tag_id` AND EXISTS (SELECT 1 FROM `clients` c JOIN `tags` g ON g.`id` = OLD.`tag_id`
      WHERE c.`id` = OLD.`client_id` AND g.`practice_id` = c.`practice_id`);
END;
-- An update of a pair is its old version taken off and its new one put on.
CREATE TRIGGER `client_counts_client_tag_update` AFTER UPDATE ON `client_tags` BEGIN
  UPDATE `client_counts` SET `clients` = `clients` - 1,
      `unrestricted` = `unrestricted` - (SELECT NOT `restricted` FROM `clients` WHERE `id` = OLD.`client_id`)
    WHERE `id` = OLD.`tag_id` AND EXISTS (SELECT 1 FROM `clients` c JOIN `tags` g ON g.`id` = OLD.`tag_id`
      WHERE c.`id` = OLD.`client_id` AND g.`practice_id` = c.`practice_id`);
  INSERT INTO `client_counts` (`id`, `clients`, `unrestricted`)
    SELECT NEW.`tag_id`, 1, NOT c.`restricted` FROM `clients` c JOIN `tags` g ON g.`id` = NEW.`tag_id`
    WHERE c.`id` = NEW.`client_id` AND g.`practice_id` = c.`practice_id`
    ON CONFLICT (`id`) DO UPDATE SET `clients` = `clients` + excluded.`clients`, `unrestricted` = `unrestricted` + excluded.`unrestricted`;
END;
-- A tag that clients carry never moves to another practice (no API moves
-- tags): its row would count another practice's clients (policy §1). A tag
-- without clients moves with its row at zero.
CREATE TRIGGER `client_counts_tag_stays` BEFORE UPDATE OF `practice_id` ON `tags`
  WHEN OLD.`practice_id` IS NOT NEW.`practice_id` AND EXISTS (SELECT 1 FROM `client_tags` WHERE `tag_id` = OLD.`id`) BEGIN
  SELECT RAISE(ABORT, 'a tag carried by clients cannot move to another practice');
END;

-- The counts of what is already there.
INSERT INTO `client_counts` (`id`, `clients`, `unrestricted`)
  SELECT `practice_id`, count(*), sum(NOT `restricted`) FROM `clients` GROUP BY 1
  UNION ALL
  SELECT t.`tag_id`, count(*), sum(NOT c.`restricted`) FROM `client_tags` t JOIN `clients` c ON c.`id` = t.`client_id`
    JOIN `tags` g ON g.`id` = t.`tag_id` AND g.`practice_id` = c.`practice_id` GROUP BY 1;
