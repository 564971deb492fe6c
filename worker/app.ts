import { Hono } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./env";
import { ApiError, ErrorCode, statusOf, type ErrorBody } from "./errors";
import { requireToken } from "./auth/middleware";
import { healthRoutes } from "./routes/health";
import { apiTokenRoutes } from "./routes/api-tokens";
import { logSourceRoutes } from "./routes/log-sources";
import { auditLogRoutes } from "./routes/audit-log";
import { sourceMonitoringRoutes } from "./routes/source-monitoring";
import { logSourceAlarmRoutes } from "./routes/log-source-alarms";
import { alertRoutes } from "./routes/alerts";
import { notificationRoutes } from "./routes/notifications";
import { reprocessingJobRoutes } from "./routes/reprocessing-jobs";
import { destinationRoutes } from "./routes/destinations";
import { deliveryRoutes } from "./routes/deliveries";
import { alertDeliveryRoutes } from "./routes/alert-deliveries";

/** JSON bodies sent to /api are configuration, never logs: 1 MB is ample (a large schema is ~100 KB). */
const API_BODY_LIMIT = 1024 * 1024;

function errorBody(c: { get(key: "requestId"): string }, code: ErrorCode, message: string, details?: ErrorBody["error"]["details"]): ErrorBody {
  return { error: { code, message, requestId: c.get("requestId"), ...(details?.length ? { details } : {}) } };
}

const api = new Hono<AppEnv>()
  .use(
    "*",
    bodyLimit({
      maxSize: API_BODY_LIMIT,
      onError: () => {
        throw new ApiError(ErrorCode.PAYLOAD_TOO_LARGE, `The request body is over ${API_BODY_LIMIT} bytes`);
      },
    }),
  )
  .route("/health", healthRoutes)
  .use("*", requireToken)
  // Who the token belongs to, so the dashboard can hide what a role cannot do.
  .get("/me", (c) => c.json(c.get("actor")))
  .route("/api-tokens", apiTokenRoutes)
  .route("/log-sources", sourceMonitoringRoutes)
  .route("/log-sources", logSourceRoutes)
  .route("/log-source-alarms", logSourceAlarmRoutes)
  .route("/alerts", alertRoutes)
  .route("/alerts", alertDeliveryRoutes)
  .route("/notifications", notificationRoutes)
  .route("/reprocessing-jobs", reprocessingJobRoutes)
  .route("/audit-log", auditLogRoutes)
  .route("/alert-destinations", destinationRoutes)
  .route("/deliveries", deliveryRoutes);

export const app = new Hono<AppEnv>()
  .use("*", async (c, next) => {
    // Honour a caller's request id when it is sane, so a shipper's logs and ours can be joined.
    const given = c.req.header("x-request-id");
    const id = given && /^[\w.:-]{1,100}$/.test(given) ? given : crypto.randomUUID();
    c.set("requestId", id);
    await next();
    c.header("X-Request-Id", id);
  })
  .use("*", secureHeaders())
  .use("/api/*", (c, next) =>
    cors({
      origin: (c.env.DASHBOARD_ORIGINS ?? "").split(",").map((o) => o.trim()).filter(Boolean),
      allowHeaders: ["Authorization", "Content-Type", "X-Request-Id"],
      allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
      exposeHeaders: ["X-Request-Id", "Retry-After"],
      maxAge: 600,
    })(c, next),
  )
  .route("/api", api);

export type AppType = typeof app;

app.notFound((c) => c.json(errorBody(c, ErrorCode.NOT_FOUND, `No route for ${c.req.method} ${new URL(c.req.url).pathname}`), 404));

app.onError((err, c) => {
  if (err instanceof ApiError) {
    for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
    return c.json(errorBody(c, err.code, err.message, err.details), err.status);
  }
  if (err instanceof HTTPException) {
    // Hono's own validator and middleware throw these: malformed JSON is the common one.
    const code = err.status === 400 ? ErrorCode.MALFORMED_JSON : err.status === 413 ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.INTERNAL;
    return c.json(errorBody(c, code, err.message || "Bad request"), statusOf[code]);
  }
  console.error(JSON.stringify({ level: "error", requestId: c.get("requestId"), message: String(err), stack: (err as Error)?.stack }));
  return c.json(errorBody(c, ErrorCode.INTERNAL, "Something went wrong inside Pipewatch; the request id identifies it in the logs"), 500);
});
