import { Hono } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./env";
import { ApiError, ErrorCode, statusOf, type ErrorBody } from "./errors";
import { api } from "./api";
import { ingestRoutes } from "./routes/ingest";

function errorBody(c: { get(key: "requestId"): string }, code: ErrorCode, message: string, details?: ErrorBody["error"]["details"]): ErrorBody {
  return { error: { code, message, requestId: c.get("requestId"), ...(details?.length ? { details } : {}) } };
}

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
  .route("/api", api)
  // Shippers' batches: outside /api (no API token, no CORS); each source authenticates its own.
  .route("/http", ingestRoutes);


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
