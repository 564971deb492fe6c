import { api, env } from "./api";

let seq = 0;
export const unique = (prefix: string) => `${prefix} ${Date.now().toString(36)}-${++seq}`;

/** A minimal valid schema spec for a JSON log type. */
export function simpleSpec(extraFields = ""): string {
  return `version: 0
fields:
  - name: message
    type: string
    required: true
  - name: time
    type: timestamp
    timeFormat: rfc3339
    isEventTime: true
${extraFields}`;
}

export async function createSchema(name: string, spec = simpleSpec()) {
  const res = await api(`/api/schemas/${name}`, { method: "PUT", body: { spec, description: `${name} for tests` } });
  if (res.status !== 200 && res.status !== 201) throw new Error(`schema ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export function httpSourceBody(overrides: Record<string, unknown> = {}) {
  return {
    integrationLabel: unique("source"),
    logTypes: ["Custom.Test"],
    logStreamType: "Auto",
    authMethod: "SharedSecret",
    authHeaderKey: "X-Pipewatch-Secret",
    authSecretValue: "s3cret-value-123",
    ...overrides,
  };
}

export async function createHttpSource(overrides: Record<string, unknown> = {}) {
  const res = await api("/api/log-sources/http", { body: httpSourceBody(overrides) });
  if (res.status !== 201) throw new Error(`source: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Puts a schema straight into the control plane, for tests about other things than schemas. */
export async function seedSchema(name: string, spec = simpleSpec()) {
  const now = new Date().toISOString();
  await env.DB.prepare(
    "INSERT INTO schemas (name, description, reference_url, spec, revision, created_at, updated_at) VALUES (?, '', '', ?, 1, ?, ?) ON CONFLICT DO NOTHING",
  )
    .bind(name, spec, now, now)
    .run();
}
