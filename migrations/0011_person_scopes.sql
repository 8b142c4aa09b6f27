-- Derived from the tables (src/modules/people/people.scopes.ts fills it). IF NOT EXISTS: applied
-- again over itself (its record in __drizzle_migrations lost), it changes nothing.
CREATE TABLE IF NOT EXISTS `person_scopes` (
	`scope` text NOT NULL,
	`person_id` text NOT NULL,
	PRIMARY KEY(`scope`, `person_id`)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `person_scopes_person_idx` ON `person_scopes` (`person_id`,`scope`);
