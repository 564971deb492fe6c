import { api, createHttpSource, eventually, expect, ingest, nav, signIn, test } from "./harness.mjs";

const SCHEMA = "Custom.Orders";
const STRICT = `version: 0
fields:
  - name: time
    type: timestamp
    timeFormats:
      - rfc3339
    isEventTime: true
    required: true
  - name: user
    type: object
    required: true
    fields:
      - name: id
        type: bigint
        required: true
      - name: name
        type: string
  - name: message
    type: string
    required: true
`;
// The fix: user ids are opaque strings, and some events have none.
const FIXED = STRICT.replace("        type: bigint\n        required: true\n", "        type: string\n");

const BAD_LINES = [
  { time: "2026-11-29T10:00:01Z", user: { id: "abc", name: "bob" }, message: "order placed" },
  { time: "2026-11-29T10:00:02Z", user: { name: "carl" }, message: "order shipped" },
];
// More than a page of failing lines (10), so the alert page pages them.
const MORE_BAD = Array.from({ length: 10 }, (_, i) => ({ time: `2026-11-29T10:01:${String(i).padStart(2, "0")}Z`, user: { id: `u-${i}` }, message: "order paid" }));

test("classification: a failing line's field is highlighted; fixing the schema and reprocessing reclassifies it", async ({ page, dashboardUrl, apiUrl, adminToken, shot }) => {
  await api(apiUrl, adminToken, "PUT", `/api/schemas/${SCHEMA}`, { spec: STRICT });
  const source = await createHttpSource(apiUrl, adminToken, { label: "Orders API", logTypes: [SCHEMA] });
  const counts = await ingest(apiUrl, source.integrationId, [{ time: "2026-11-29T10:00:00Z", user: { id: 42 }, message: "ok" }, ...BAD_LINES, ...MORE_BAD]);
  expect(counts.classified === 1 && counts.failed === 12, `one line classified, twelve failed: ${JSON.stringify(counts)}`);

  // The System Error is listed, open, and leads to its failing lines.
  await signIn(page, dashboardUrl, adminToken);
  await nav(page, "System Errors");
  const row = page.getByRole("row", { name: /Logs from Orders API cannot be classified/ });
  await row.waitFor();
  expect((await row.innerText()).includes("Open"), "the alert is open");
  await shot("system errors");
  await row.getByRole("link").click();
  await page.waitForURL(/#\/alerts\/[0-9a-f-]{36}$/);
  const alertUrl = page.url();
  await page.getByTestId("alert-description").getByText("matched none of its schemas").waitFor();
  const lines = page.getByTestId("failing-line");
  await lines.nth(1).waitFor();
  // A wrong value: the key and value at $.user.id are marked.
  const hit = await lines.nth(0).locator('[data-mark="hit"]').allInnerTexts();
  expect(hit.length === 1 && hit[0].includes('"id": "abc"'), `the wrong value is highlighted: ${JSON.stringify(hit)}`);
  expect((await lines.nth(0).innerText()).includes("$.user.id"), "the error names the field");
  // A missing field: the object it is missing from is marked instead.
  await lines.nth(1).getByText("The field id is missing from the highlighted object").waitFor();
  expect((await lines.nth(1).locator('[data-mark="parent"]').count()) === 2, "the user object's brackets are marked");
  await shot("failing lines");
  expect((await lines.count()) === 10, `a first page of 10 lines, got ${await lines.count()}`);
  await page.getByRole("button", { name: "Load more lines" }).click();
  await lines.nth(11).waitFor();
  expect((await page.getByRole("button", { name: "Load more lines" }).count()) === 0, "no more pages after 12 lines");

  // Fix the schema in the editor, trying it on the failing lines first.
  await page.getByRole("link", { name: "Orders API" }).waitFor();
  await nav(page, "Schemas");
  await page.getByRole("link", { name: SCHEMA }).click();
  await page.getByLabel("Schema (YAML)").fill(FIXED);
  await page.getByLabel("Sample lines, one JSON event per line").fill(BAD_LINES.map((l) => JSON.stringify(l)).join("\n"));
  await page.getByRole("button", { name: "Run test" }).click();
  await page.getByTestId("test-summary").getByText("2 matched").waitFor();
  await page.getByRole("region", { name: "Test against sample lines" }).getByText("Stored event").first().click();
  await page.getByText('"p_log_type": "Custom.Orders"').first().waitFor();
  await shot("schema test");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByText(/^Revision 2, updated/).waitFor();

  // Triage it, then resolve with Reprocess and watch the job finish.
  await page.goto(alertUrl);
  await page.getByLabel("Status", { exact: true }).selectOption("TRIAGED");
  await page.getByLabel("Assignee").fill("alice");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("region", { name: "History" }).getByText("to alice").waitFor();
  await page.getByTestId("alert-badges").getByText("Triaged").waitFor();
  await page.getByRole("button", { name: "Mark as Resolved" }).click();
  const dialog = page.getByRole("dialog", { name: "Mark as Resolved" });
  await dialog.getByText("failures of the last 15 days again with today's schemas").waitFor();
  expect(await dialog.getByRole("radio", { name: /Reprocess/ }).isChecked(), "Reprocess is the default choice");
  await shot("resolve dialog");
  await dialog.getByRole("button", { name: "Reprocess and resolve" }).click();
  const progress = page.getByRole("region", { name: "Reprocessing" });
  await progress.getByText("Completed").waitFor({ timeout: 60_000 });
  const countsText = await page.getByTestId("reprocess-counts").innerText();
  expect(/Reclassified\s*12/.test(countsText) && /Still failing\s*0/.test(countsText), `every line reclassified: ${countsText}`);
  await page.getByTestId("alert-badges").getByText("Resolved").waitFor();
  await lines.nth(0).getByText("Reprocessed").waitFor();
  await shot("reprocessed");

  // The completion is an in-app notification.
  await page.getByRole("button", { name: /^Notifications/ }).click();
  const panel = page.getByRole("dialog", { name: "Notifications" });
  const done = panel.getByRole("button", { name: /Completed reclassifying logs for source Orders API/ });
  await done.waitFor({ timeout: 30_000 });
  await shot("notification");
  const unread = async () => Number(/(\d+) unread/.exec((await page.getByRole("button", { name: /^Notifications/ }).getAttribute("aria-label")) ?? "")?.[1] ?? 0);
  const before = await unread();
  // It links to the alert it is about, and following it marks it read.
  await done.click();
  expect(page.url() === alertUrl, `the notification leads to the alert: ${page.url()}`);
  await eventually(async () => (await unread()) === before - 1, { what: "the notification being marked read" });
  await shot("notification followed");
});
