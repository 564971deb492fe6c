-- The built-in audit source: every change made through the API is mirrored into the lake as
-- Pipewatch.Audit events from this source. It cannot be deleted and cannot have a drop-off alarm.
INSERT INTO `log_sources` (`id`, `label`, `type`, `log_types`, `log_stream_type`, `enabled`, `config`, `secrets`, `drop_off_minutes`, `created_at`, `created_by`, `updated_at`, `is_healthy`)
VALUES ('audit', 'Pipewatch Audit Log', 'audit', '["Pipewatch.Audit"]', 'JSON', 1, '{}', '{}', NULL, '2026-01-01T00:00:00.000Z', 'system', '2026-01-01T00:00:00.000Z', 1)
ON CONFLICT DO NOTHING;
