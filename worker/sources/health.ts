import { describeMinutes } from "../alerts/policy";
import type { HealthSnapshot } from "./source-monitor";

export interface HealthCheck {
  name: string;
  healthy: boolean;
  message: string;
  rawErrorMessage?: string;
  checkedAt: string;
}

/** Refused requests in 15 minutes, with none accepted, that mean a shipper holds a wrong secret. */
export const REFUSED_THRESHOLD = 5;
/** Share of failing lines in the last hour that makes classification unhealthy, given enough lines. */
export const FAILURE_RATIO = 0.1;
export const MIN_LINES_FOR_RATIO = 10;

/** The three checks of an HTTP source, from its monitor's snapshot. */
export function evaluateHttpHealth(s: HealthSnapshot, now: Date): HealthCheck[] {
  const checkedAt = now.toISOString();
  const last = s.lastEventProcessedAt ? `the last event was processed at ${s.lastEventProcessedAt}` : "no event has been processed yet";
  const dataArriving: HealthCheck =
    s.alarm.state === "ALARM"
      ? {
          name: "dataArriving",
          healthy: false,
          message: `No events processed in the last ${describeMinutes(s.alarm.minutesThreshold ?? 0)} (${last}). Check the shipper.`,
          checkedAt,
        }
      : {
          name: "dataArriving",
          healthy: true,
          message: s.lastEventProcessedAt
            ? `Data is arriving: ${last}.`
            : "No data has arrived yet. Point a shipper at the ingest URL; this check turns unhealthy only after data has arrived and then stopped.",
          checkedAt,
        };

  const refusing = s.refused15m >= REFUSED_THRESHOLD && s.accepted15m === 0;
  const credentials: HealthCheck = refusing
    ? {
        name: "credentials",
        healthy: false,
        message: `${s.refused15m} requests were refused in the last 15 minutes and none was accepted: the shipper is sending a wrong or missing secret. Update its credentials to match the source's authentication settings.`,
        rawErrorMessage: `401 Unauthorized x${s.refused15m}`,
        checkedAt,
      }
    : {
        name: "credentials",
        healthy: true,
        message: s.refused15m > 0 ? `${s.refused15m} requests were refused in the last 15 minutes, but others were accepted.` : "No request was refused in the last 15 minutes.",
        checkedAt,
      };

  const lines = s.events1h + s.failures1h;
  const ratio = lines ? s.failures1h / lines : 0;
  const classification: HealthCheck =
    lines >= MIN_LINES_FOR_RATIO && ratio > FAILURE_RATIO
      ? {
          name: "classification",
          healthy: false,
          message: `${s.failures1h} of ${lines} lines (${Math.round(ratio * 100)}%) failed to classify in the last hour. Open the classification System Error to see the failing lines.`,
          checkedAt,
        }
      : {
          name: "classification",
          healthy: true,
          message: lines ? `${s.failures1h} of ${lines} lines failed to classify in the last hour.` : "No lines in the last hour.",
          checkedAt,
        };
  return [dataArriving, credentials, classification];
}
