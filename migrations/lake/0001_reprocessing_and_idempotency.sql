CREATE TABLE `ingest_batches` (
	`source_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`answer` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ingest_batches_key` ON `ingest_batches` (`source_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `ingest_batches_created` ON `ingest_batches` (`created_at`);--> statement-breakpoint
ALTER TABLE `classification_failures` ADD `job_id` text;--> statement-breakpoint
CREATE INDEX `classification_failures_job` ON `classification_failures` (`job_id`,`status`);