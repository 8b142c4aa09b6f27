ALTER TABLE `participation_scopes` ADD `country_code` text;--> statement-breakpoint
ALTER TABLE `participation_scopes` ADD `participant_type` text DEFAULT '' NOT NULL;