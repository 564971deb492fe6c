import type { InferResponseType } from "hono/client";
import { ApiFailure, client } from "./client";

const alarm = client.api["log-source-alarms"][":sourceId"][":type"];

/** A source's drop-off alarm: its threshold and state. */
export type DropOffAlarm = InferResponseType<typeof alarm.$get, 200>;
export type AlarmState = NonNullable<DropOffAlarm["state"]>;

const TYPE = "SOURCE_NO_DATA";

/** The source's drop-off alarm, or null when it has none. */
export async function getDropOffAlarm(sourceId: string): Promise<DropOffAlarm | null> {
  try {
    const res = await alarm.$get({ param: { sourceId, type: TYPE } });
    return await res.json();
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 404) return null;
    throw err;
  }
}

export async function setDropOffAlarm(sourceId: string, minutesThreshold: number): Promise<DropOffAlarm> {
  const res = await alarm.$put({ param: { sourceId, type: TYPE }, json: { minutesThreshold } });
  return res.json();
}

export async function deleteDropOffAlarm(sourceId: string): Promise<void> {
  await alarm.$delete({ param: { sourceId, type: TYPE } });
}
