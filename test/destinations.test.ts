import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, errorOf, tokenFor } from "./helpers/api";
import { createDestination, destinationBody, destinationRow, hookUrl, uid } from "./helpers/delivery";
import { Receiver } from "./helpers/receiver";
import { resetDeliveryIO, setDeliveryFetch } from "../worker/delivery/io";

const SECRET = `whsec_${btoa("0123456789abcdef0123456789abcdef")}`;
const PD_KEY = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const GENIE_KEY = "3f2a4b7c-1d2e-4f5a-8b9c-0d1e2f3a4b5c";

const receiver = new Receiver();
beforeAll(() => setDeliveryFetch(receiver.fetch));
afterAll(() => resetDeliveryIO());

describe("alert destinations", () => {
  it("creates each output type, with secrets masked in every answer", async () => {
    const slackUrl = "https://hooks.slack.com/services/T000/B000/slack-token-123";
    const cases = [
      { outputType: "customwebhook", outputConfig: { webhookURL: "https://siem.example/hook", signingSecret: SECRET }, masked: ["signingSecret"], shown: { webhookURL: "https://siem.example/hook" } },
      { outputType: "slack", outputConfig: { webhookURL: slackUrl }, masked: ["webhookURL"], shown: {} },
      { outputType: "msteams", outputConfig: { webhookURL: "https://prod.westus.logic.azure.com/workflows/1/triggers/manual?sig=teams-sig-456" }, masked: ["webhookURL"], shown: {} },
      { outputType: "pagerduty", outputConfig: { integrationKey: PD_KEY }, masked: ["integrationKey"], shown: {} },
      { outputType: "opsgenie", outputConfig: { apiKey: GENIE_KEY, serviceRegion: "EU", apiURL: "https://og.internal/" }, masked: ["apiKey"], shown: { serviceRegion: "EU", apiURL: "https://og.internal" } },
    ];
    for (const c of cases) {
      const res = await api("/api/alert-destinations", { body: destinationBody({ outputType: c.outputType, outputConfig: c.outputConfig, sendResolved: true }) });
      expect(res.status, c.outputType).toBe(201);
      expect(res.body).toMatchObject({ outputType: c.outputType, sendResolved: true, alertTypes: ["RULE", "SYSTEM_ERROR"], defaultForSeverity: ["HIGH", "CRITICAL"] });
      expect(res.body.outputConfig).toEqual({ ...c.shown, ...Object.fromEntries(c.masked.map((k) => [k, "********"])) });
      const got = await api(`/api/alert-destinations/${res.body.outputId}`);
      expect(got.body).toEqual(res.body);
      const text = JSON.stringify(got.body) + JSON.stringify((await api("/api/alert-destinations?limit=100")).body);
      for (const secret of [SECRET, "slack-token-123", "teams-sig-456", PD_KEY, GENIE_KEY]) expect(text).not.toContain(secret);
    }
  });

  it("defaults to every alert type and no resolutions", async () => {
    const res = await api("/api/alert-destinations", { body: { displayName: uid("d"), outputType: "slack", outputConfig: { webhookURL: hookUrl() }, defaultForSeverity: [] } });
    expect(res.status).toBe(201);
    expect(res.body.alertTypes).toEqual(["RULE", "RULE_ERROR", "SCHEDULED_RULE", "SCHEDULED_RULE_ERROR", "POLICY", "SYSTEM_ERROR"]);
    expect(res.body.sendResolved).toBe(false);
  });

  it("names every invalid field", async () => {
    const post = (body: unknown) => api("/api/alert-destinations", { body });
    const cases: [Record<string, unknown>, string[]][] = [
      [{ outputConfig: { webhookURL: "ftp://files.example/x" } }, ["outputConfig.webhookURL"]],
      [{ outputConfig: { webhookURL: "not a url" } }, ["outputConfig.webhookURL"]],
      [{ outputConfig: { webhookURL: hookUrl(), signingSecret: "plain-secret" } }, ["outputConfig.signingSecret"]],
      [{ outputConfig: { webhookURL: hookUrl(), signingSecret: `whsec_${btoa("too short")}` } }, ["outputConfig.signingSecret"]],
      [{ outputConfig: { webhookURL: hookUrl(), signingSecret: `whsec_${btoa("x".repeat(65))}` } }, ["outputConfig.signingSecret"]],
      [{ outputConfig: { webhookURL: hookUrl(), signingSecret: "whsec_!!!not-base64!!!" } }, ["outputConfig.signingSecret"]],
      [{ outputConfig: { webhookURL: hookUrl(), color: "red" } }, ["outputConfig.color"]],
      [{ outputConfig: {} }, ["outputConfig.webhookURL"]],
      [{ outputType: "pagerduty", outputConfig: { integrationKey: "short" } }, ["outputConfig.integrationKey"]],
      [{ outputType: "pagerduty", outputConfig: { integrationKey: PD_KEY, apiURL: "mailto:x@y.z" } }, ["outputConfig.apiURL"]],
      [{ outputType: "opsgenie", outputConfig: { apiKey: GENIE_KEY, serviceRegion: "APAC" } }, ["outputConfig.serviceRegion"]],
      [{ outputType: "opsgenie", outputConfig: { serviceRegion: "US" } }, ["outputConfig.apiKey"]],
      [{ outputType: "sns" }, ["outputType"]],
      [{ displayName: "<b>bold</b>" }, ["displayName"]],
      [{ displayName: "" }, ["displayName"]],
      [{ alertTypes: ["RULE", "NOPE"] }, ["alertTypes[1]"]],
      [{ defaultForSeverity: ["SEVERE"] }, ["defaultForSeverity[0]"]],
      [{ defaultForSeverity: undefined }, ["defaultForSeverity"]],
      [{ sendResolved: "yes" }, ["sendResolved"]],
      [{ outputConfig: "https://x.example" }, ["outputConfig"]],
      [{ owner: "me" }, ["owner"]],
    ];
    for (const [overrides, paths] of cases) {
      const res = await post(destinationBody(overrides));
      expect(res.status, JSON.stringify(overrides)).toBe(400);
      expect(errorOf(res), JSON.stringify(overrides)).toEqual({ code: "VALIDATION_FAILED", paths });
    }
    const malformed = await api("/api/alert-destinations", { raw: "{", headers: { "content-type": "application/json" } });
    expect(errorOf(malformed).code).toBe("MALFORMED_JSON");
    const notJson = await api("/api/alert-destinations", { raw: "x=1", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(notJson.status).toBe(415);
  });

  it("refuses a duplicate name with 409, on create and on rename", async () => {
    const a = await createDestination();
    const dup = await api("/api/alert-destinations", { body: destinationBody({ displayName: a.displayName }) });
    expect(dup.status).toBe(409);
    expect(errorOf(dup)).toEqual({ code: "CONFLICT", paths: ["displayName"] });
    const b = await createDestination();
    const rename = await api(`/api/alert-destinations/${b.outputId}`, { method: "PUT", body: { displayName: a.displayName } });
    expect(rename.status).toBe(409);
  });

  it("updates by merging: masked or omitted secrets are kept, sent ones replaced, null removes", async () => {
    const url = hookUrl();
    const dest = await createDestination({ outputConfig: { webhookURL: url, signingSecret: SECRET } });
    const id = dest.outputId;
    const stored = async () => (await destinationRow(id))!;

    const renamed = await api(`/api/alert-destinations/${id}`, { method: "PUT", body: { displayName: "Renamed hook " + uid(), outputConfig: { signingSecret: "********" }, sendResolved: true } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.outputConfig).toEqual({ webhookURL: url, signingSecret: "********" });
    expect((await stored()).secrets).toEqual({ signingSecret: SECRET });

    const rotated = `whsec_${btoa("fedcba9876543210fedcba9876543210")}`;
    await api(`/api/alert-destinations/${id}`, { method: "PUT", body: { outputConfig: { signingSecret: rotated } } });
    expect((await stored()).secrets).toEqual({ signingSecret: rotated });

    const unsigned = await api(`/api/alert-destinations/${id}`, { method: "PUT", body: { outputConfig: { signingSecret: null } } });
    expect(unsigned.body.outputConfig).toEqual({ webhookURL: url });
    expect((await stored()).secrets).toEqual({});

    const bad = await api(`/api/alert-destinations/${id}`, { method: "PUT", body: { outputConfig: { webhookURL: "nope" }, sendResolved: 1 } });
    expect(errorOf(bad).paths.sort()).toEqual(["sendResolved"]);
    const badUrl = await api(`/api/alert-destinations/${id}`, { method: "PUT", body: { outputConfig: { webhookURL: "nope" } } });
    expect(errorOf(badUrl).paths).toEqual(["outputConfig.webhookURL"]);
  });

  it("changes output type only with a whole new configuration", async () => {
    const dest = await createDestination({ outputType: "slack", outputConfig: { webhookURL: hookUrl() } });
    const noConfig = await api(`/api/alert-destinations/${dest.outputId}`, { method: "PUT", body: { outputType: "pagerduty" } });
    expect(errorOf(noConfig).paths).toEqual(["outputConfig"]);
    const masked = await api(`/api/alert-destinations/${dest.outputId}`, { method: "PUT", body: { outputType: "msteams", outputConfig: { webhookURL: "********" } } });
    expect(errorOf(masked).paths).toContain("outputConfig.webhookURL");
    const ok = await api(`/api/alert-destinations/${dest.outputId}`, { method: "PUT", body: { outputType: "pagerduty", outputConfig: { integrationKey: PD_KEY } } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ outputType: "pagerduty", outputConfig: { integrationKey: "********" } });
    expect((await destinationRow(dest.outputId))!.secrets).toEqual({ integrationKey: PD_KEY });
  });

  it("deletes, and answers 404 for unknown ids", async () => {
    const dest = await createDestination();
    expect((await api(`/api/alert-destinations/${dest.outputId}`, { method: "DELETE" })).status).toBe(200);
    expect((await api(`/api/alert-destinations/${dest.outputId}`)).status).toBe(404);
    for (const [method, path] of [
      ["GET", "/api/alert-destinations/nope"],
      ["PUT", "/api/alert-destinations/nope"],
      ["DELETE", "/api/alert-destinations/nope"],
      ["POST", "/api/alert-destinations/nope/test"],
    ] as const) {
      const res = await api(path, { method, body: method === "PUT" ? { sendResolved: true } : undefined });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(errorOf(res).code).toBe("NOT_FOUND");
    }
  });

  it("lets ReadOnly and Analyst tokens read but not change destinations", async () => {
    const dest = await createDestination();
    for (const role of ["ReadOnly", "Analyst"] as const) {
      const { token } = await tokenFor(role);
      expect((await api(`/api/alert-destinations/${dest.outputId}`, { token })).status).toBe(200);
      expect((await api("/api/alert-destinations", { token })).status).toBe(200);
      expect((await api("/api/alert-destinations", { token, body: destinationBody() })).status).toBe(403);
      expect((await api(`/api/alert-destinations/${dest.outputId}`, { token, method: "PUT", body: { sendResolved: true } })).status).toBe(403);
      expect((await api(`/api/alert-destinations/${dest.outputId}`, { token, method: "DELETE" })).status).toBe(403);
      expect((await api(`/api/alert-destinations/${dest.outputId}/test`, { token, method: "POST" })).status).toBe(403);
    }
    expect((await api("/api/alert-destinations", { token: null })).status).toBe(401);
  });

  it("audits create, update and delete without secrets", async () => {
    const dest = await createDestination({ outputType: "slack", outputConfig: { webhookURL: "https://hooks.slack.com/services/T/B/audit-secret-1" } });
    await api(`/api/alert-destinations/${dest.outputId}`, { method: "PUT", body: { outputConfig: { webhookURL: "https://hooks.slack.com/services/T/B/audit-secret-2" } } });
    await api(`/api/alert-destinations/${dest.outputId}`, { method: "DELETE" });
    const log = await api(`/api/audit-log?targetId=${dest.outputId}`);
    expect(log.body.results.map((e: { action: string }) => e.action)).toEqual(["destination.delete", "destination.update", "destination.create"]);
    expect(log.body.results[2].details).toMatchObject({ displayName: dest.displayName, outputType: "slack", outputConfig: { webhookURL: "********" } });
    const text = JSON.stringify(log.body);
    expect(text).not.toContain("audit-secret-1");
    expect(text).not.toContain("audit-secret-2");
  });

  it("pages the list by name", async () => {
    for (let i = 0; i < 3; i++) await createDestination({ displayName: `zz-page-${i}` });
    const first = await api("/api/alert-destinations?limit=2");
    expect(first.body.results).toHaveLength(2);
    expect(first.body.next).toEqual(expect.any(String));
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { results: { displayName: string }[]; next: string | null } } = await api(`/api/alert-destinations?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      names.push(...page.body.results.map((d) => d.displayName));
      cursor = page.body.next;
    } while (cursor);
    expect(names).toEqual([...names].sort());
    expect(names.filter((n) => n.startsWith("zz-page-"))).toEqual(["zz-page-0", "zz-page-1", "zz-page-2"]);
    expect(new Set(names).size).toBe(names.length);
  });
});
