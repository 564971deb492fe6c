CREATE TABLE `alert_events` (
	`id` text PRIMARY KEY NOT NULL,
	`alert_id` text NOT NULL,
	`at` text NOT NULL,
	`payload` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alert_events_alert` ON `alert_events` (`alert_id`,`at`);--> statement-breakpoint
CREATE TABLE `alert_history` (
	`id` text PRIMARY KEY NOT NULL,
	`alert_id` text NOT NULL,
	`at` text NOT NULL,
	`actor_id` text NOT NULL,
	`actor_name` text NOT NULL,
	`field` text NOT NULL,
	`from_value` text,
	`to_value` text
);
--> statement-breakpoint
CREATE INDEX `alert_history_alert` ON `alert_history` (`alert_id`,`at`);--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`system_error_type` text,
	`severity` text NOT NULL,
	`status` text NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`link` text NOT NULL,
	`dedup_key` text NOT NULL,
	`related_component` text,
	`component_id` text,
	`component_label` text,
	`source_id` text,
	`source_type` text,
	`context` text NOT NULL,
	`event_count` integer DEFAULT 0 NOT NULL,
	`assignee` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`last_received_event_at` text,
	`resolved_at` text,
	`resolved_by` text,
	`resolution` text
);
--> statement-breakpoint
CREATE INDEX `alerts_created` ON `alerts` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `alerts_type_created` ON `alerts` (`type`,`created_at`);--> statement-breakpoint
CREATE INDEX `alerts_source` ON `alerts` (`source_id`,`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_open_dedup` ON `alerts` (`dedup_key`) WHERE status IN ('OPEN', 'TRIAGED');--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`alert_id` text NOT NULL,
	`output_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`success` integer DEFAULT false NOT NULL,
	`status_code` integer,
	`message` text DEFAULT '' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`webhook_id` text NOT NULL,
	`dispatched_at` text NOT NULL,
	`last_attempt_at` text,
	`next_attempt_at` text
);
--> statement-breakpoint
CREATE INDEX `deliveries_alert` ON `deliveries` (`alert_id`);--> statement-breakpoint
CREATE INDEX `deliveries_status` ON `deliveries` (`status`,`dispatched_at`);--> statement-breakpoint
CREATE TABLE `delivery_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`delivery_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`at` text NOT NULL,
	`success` integer NOT NULL,
	`status_code` integer,
	`message` text NOT NULL,
	`response_excerpt` text,
	`duration_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `delivery_attempts_unique` ON `delivery_attempts` (`delivery_id`,`attempt`);--> statement-breakpoint
CREATE TABLE `destinations` (
	`id` text PRIMARY KEY NOT NULL,
	`display_name` text NOT NULL,
	`output_type` text NOT NULL,
	`config` text NOT NULL,
	`secrets` text NOT NULL,
	`alert_types` text NOT NULL,
	`default_for_severity` text NOT NULL,
	`send_resolved` integer DEFAULT false NOT NULL,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `destinations_display_name_unique` ON `destinations` (`display_name`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`message` text NOT NULL,
	`link` text NOT NULL,
	`alert_id` text,
	`created_at` text NOT NULL,
	`read_at` text
);
--> statement-breakpoint
CREATE INDEX `notifications_created` ON `notifications` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `notifications_unread` ON `notifications` (`read_at`);--> statement-breakpoint
CREATE TABLE `reprocessing_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`alert_id` text NOT NULL,
	`source_id` text NOT NULL,
	`status` text NOT NULL,
	`cutoff` text NOT NULL,
	`up_to` text NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`reclassified` integer DEFAULT 0 NOT NULL,
	`still_failing` integer DEFAULT 0 NOT NULL,
	`too_old` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`finished_at` text
);
