/**
 * The drop-off alarm of a source, as pure state transitions. The SourceMonitor object stores the
 * state, keeps its one alarm at or before `deadline()`, and raises or resolves alerts as told.
 */
export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

export interface DropOffState {
  /** Threshold in minutes; null when the source has no alarm. */
  minutes: number | null;
  /** False while the source is paused. */
  enabled: boolean;
  state: AlarmState;
  /** Last time events were processed (ms). */
  lastEventAt: number | null;
  /** Silence is counted from here at the earliest: when the alarm was (re)configured or resumed. */
  armedFrom: number;
}

const MINUTE = 60_000;

/** When the source counts as quiet, or null when no alarm applies now. */
export function deadline(s: DropOffState): number | null {
  if (!s.enabled || s.minutes === null || s.state !== "OK" || s.lastEventAt === null) return null;
  return Math.max(s.lastEventAt, s.armedFrom) + s.minutes * MINUTE;
}

/** Events arrived: back to OK; `recovered` when this ends an ALARM (resolve its alert). */
export function onEvents(s: DropOffState, at: number): { next: DropOffState; recovered: boolean } {
  return { next: { ...s, state: "OK", lastEventAt: Math.max(at, s.lastEventAt ?? 0) }, recovered: s.state === "ALARM" };
}

/**
 * The object's alarm fired. If the deadline has passed the state turns ALARM and one alert is
 * raised; the alarm is not re-armed until data arrives (one alert per crossing). If it fired
 * early (data arrived since it was set), it is re-armed for the real deadline.
 */
export function onAlarm(s: DropOffState, now: number): { next: DropOffState; raise: boolean; rearmAt: number | null } {
  const due = deadline(s);
  if (due === null) return { next: s, raise: false, rearmAt: null };
  if (now < due) return { next: s, raise: false, rearmAt: due };
  return { next: { ...s, state: "ALARM" }, raise: true, rearmAt: null };
}

/** A new threshold, pause or resume. Resuming or changing counts silence from now at the earliest. */
export function reconfigure(s: DropOffState, change: { minutes: number | null; enabled: boolean }, now: number): DropOffState {
  const changed = change.minutes !== s.minutes || change.enabled !== s.enabled;
  let state = s.state;
  // Turning the alarm off (or pausing) ends an ALARM: there is nothing left to watch.
  if ((change.minutes === null || !change.enabled) && state === "ALARM") state = s.lastEventAt === null ? "INSUFFICIENT_DATA" : "OK";
  if (change.minutes !== null && change.enabled && state === "ALARM" && changed) state = "OK";
  return { ...s, minutes: change.minutes, enabled: change.enabled, state, armedFrom: changed ? now : s.armedFrom };
}
