CREATE TABLE `participation_scope_totals` (
	`scope` text PRIMARY KEY NOT NULL,
	`total` integer NOT NULL
);
