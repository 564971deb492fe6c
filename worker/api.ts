import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./env";
import { ApiError, ErrorCode } from "./errors";
import { requireToken } from "./auth/middleware";
import { healthRoutes } from "./routes/health";
import { schemaRoutes } from "./routes/schemas";
import { monitorRoutes } from "./routes/monitor";
import { apiTokenRoutes } from "./routes/api-tokens";
import { logSourceRoutes } from "./routes/log-sources";
import { s3SourceRoutes } from "./routes/s3-sources";
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

/** Everything under /api: the control plane's REST API (API.md). */
export const api = new Hono<AppEnv>()
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
  // Before logSourceRoutes, whose /:id would otherwise take /s3.
  .route("/log-sources", s3SourceRoutes)
  .route("/log-sources", logSourceRoutes)
  .route("/log-source-alarms", logSourceAlarmRoutes)
  .route("/alerts", alertRoutes)
  .route("/alerts", alertDeliveryRoutes)
  .route("/notifications", notificationRoutes)
  .route("/reprocessing-jobs", reprocessingJobRoutes)
  .route("/schemas", schemaRoutes)
  .route("/monitor", monitorRoutes)
  .route("/audit-log", auditLogRoutes)
  .route("/alert-destinations", destinationRoutes)
  .route("/deliveries", deliveryRoutes);


/** The typed surface of /api, for the dashboard's `hc` client (ingest code stays out of its type check). */
const apiRoot = new Hono<AppEnv>().route("/api", api);
export type AppType = typeof apiRoot;
