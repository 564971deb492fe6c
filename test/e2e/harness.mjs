// A small registry for browser tests: each *.e2e.mjs file calls test(name, fn); scripts/e2e.mjs
// imports the files, then runs every test with a fresh browser context and page.
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export const registered = [];

/**
 * Registers a browser test. `fn` gets { page, dashboardUrl, apiUrl, adminToken, shot }.
 * `timeoutMs` lengthens the runner's limit for a test that must wait on purpose (an alarm).
 */
export function test(name, fn, { timeoutMs } = {}) {
  registered.push({ name, fn, timeoutMs });
}

export const SCREENSHOTS = join(import.meta.dirname, "..", "..", "test-results", "screenshots");

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

/** shot("step name") saves a full-page PNG as <test>-<nn>-<step>.png and returns its path. */
export function screenshotter(page, testName) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  let n = 0;
  return async (step) => {
    n += 1;
    const path = join(SCREENSHOTS, `${slug(testName.split(":")[0])}-${String(n).padStart(2, "0")}-${slug(step)}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  };
}

export function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/** Signs in through the sign-in page and waits for the app shell. */
export async function signIn(page, dashboardUrl, token) {
  await page.goto(dashboardUrl);
  await page.getByLabel("API token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
}

/** Follows a link of the sidebar. */
export async function nav(page, label) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label, exact: true }).click();
}

/** Calls the API directly, for setting up what a test is not about. Throws on a non-2xx answer. */
export async function api(apiUrl, token, method, path, body) {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

export const SIMPLE_SPEC = `version: 0
fields:
  - name: message
    type: string
    required: true
`;

/** Creates an HTTP source with a shared secret through the API; answers the source. */
export async function createHttpSource(apiUrl, token, { label, logTypes, dropOffMinutes = null }) {
  return api(apiUrl, token, "POST", "/api/log-sources/http", {
    integrationLabel: label,
    logTypes,
    logStreamType: "Lines",
    authMethod: "SharedSecret",
    authHeaderKey: "X-Pipewatch-Secret",
    authSecretValue: SHIPPER_SECRET,
    dropOffAlarm: dropOffMinutes === null ? null : { minutesThreshold: dropOffMinutes },
  });
}

export const SHIPPER_SECRET = "e2e-shipper-secret";

/** Posts lines to a source's ingest URL as its shipper would; answers the ingest counts. */
export async function ingest(apiUrl, sourceId, lines) {
  const res = await fetch(`${apiUrl}/http/${sourceId}`, {
    method: "POST",
    headers: { "x-pipewatch-secret": SHIPPER_SECRET, "content-type": "application/x-ndjson" },
    body: lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n"),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`ingest answered ${res.status}: ${text}`);
  return JSON.parse(text);
}

/** Polls `check` until it answers something truthy, or fails after `timeoutMs`. */
export async function eventually(check, { timeoutMs = 30_000, intervalMs = 1_000, what = "the condition" } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await check();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${what} did not happen in ${timeoutMs / 1000}s (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}
