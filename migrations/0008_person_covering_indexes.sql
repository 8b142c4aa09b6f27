DROP INDEX `participations_on_behalf_of_id_idx`;--> statement-breakpoint
DROP INDEX `participations_country_code_idx`;--> statement-breakpoint
CREATE INDEX `participations_on_behalf_of_person_idx` ON `participations` (`on_behalf_of_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `participations_country_code_person_idx` ON `participations` (`country_code`,`person_id`);