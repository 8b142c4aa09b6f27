CREATE TABLE `participation_scopes` (
	`scope` text NOT NULL,
	`participation_id` text NOT NULL,
	`start_date` text NOT NULL,
	`event_id` text NOT NULL,
	`role_rank` integer NOT NULL,
	`participant_key` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `participation_scopes_order_idx` ON `participation_scopes` (`scope`,"start_date" DESC,`event_id`,`role_rank`,`participant_key`,`participation_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `participation_scopes_membership_idx` ON `participation_scopes` (`participation_id`,`scope`);