CREATE TABLE `data_audit` (
	`p_row_id` text NOT NULL,
	`p_source_id` text NOT NULL,
	`p_source_label` text NOT NULL,
	`p_parse_time` text NOT NULL,
	`operation` text NOT NULL,
	`status` text NOT NULL,
	`error_code` text,
	`error` text,
	`s3_bucket` text NOT NULL,
	`s3_key` text NOT NULL,
	`s3_etag` text NOT NULL,
	`s3_object_size` integer NOT NULL,
	`s3_last_modified` text,
	`record_count` integer DEFAULT 0 NOT NULL,
	`classified_count` integer DEFAULT 0 NOT NULL,
	`failed_count` integer DEFAULT 0 NOT NULL,
	`bytes_processed` integer DEFAULT 0 NOT NULL,
	`assumed_role_arn` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `data_audit_row_id` ON `data_audit` (`p_row_id`);--> statement-breakpoint
CREATE INDEX `data_audit_time` ON `data_audit` (`p_parse_time`,`p_row_id`);--> statement-breakpoint
CREATE INDEX `data_audit_source_status` ON `data_audit` (`p_source_id`,`status`,`p_parse_time`);--> statement-breakpoint
CREATE TABLE `s3_listings` (
	`source_id` text NOT NULL,
	`prefix` text NOT NULL,
	`continuation_token` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `s3_listings_key` ON `s3_listings` (`source_id`,`prefix`);--> statement-breakpoint
CREATE TABLE `s3_objects` (
	`source_id` text NOT NULL,
	`bucket` text NOT NULL,
	`key` text NOT NULL,
	`etag` text NOT NULL,
	`size` integer NOT NULL,
	`last_modified` text NOT NULL,
	`state` text NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`retryable` integer DEFAULT false NOT NULL,
	`queued_at` text NOT NULL,
	`finished_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `s3_objects_object` ON `s3_objects` (`source_id`,`bucket`,`key`,`etag`);--> statement-breakpoint
CREATE INDEX `s3_objects_last_modified` ON `s3_objects` (`last_modified`);