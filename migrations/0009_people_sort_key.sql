-- The people list's default order as a column: fold(sort_name), written by the seed writer with the
-- sort name, and indexed so that a page is read in order, not sorted. Existing people get theirs
-- here (fold() is registered on every connection that migrates: db/sql-functions.ts); the default
-- exists only because SQLite cannot add a NOT NULL column without one.
ALTER TABLE `people` ADD `sort_key` text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE `people` SET `sort_key` = fold(`sort_name`);--> statement-breakpoint
CREATE INDEX `people_order_idx` ON `people` (`sort_key`,`sort_name`,`id`);
