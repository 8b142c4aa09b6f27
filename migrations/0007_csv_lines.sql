-- Each participation's record of the CSV export, rendered when it is written, kept in the list's
-- default order (the keys of participation_scopes) so that an unfiltered export reads the table in
-- order. WITHOUT ROWID: the table is its own index on that order. Written by hand (drizzle cannot
-- declare either); filled by src/modules/participations/participations.csv.ts.
CREATE TABLE `participation_csv_lines` (
	`start_date` text NOT NULL,
	`event_id` text NOT NULL,
	`role_rank` integer NOT NULL,
	`participant_key` text NOT NULL,
	`participation_id` text NOT NULL,
	`line` text NOT NULL,
	PRIMARY KEY (`start_date` DESC, `event_id`, `role_rank`, `participant_key`, `participation_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE UNIQUE INDEX `participation_csv_lines_participation_idx` ON `participation_csv_lines` (`participation_id`);
