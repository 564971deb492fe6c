CREATE TABLE `classification_failures` (
	`p_row_id` text NOT NULL,
	`p_source_id` text NOT NULL,
	`p_source_label` text NOT NULL,
	`p_parse_time` text NOT NULL,
	`payload` text NOT NULL,
	`payload_length` integer NOT NULL,
	`payload_sha256` text,
	`error` text NOT NULL,
	`error_path` text,
	`schemas_tried` text NOT NULL,
	`status` text DEFAULT 'FAILED' NOT NULL,
	`status_changed_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `classification_failures_row_id` ON `classification_failures` (`p_row_id`);--> statement-breakpoint
CREATE INDEX `classification_failures_source` ON `classification_failures` (`p_source_id`,`status`,`p_parse_time`);--> statement-breakpoint
CREATE TABLE `events` (
	`p_row_id` text NOT NULL,
	`p_log_type` text NOT NULL,
	`p_event_time` text NOT NULL,
	`p_parse_time` text NOT NULL,
	`p_source_id` text NOT NULL,
	`p_source_label` text NOT NULL,
	`p_any` text,
	`body` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_row_id` ON `events` (`p_row_id`);--> statement-breakpoint
CREATE INDEX `events_type_time` ON `events` (`p_log_type`,`p_event_time`);--> statement-breakpoint
CREATE INDEX `events_source_parse_time` ON `events` (`p_source_id`,`p_parse_time`);