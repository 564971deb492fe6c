import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { api } from "./helpers/api";
import { attempt, createDestination, destinationRow, hookUrl, insertAlert, insertDelivery } from "./helpers/delivery";
import { Receiver } from "./helpers/receiver";
import { resetDeliveryIO, setDeliveryFetch } from "../worker/delivery/io";

const DASHBOARD = "http://localhost:5173";
const PD_KEY = "0123456789abcdef0123456789abcdef";
const GENIE_KEY = "5a0c7e8e-2b7d-4a43-9c1e-1f0f3c2b9d10";
const receiver = new Receiver();
beforeAll(() => setDeliveryFetch(receiver.fetch));
afterAll(() => resetDeliveryIO());

type Alert = Awaited<ReturnType<typeof insertAlert>>;

/** Delivers one alert (or its resolution) to a destination and answers the request it made. */
async function sendTo(outputId: string, alert: Alert, kind: "ALERT" | "RESOLVED" = "ALERT") {
  const before = receiver.requests.length;
  const delivery = await insertDelivery(alert.id, outputId, kind);
  const step = await attempt(delivery.id, 1);
  expect(step.row.status).toBe("DELIVERED");
  expect(receiver.requests).toHaveLength(before + 1);
  return { request: receiver.requests[before], delivery };
}

const systemError = (overrides: Partial<Alert> = {}) =>
  insertAlert({
    type: "SYSTEM_ERROR",
    systemErrorType: "SOURCE_NO_DATA",
    severity: "CRITICAL",
    title: "No data from Edge proxies for 1 hour",
    description: "No event arrived from Edge proxies for 1 hour. Check the shipper.",
    link: "#/sources/src-1/health",
    relatedComponent: "LOG_SOURCE",
    componentId: "src-1",
    componentLabel: "Edge proxies",
    sourceId: "src-1",
    sourceType: "http",
    context: { minutesThreshold: 60 },
    eventCount: 1,
    ...overrides,
  });

/** Marks the alert resolved, as resolving a System Error does. */
async function resolved(alert: Alert): Promise<Alert> {
  const done: Alert = { ...alert, status: "RESOLVED", resolvedAt: new Date().toISOString(), resolution: "Data arrives again." };
  await env.DB.prepare("UPDATE alerts SET status = 'RESOLVED', resolved_at = ?, resolution = ? WHERE id = ?").bind(done.resolvedAt, done.resolution, alert.id).run();
  return done;
}

describe("custom webhook", () => {
  it("posts Panther's alert body for a rule alert", async () => {
    const url = hookUrl();
    const dest = await createDestination({ outputConfig: { webhookURL: url } });
    const alert = await insertAlert();
    const { request } = await sendTo(dest.outputId, alert);
    expect(request).toMatchObject({ url, method: "POST" });
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["webhook-signature"]).toBeUndefined();
    expect(Object.keys(request.json)).toEqual(["id", "createdAt", "severity", "type", "link", "title", "name", "alertId", "description", "runbook", "tags", "version", "alertContext", "status"]);
    expect(request.json).toEqual({
      id: "Okta.NewCountryLogin",
      createdAt: alert.createdAt,
      severity: "HIGH",
      type: "RULE",
      link: `${DASHBOARD}/#/alerts/${alert.id}`,
      title: alert.title,
      name: alert.title,
      alertId: alert.id,
      description: alert.description,
      runbook: "Call the user.",
      tags: ["okta", "identity"],
      version: "",
      alertContext: alert.context,
      status: "OPEN",
    });
  });

  it("describes a System Error by its type, with the related component, and sends its resolution", async () => {
    const url = hookUrl();
    const secret = `whsec_${btoa("a-signing-secret-of-32-bytes-abc")}`;
    const dest = await createDestination({ outputConfig: { webhookURL: url, signingSecret: secret } });
    const alert = await systemError();
    const { request, delivery } = await sendTo(dest.outputId, alert);
    expect(request.json).toMatchObject({
      id: "SOURCE_NO_DATA",
      name: alert.title,
      title: alert.title,
      type: "SYSTEM_ERROR",
      severity: "CRITICAL",
      alertId: alert.id,
      status: "OPEN",
      alertContext: {
        systemErrorType: "SOURCE_NO_DATA",
        relatedComponent: { kind: "LOG_SOURCE", id: "src-1", label: "Edge proxies", url: `${DASHBOARD}/#/sources/src-1/health` },
        eventCount: 1,
        details: { minutesThreshold: 60 },
      },
    });
    expect(request.headers["webhook-id"]).toBe(delivery.webhookId);
    expect(Number(request.headers["webhook-timestamp"])).toBeCloseTo(Date.now() / 1000, -1);
    expect(request.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(request.body, request.headers)).toEqual(request.json);

    const done = await resolved(alert);
    const resolution = await sendTo(dest.outputId, done, "RESOLVED");
    expect(resolution.request.json).toMatchObject({ id: "SOURCE_NO_DATA", alertId: alert.id, status: "RESOLVED", resolvedAt: done.resolvedAt, resolution: "Data arrives again." });
    expect(resolution.request.headers["webhook-id"]).toBe(resolution.delivery.webhookId);
    expect(resolution.request.headers["webhook-id"]).not.toBe(delivery.webhookId);
  });
});

