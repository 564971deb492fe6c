import { SYSTEM_ACTOR } from "../auth/actor";
import { describeMinutes } from "../alerts/policy";
import { raiseSystemError, resolveSystemError } from "../alerts/system-errors";

/** The identity of a monitored source, as its monitor knows it. */
export interface MonitoredSource {
  id: string;
  label: string;
  type: string;
}

export function noDataTitle(label: string, minutes: number): string {
  return `No events processed from ${label} in the last ${describeMinutes(minutes)}`;
}

export function raiseNoDataAlert(env: Env, source: MonitoredSource, minutes: number) {
  return raiseSystemError(env, {
    type: "SOURCE_NO_DATA",
    component: { kind: "LOG_SOURCE", id: source.id, label: source.label, sourceType: source.type },
    title: noDataTitle(source.label, minutes),
    message:
      `${source.label} has processed no events for ${describeMinutes(minutes)}, its drop-off threshold. ` +
      `Check that the shipper is running and can reach Pipewatch (its credentials check shows refused requests), ` +
      `or change the threshold if this source is quiet by nature. This alert resolves itself when events arrive.`,
    link: `#/sources/${source.id}/health`,
    context: { sourceId: source.id, minutesThreshold: minutes },
  });
}

export function resolveNoDataAlert(env: Env, source: MonitoredSource, reason: string) {
  return resolveSystemError(env, "SOURCE_NO_DATA", source.id, { by: SYSTEM_ACTOR, reason });
}
