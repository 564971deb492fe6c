import { api, createHttpSource, eventually, expect, ingest, nav, signIn, test } from "./harness.mjs";

// The stack runs with the local minimum threshold of 1 minute; the alarm fires about a minute
// after the last event, by itself (the Durable Object alarm), so this test waits on purpose.
test(
  "drop-off: a 1-minute threshold set on the Health tab raises SOURCE_NO_DATA when the source goes quiet",
  async ({ page, dashboardUrl, apiUrl, adminToken, shot }) => {
    await api(apiUrl, adminToken, "PUT", "/api/schemas/Custom.Heartbeat", { spec: "version: 0\nfields:\n  - name: beat\n    type: bigint\n    required: true\n" });
    const source = await createHttpSource(apiUrl, adminToken, { label: "Heartbeat shipper", logTypes: ["Custom.Heartbeat"] });
    const id = source.integrationId;

    await signIn(page, dashboardUrl, adminToken);
    await page.goto(`${dashboardUrl}/#/sources/${id}/health`);
    const alarm = page.getByRole("region", { name: "Drop-off alarm" });
    await alarm.getByText("Off: no alert is raised").waitFor();
    await alarm.getByLabel("Number").fill("1");
    await alarm.getByLabel("Period").selectOption("Minutes");
    await alarm.getByRole("button", { name: "Turn on" }).click();
    await page.getByTestId("alarm-state").getByText("Insufficient data").waitFor();
    await shot("alarm set");

    await ingest(apiUrl, id, [{ beat: 1 }]);
    await page.getByRole("button", { name: "Re-check" }).click();
    await page.getByTestId("alarm-state").getByText("OK").waitFor();
    await page.getByTestId("check-dataArriving").getByText("Healthy").waitFor();
    await shot("data arriving");

    await eventually(async () => (await api(apiUrl, adminToken, "GET", `/api/log-source-alarms/${id}/SOURCE_NO_DATA`)).state === "ALARM", {
      timeoutMs: 150_000,
      intervalMs: 5_000,
      what: "the drop-off alarm",
    });
    await page.getByRole("button", { name: "Re-check" }).click();
    await page.getByTestId("alarm-state").getByText("ALARM").waitFor();
    const check = await page.getByTestId("check-dataArriving").innerText();
    expect(check.includes("Unhealthy") && check.includes("1 minute"), `data arriving is unhealthy: ${check}`);
    await shot("alarm");

    await nav(page, "Log Sources");
    expect((await page.getByRole("row", { name: /Heartbeat shipper/ }).innerText()).includes("Unhealthy"), "the list shows the source unhealthy");
    await nav(page, "System Errors");
    const row = page.getByRole("row", { name: /No events processed from Heartbeat shipper/ });
    await row.waitFor();
    expect((await row.innerText()).includes("Source not sending data"), "listed as SOURCE_NO_DATA");
    await page.getByLabel("System Error type").selectOption("SOURCE_NO_DATA");
    await page.waitForURL(/subtype=SOURCE_NO_DATA/);
    await row.waitFor();
    await shot("system error listed");
    await nav(page, "Overview");
    expect((await page.getByTestId("system-error-count-SOURCE_NO_DATA").innerText()).includes("1"), "the overview counts it");
    await shot("overview");

    // It is an in-app notification too; Mark all as read clears the bell.
    await page.getByRole("button", { name: /^Notifications/ }).click();
    const panel = page.getByRole("dialog", { name: "Notifications" });
    await panel.getByRole("button", { name: /No events processed from Heartbeat shipper/ }).waitFor();
    await page.getByTestId("unread-count").waitFor();
    await shot("notifications");
    await panel.getByRole("button", { name: "Mark all as read" }).click();
    await page.getByTestId("unread-count").waitFor({ state: "detached" });
    expect((await panel.getByRole("button", { name: "Mark all as read" }).count()) === 0, "nothing is left unread");
    await page.keyboard.press("Escape");

    // Data arriving again resolves it by itself, with a notification saying so.
    await ingest(apiUrl, id, [{ beat: 2 }]);
    await page.goto(`${dashboardUrl}/#/system-errors?subtype=SOURCE_NO_DATA`);
    await eventually(
      async () => {
        await page.reload();
        await page.getByRole("heading", { name: /System Errors/ }).first().waitFor();
        return (await page.getByText("No open System Errors").count()) === 1;
      },
      { timeoutMs: 30_000, intervalMs: 2_000, what: "the SOURCE_NO_DATA alert resolving" },
    );
    await page.getByRole("button", { name: /^Notifications/ }).click();
    await panel.getByRole("button", { name: /Resolved: No events processed from Heartbeat shipper/ }).waitFor({ timeout: 30_000 });
    await shot("resolved by data");
  },
  { timeoutMs: 240_000 },
);