describe("Slack", () => {
  it("posts readable Block Kit blocks with a fallback text, escaping what the alert says", async () => {
    const url = `https://hooks.slack.com/services/T0/B0/${crypto.randomUUID()}`;
    const dest = await createDestination({ outputType: "slack", outputConfig: { webhookURL: url } });
    const alert = await systemError({ description: "Ping <!channel> & everyone > now", title: "x".repeat(200) });
    const { request } = await sendTo(dest.outputId, alert);
    expect(request.url).toBe(url);
    const body = request.json;
    expect(body.text).toBe(`[CRITICAL] ${"x".repeat(200)}`);
    expect(body.blocks.map((b: { type: string }) => b.type)).toEqual(["header", "section", "section", "context"]);
    const [header, text, fields, context] = body.blocks;
    expect(header.text.type).toBe("plain_text");
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    expect(text.text).toEqual({ type: "mrkdwn", text: "Ping &lt;!channel&gt; &amp; everyone &gt; now" });
    expect(fields.fields.map((f: { text: string }) => f.text)).toEqual([
      "*Severity*\nCritical",
      "*Type*\nSystem Error · SOURCE_NO_DATA",
      `*Created*\n${alert.createdAt}`,
      `*Log source*\n<${DASHBOARD}/#/sources/src-1/health|Edge proxies>`,
    ]);
    expect(context.elements[0].text).toBe(`<${DASHBOARD}/#/alerts/${alert.id}|View in Pipewatch> · alert ${alert.id}`);
  });

  it("says when an alert is resolved", async () => {
    const dest = await createDestination({ outputType: "slack", outputConfig: { webhookURL: hookUrl() } });
    const alert = await resolved(await systemError());
    const { request } = await sendTo(dest.outputId, alert, "RESOLVED");
    expect(request.json.text).toBe(`Resolved: ${alert.title}`);
    expect(request.json.blocks[1].text.text).toBe("Data arrives again.");
  });
});

