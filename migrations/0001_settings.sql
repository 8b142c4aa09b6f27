CREATE TABLE `settings` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
INSERT INTO `settings` (`name`, `value`) VALUES ('cursor_signing_key', lower(hex(randomblob(32)))), ('data_version', '1'), ('search_index_version', 'none');
