// A small registry for browser tests: each *.e2e.mjs file calls test(name, fn); scripts/e2e.mjs
// imports the files, then runs every test with a fresh browser context and page.
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export const registered = [];

/** Registers a browser test. `fn` gets { page, dashboardUrl, apiUrl, adminToken, shot, step }. */
export function test(name, fn) {
  registered.push({ name, fn });
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
