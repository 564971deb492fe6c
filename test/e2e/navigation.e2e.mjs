import { expect, nav, signIn, test } from "./harness.mjs";

const PAGES = [
  { link: "Overview", heading: "Overview", says: "Open System Errors" },
  { link: "System Errors", heading: "System Errors", says: "System Error type" },
  { link: "Alerts", heading: "Alerts", says: "Detection Errors" },
  { link: "Log Sources", heading: "Log Sources", says: "Pipewatch Audit Log" },
  { link: "Schemas", heading: "Schemas", says: "" },
  { link: "Destinations", heading: "Destinations", says: "Non-Delivered Alerts" },
  { link: "Settings", heading: "API tokens", says: "Create a token" },
];

test("navigation: every sidebar item leads to a page that says what is there", async ({ page, dashboardUrl, adminToken, shot }) => {
  await signIn(page, dashboardUrl, adminToken);
  for (const p of PAGES) {
    await nav(page, p.link);
    await page.getByRole("heading", { level: 1, name: p.heading }).waitFor();
    if (p.says) await page.getByText(p.says).first().waitFor();
    const current = await page.getByRole("navigation", { name: "Main" }).locator('[aria-current="page"]').innerText();
    expect(current.trim() === p.link, `${p.link} is highlighted in the sidebar (got ${current})`);
    await shot(p.link);
  }

  await page.getByRole("button", { name: /^Notifications/ }).click();
  await page.getByRole("dialog", { name: "Notifications" }).getByRole("heading", { name: "Notifications" }).waitFor();
  await shot("notifications");

  await page.goto(`${dashboardUrl}/#/no-such-page`);
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
  await shot("not found");

  // Signing out forgets the token: a reload lands on the sign-in page.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.reload();
  await page.getByLabel("API token").waitFor();
});
