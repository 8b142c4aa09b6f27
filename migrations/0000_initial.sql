CREATE TABLE `citations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` text NOT NULL,
	`quote` text,
	`note` text,
	`country_code` text,
	`other_name_id` integer,
	`organisation_id` text,
	`person_id` text,
	`position_id` text,
	`event_id` text,
	`session_id` text,
	`participation_id` text,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`country_code`) REFERENCES `countries`(`code`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`other_name_id`) REFERENCES `other_names`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`position_id`) REFERENCES `positions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`participation_id`) REFERENCES `participations`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "citations_one_owner" CHECK((("country_code" IS NOT NULL) + ("other_name_id" IS NOT NULL) + ("organisation_id" IS NOT NULL) + ("person_id" IS NOT NULL) + ("position_id" IS NOT NULL) + ("event_id" IS NOT NULL) + ("session_id" IS NOT NULL) + ("participation_id" IS NOT NULL)) = 1)
);
--> statement-breakpoint
CREATE INDEX `citations_source_id_idx` ON `citations` (`source_id`);--> statement-breakpoint
CREATE INDEX `citations_country_code_idx` ON `citations` (`country_code`);--> statement-breakpoint
CREATE INDEX `citations_other_name_id_idx` ON `citations` (`other_name_id`);--> statement-breakpoint
CREATE INDEX `citations_organisation_id_idx` ON `citations` (`organisation_id`);--> statement-breakpoint
CREATE INDEX `citations_person_id_idx` ON `citations` (`person_id`);--> statement-breakpoint
CREATE INDEX `citations_position_id_idx` ON `citations` (`position_id`);--> statement-breakpoint
CREATE INDEX `citations_event_id_idx` ON `citations` (`event_id`);--> statement-breakpoint
CREATE INDEX `citations_session_id_idx` ON `citations` (`session_id`);--> statement-breakpoint
CREATE INDEX `citations_participation_id_idx` ON `citations` (`participation_id`);--> statement-breakpoint
CREATE TABLE `countries` (
	`code` text PRIMARY KEY NOT NULL,
	`alpha3` text NOT NULL,
	`numeric` text NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `countries_alpha3_unique` ON `countries` (`alpha3`);--> statement-breakpoint
CREATE UNIQUE INDEX `countries_numeric_unique` ON `countries` (`numeric`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`classification` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text,
	`city` text,
	`country_code` text,
	`continuation_of_id` text,
	`note` text,
	FOREIGN KEY (`country_code`) REFERENCES `countries`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`continuation_of_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "events_classification_check" CHECK("classification" IN ('roundtable', 'conference', 'workshop', 'meeting', 'training')),
	CONSTRAINT "events_start_date_check" CHECK("start_date" GLOB '[0-9][0-9][0-9][0-9]' OR "start_date" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' OR "start_date" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "events_end_date_check" CHECK("end_date" GLOB '[0-9][0-9][0-9][0-9]' OR "end_date" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' OR "end_date" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "events_end_after_start" CHECK(end_date IS NULL OR end_date >= start_date)
);
--> statement-breakpoint
CREATE INDEX `events_start_date_idx` ON `events` (`start_date`);--> statement-breakpoint
CREATE INDEX `events_country_code_idx` ON `events` (`country_code`);--> statement-breakpoint
CREATE INDEX `events_continuation_of_id_idx` ON `events` (`continuation_of_id`);--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`abbreviation` text,
	`classification` text NOT NULL,
	`portfolio` text,
	`country_code` text,
	`parent_id` text,
	`note` text,
	FOREIGN KEY (`country_code`) REFERENCES `countries`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`parent_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "organisations_classification_check" CHECK("classification" IN ('ministry', 'armed-forces', 'government-agency', 'un-secretariat', 'un-department', 'un-division', 'un-service', 'un-programme', 'un-country-office', 'un-resident-coordinator-office', 'intergovernmental-organisation', 'regional-initiative', 'academic-institution', 'civil-society-organisation')),
	CONSTRAINT "organisations_portfolio_check" CHECK("portfolio" IN ('defence', 'foreign-affairs', 'interior', 'security', 'justice', 'finance')),
	CONSTRAINT "organisations_portfolio_only_for_ministries" CHECK(portfolio IS NULL OR classification = 'ministry')
);
--> statement-breakpoint
CREATE INDEX `organisations_parent_id_idx` ON `organisations` (`parent_id`);--> statement-breakpoint
CREATE INDEX `organisations_country_code_idx` ON `organisations` (`country_code`);--> statement-breakpoint
CREATE INDEX `organisations_portfolio_idx` ON `organisations` (`portfolio`);--> statement-breakpoint
CREATE TABLE `other_names` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`country_code` text,
	`organisation_id` text,
	`person_id` text,
	`name` text NOT NULL,
	`start_date` text,
	`end_date` text,
	`note` text,
	FOREIGN KEY (`country_code`) REFERENCES `countries`(`code`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "other_names_one_owner" CHECK((("country_code" IS NOT NULL) + ("organisation_id" IS NOT NULL) + ("person_id" IS NOT NULL)) = 1),
	CONSTRAINT "other_names_start_date_check" CHECK("start_date" GLOB '[0-9][0-9][0-9][0-9]' OR "start_date" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' OR "start_date" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "other_names_end_date_check" CHECK("end_date" GLOB '[0-9][0-9][0-9][0-9]' OR "end_date" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' OR "end_date" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
);
--> statement-breakpoint
CREATE INDEX `other_names_country_code_idx` ON `other_names` (`country_code`);--> statement-breakpoint
CREATE INDEX `other_names_organisation_id_idx` ON `other_names` (`organisation_id`);--> statement-breakpoint
CREATE INDEX `other_names_person_id_idx` ON `other_names` (`person_id`);--> statement-breakpoint
CREATE TABLE `participations` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`session_id` text,
	`participant_type` text NOT NULL,
	`person_id` text,
	`organisation_id` text,
	`delegation_country_code` text,
	`sector` text,
	`role` text NOT NULL,
	`role_as_worded` text,
	`on_behalf_of_id` text,
	`country_code` text,
	`note` text,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`delegation_country_code`) REFERENCES `countries`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`on_behalf_of_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`country_code`) REFERENCES `countries`(`code`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "participations_participant_type_check" CHECK("participant_type" IN ('person', 'organisation', 'delegation', 'sector')),
	CONSTRAINT "participations_role_check" CHECK("role" IN ('organiser', 'co-organiser', 'co-host', 'keynote-speaker', 'moderator', 'panellist', 'presenter', 'participant')),
	CONSTRAINT "participations_sector_check" CHECK("sector" IN ('academia', 'civil-society')),
	CONSTRAINT "participations_one_participant" CHECK((("person_id" IS NOT NULL) + ("organisation_id" IS NOT NULL) + ("delegation_country_code" IS NOT NULL) + ("sector" IS NOT NULL)) = 1),
	CONSTRAINT "participations_participant_matches_type" CHECK((participant_type = 'person' AND person_id IS NOT NULL) OR (participant_type = 'organisation' AND organisation_id IS NOT NULL) OR (participant_type = 'delegation' AND delegation_country_code IS NOT NULL) OR (participant_type = 'sector' AND sector IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX `participations_event_id_idx` ON `participations` (`event_id`);--> statement-breakpoint
CREATE INDEX `participations_session_id_idx` ON `participations` (`session_id`);--> statement-breakpoint
CREATE INDEX `participations_person_id_idx` ON `participations` (`person_id`);--> statement-breakpoint
CREATE INDEX `participations_organisation_id_idx` ON `participations` (`organisation_id`);--> statement-breakpoint
CREATE INDEX `participations_delegation_country_code_idx` ON `participations` (`delegation_country_code`);--> statement-breakpoint
CREATE INDEX `participations_on_behalf_of_id_idx` ON `participations` (`on_behalf_of_id`);--> statement-breakpoint
CREATE INDEX `participations_country_code_idx` ON `participations` (`country_code`);--> statement-breakpoint
CREATE INDEX `participations_role_idx` ON `participations` (`role`);--> statement-breakpoint
CREATE TABLE `people` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`honorific_prefix` text,
	`given_name` text,
	`family_name` text,
	`sort_name` text NOT NULL,
	`note` text
);
--> statement-breakpoint
CREATE TABLE `positions` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`title` text,
	`as_of` text NOT NULL,
	`note` text,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "positions_as_of_check" CHECK("as_of" GLOB '[0-9][0-9][0-9][0-9]' OR "as_of" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' OR "as_of" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
);
--> statement-breakpoint
CREATE INDEX `positions_person_id_idx` ON `positions` (`person_id`);--> statement-breakpoint
CREATE INDEX `positions_organisation_id_idx` ON `positions` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`name` text NOT NULL,
	`classification` text NOT NULL,
	`note` text,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sessions_classification_check" CHECK("classification" IN ('panel', 'plenary', 'keynote', 'workshop'))
);
--> statement-breakpoint
CREATE INDEX `sessions_event_id_idx` ON `sessions` (`event_id`);--> statement-breakpoint
CREATE TABLE `sources` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`publisher` text NOT NULL,
	`published_on` text,
	`place` text,
	`url` text,
	`content` text,
	`note` text,
	CONSTRAINT "sources_kind_check" CHECK("kind" IN ('article', 'dataset')),
	CONSTRAINT "sources_published_on_check" CHECK("published_on" GLOB '[0-9][0-9][0-9][0-9]' OR "published_on" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' OR "published_on" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
);
