-- Full-text indexes (FTS5), one per searchable resource, filled by the application: their words
-- come from its search_key() function (see src/search/search-index.ts), which SQL cannot express.
CREATE VIRTUAL TABLE `search_people` USING fts5(record_id UNINDEXED, names, text, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_organisations` USING fts5(record_id UNINDEXED, names, text, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_events` USING fts5(record_id UNINDEXED, names, text, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_participations` USING fts5(record_id UNINDEXED, names, text, tokenize = 'unicode61 remove_diacritics 2');
