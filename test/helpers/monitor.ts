import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import type { DropOffState } from "../../worker/sources/drop-off";

export const monitor = (sourceId: string) => env.SOURCE_MONITOR.getByName(sourceId);

/** Moves the source's last event back in time, as if it had been quiet for `minutes`. */
export async function quietFor(sourceId: string, minutes: number) {
  await runInDurableObject(monitor(sourceId), async (_instance, state) => {
    const row = state.storage.sql.exec<{ value: string }>("SELECT value FROM state WHERE key = 'dropOff'").toArray()[0];
    const s = JSON.parse(row.value) as DropOffState;
    const shift = minutes * 60_000;
    const moved: DropOffState = { ...s, lastEventAt: Date.now() - shift, armedFrom: Math.min(s.armedFrom, Date.now() - shift) };
    state.storage.sql.exec("UPDATE state SET value = ? WHERE key = 'dropOff'", JSON.stringify(moved));
  });
}

/** Events arriving, as an accepted batch tells the monitor. */
export function sendEvents(sourceId: string, count = 1, logType = "Custom.Test") {
  return monitor(sourceId).recordBatch({ receivedAt: Date.now(), bytes: 100 * count, eventsByLogType: { [logType]: count }, failuresByLogType: {} });
}

export async function scheduledAlarm(sourceId: string): Promise<number | null> {
  return runInDurableObject(monitor(sourceId), (_i, state) => state.storage.getAlarm());
}