describe("Microsoft Teams", () => {
  it("posts an Adaptive Card attachment to the Workflows webhook", async () => {
    const url = hookUrl("teams");
    const dest = await createDestination({ outputType: "msteams", outputConfig: { webhookURL: url } });
    const alert = await insertAlert({ severity: "CRITICAL" });
    const { request } = await sendTo(dest.outputId, alert);
    expect(request.url).toBe(url);
    expect(request.json.type).toBe("message");
    expect(request.json.attachments).toHaveLength(1);
    const [attachment] = request.json.attachments;
    expect(attachment.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(attachment.content).toMatchObject({ type: "AdaptiveCard", $schema: "http://adaptivecards.io/schemas/adaptive-card.json", version: "1.4" });
    expect(attachment.content.body[0]).toMatchObject({ type: "TextBlock", text: `[CRITICAL] ${alert.title}`, weight: "Bolder", wrap: true });
    expect(attachment.content.body[2].type).toBe("FactSet");
    expect(attachment.content.actions).toEqual([{ type: "Action.OpenUrl", title: "View in Pipewatch", url: `${DASHBOARD}/#/alerts/${alert.id}` }]);
  });
});

describe("PagerDuty", () => {
  it("triggers and resolves one Events API v2 alert, keyed by the alert id", async () => {
    const dest = await createDestination({ outputType: "pagerduty", outputConfig: { integrationKey: PD_KEY } });
    const alert = await systemError();
    const { request } = await sendTo(dest.outputId, alert);
    expect(request.url).toBe("https://events.pagerduty.com/v2/enqueue");
    expect(request.json).toMatchObject({
      routing_key: PD_KEY,
      event_action: "trigger",
      dedup_key: alert.id,
      client: "Pipewatch",
      client_url: `${DASHBOARD}/#/alerts/${alert.id}`,
      payload: { summary: alert.title, source: "Edge proxies", severity: "critical", timestamp: alert.createdAt, component: "Edge proxies", class: "System Error · SOURCE_NO_DATA" },
    });
    expect(request.json.payload.custom_details).toMatchObject({ description: alert.description, id: "SOURCE_NO_DATA" });
    expect(request.json.links[0]).toEqual({ href: `${DASHBOARD}/#/alerts/${alert.id}`, text: "View in Pipewatch" });

    const resolution = await sendTo(dest.outputId, await resolved(alert), "RESOLVED");
    expect(resolution.request.json).toEqual({ routing_key: PD_KEY, event_action: "resolve", dedup_key: alert.id });
  });

  it("maps severities and honours apiURL", async () => {
    const dest = await createDestination({ outputType: "pagerduty", outputConfig: { integrationKey: PD_KEY, apiURL: "http://127.0.0.1:9999/pd/" } });
    const seen: Record<string, string> = {};
    for (const severity of ["INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"] as const) {
      const { request } = await sendTo(dest.outputId, await insertAlert({ severity }));
      expect(request.url).toBe("http://127.0.0.1:9999/pd/v2/enqueue");
      seen[severity] = request.json.payload.severity;
    }
    expect(seen).toEqual({ INFO: "info", LOW: "info", MEDIUM: "warning", HIGH: "error", CRITICAL: "critical" });
  });
});

describe("Opsgenie", () => {
  it("creates an alert aliased by the alert id with the region's base URL, and closes it by alias", async () => {
    const dest = await createDestination({ outputType: "opsgenie", outputConfig: { apiKey: GENIE_KEY, serviceRegion: "EU" } });
    const alert = await insertAlert({ severity: "CRITICAL", title: "t".repeat(200) });
    const { request } = await sendTo(dest.outputId, alert);
    expect(request.url).toBe("https://api.eu.opsgenie.com/v2/alerts");
    expect(request.headers.authorization).toBe(`GenieKey ${GENIE_KEY}`);
    expect(request.json).toMatchObject({ alias: alert.id, priority: "P1", source: "Pipewatch", tags: ["okta", "identity"] });
    expect(request.json.message).toHaveLength(130);
    expect(request.json.description).toContain(`${DASHBOARD}/#/alerts/${alert.id}`);
    expect(Object.values(request.json.details).every((v) => typeof v === "string")).toBe(true);

    const resolution = await sendTo(dest.outputId, await resolved(alert), "RESOLVED");
    expect(resolution.request.url).toBe(`https://api.eu.opsgenie.com/v2/alerts/${alert.id}/close?identifierType=alias`);
    expect(resolution.request.headers.authorization).toBe(`GenieKey ${GENIE_KEY}`);
    expect(resolution.request.json).toEqual({ source: "Pipewatch", note: "Data arrives again." });
  });

  it("uses the US base URL, or apiURL when set", async () => {
    const us = await createDestination({ outputType: "opsgenie", outputConfig: { apiKey: GENIE_KEY, serviceRegion: "US" } });
    expect((await sendTo(us.outputId, await insertAlert())).request.url).toBe("https://api.opsgenie.com/v2/alerts");
    const own = await createDestination({ outputType: "opsgenie", outputConfig: { apiKey: GENIE_KEY, serviceRegion: "US", apiURL: "https://genie.internal/base" } });
    expect((await sendTo(own.outputId, await insertAlert())).request.url).toBe("https://genie.internal/base/v2/alerts");
  });
});

describe("test alerts", () => {
  it("sends a test alert now and answers its delivery record", async () => {
    const url = hookUrl("test");
    const dest = await createDestination({ outputConfig: { webhookURL: url } });
    const res = await api(`/api/alert-destinations/${dest.outputId}/test`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      alertId: "test",
      outputId: dest.outputId,
      outputType: "customwebhook",
      displayName: dest.displayName,
      kind: "TEST",
      status: "DELIVERED",
      success: true,
      statusCode: 200,
      attempts: 1,
    });
    expect(Object.keys(res.body)).toEqual(expect.arrayContaining(["id", "alertId", "outputId", "status", "success", "statusCode", "message", "attempts", "dispatchedAt", "lastAttemptAt"]));
    const [sent] = receiver.to(url);
    expect(sent.json).toMatchObject({ id: "Pipewatch.TestAlert", type: "TEST", severity: "INFO", alertId: `test-${res.body.id}` });
  });

  it("tries a failing test once and does not count it against the destination", async () => {
    const url = hookUrl("test");
    const dest = await createDestination({ outputConfig: { webhookURL: url } });
    receiver.script(url, { status: 503, body: "unavailable" });
    const res = await api(`/api/alert-destinations/${dest.outputId}/test`, { method: "POST" });
    expect(res.body).toMatchObject({ status: "FAILED", success: false, statusCode: 503, attempts: 1, message: "HTTP 503: unavailable; gave up after 1 attempt" });
    expect((await destinationRow(dest.outputId))!.consecutiveFailures).toBe(0);
  });
});
