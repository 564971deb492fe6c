-- The schema of the audit source's events: every change made through the API.
INSERT INTO `schemas` (`name`, `description`, `reference_url`, `spec`, `revision`, `created_at`, `updated_at`)
VALUES ('Pipewatch.Audit', 'Changes made to Pipewatch through its API (built in)', '', 'version: 0
fields:
  - name: id
    type: string
    required: true
  - name: at
    type: timestamp
    timeFormat: rfc3339
    isEventTime: true
    required: true
  - name: actorId
    type: string
  - name: actorName
    type: string
    indicators: [username]
  - name: action
    type: string
    required: true
  - name: targetType
    type: string
  - name: targetId
    type: string
  - name: details
    type: json
  - name: requestId
    type: string
', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')
ON CONFLICT DO NOTHING;
