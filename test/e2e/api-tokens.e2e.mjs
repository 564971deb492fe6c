import { expect, nav, signIn, test } from "./harness.mjs";

test("api tokens: create one, sign in with it, revoke it", async ({ page, dashboardUrl, adminToken, shot }) => {
  await signIn(page, dashboardUrl, adminToken);
  await nav(page, "Settings");
  await page.getByLabel("Name").fill("Read-only dashboard");
  await page.getByLabel("Role").selectOption("ReadOnly");
  await page.getByLabel("Expires").selectOption({ label: "30 days" });
  await page.getByRole("button", { name: "Create token" }).click();
  const value = await page.getByTestId("new-token").innerText();
  expect(/^pw_\S{20,}$/.test(value), `a token is shown once: ${value}`);
  const row = page.getByRole("row", { name: /Read-only dashboard/ });
  await row.waitFor();
  expect((await row.innerText()).includes("ReadOnly"), "the list shows its role");
  await shot("token created");

  // The new token signs in.
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, dashboardUrl, value);
  await shot("signed in with the new token");
  // A read-only role sees what it may not change, without the buttons to change it.
  await nav(page, "Settings");
  await page.getByText("Only Admins create and revoke tokens").waitFor();
  expect((await page.getByRole("button", { name: "Revoke" }).count()) === 0, "no Revoke button for a read-only token");
  await nav(page, "Log Sources");
  await page.getByRole("row", { name: /Pipewatch Audit Log/ }).waitFor();
  expect((await page.getByRole("link", { name: "New source" }).count()) === 0, "no New source for a read-only token");
  await page.getByRole("button", { name: "Sign out" }).click();

  // Revoked, it is refused.
  await signIn(page, dashboardUrl, adminToken);
  await nav(page, "Settings");
  await page.getByRole("row", { name: /Read-only dashboard/ }).getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("dialog").getByText("Anything using this token is refused").waitFor();
  await shot("confirm revoke");
  await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
  await page.getByRole("row", { name: /Read-only dashboard/ }).getByText("Revoked").waitFor();
  await shot("token revoked");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("API token").fill(value);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("This token was refused").waitFor();
});
