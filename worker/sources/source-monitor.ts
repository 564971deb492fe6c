import { DurableObject } from "cloudflare:workers";
import { bucketSeries, type MetricsQuery, type MetricsResult } from "./metrics";
import { deadline, onAlarm, onEvents, reconfigure, type AlarmState, type DropOffState } from "./drop-off";
import { raiseNoDataAlert, resolveNoDataAlert, type MonitoredSource } from "./no-data";

/** What one accepted batch adds to a source's counters. */
export interface BatchStats {
  /** When the batch was received (ms since epoch). */
  receivedAt: number;
  /** Decompressed bytes of the batch. */
  bytes: number;
  /** Events stored, by log type. */
  eventsByLogType: Record<string, number>;
  /** Lines that failed, attributed to the schema tried first (the source's most likely type). */
  failuresByLogType: Record<string, number>;
}

export interface MonitorState {
  lastEventReceivedAt: string | null;
  lastEventProcessedAt: string | null;
}

/** What health checks read: the alarm and the recent counters. */
export interface HealthSnapshot extends MonitorState {
  alarm: { state: AlarmState; minutesThreshold: number | null; enabled: boolean };
  /** Last 15 minutes. */
  refused15m: number;
  accepted15m: number;
  /** Last hour. */
  events1h: number;
  failures1h: number;
}

export interface MonitorConfig extends MonitoredSource {
  minutesThreshold: number | null;
  enabled: boolean;
}

/** Per-minute counters are kept 7 days, for the health charts. */
const COUNTER_RETENTION_MS = 7 * 24 * 3600_000;
/** lastEventReceivedAt is copied to the source row at most once a minute (the source list shows it). */
const WRITE_BACK_MS = 60_000;
const MINUTE = 60_000;
/** Total counters of a minute are kept under this log type; per-type rows carry no bytes. */
export const ALL = "*";

/**
 * One per log source (named by its id): last event times, per-minute counters, refused-request
 * counts and the drop-off alarm. Called at most once per batch. The alarm logic itself is the
 * pure policy in drop-off.ts; this object stores its state and keeps the one alarm armed.
 */
export class SourceMonitor extends DurableObject<Env> {
  private sql: SqlStorage;
  private lastPrune = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => this.migrate());
  }

  private migrate() {
    this.sql.exec(`CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS counters (
      minute INTEGER NOT NULL, log_type TEXT NOT NULL,
      events INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0,
      refused INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (minute, log_type))`);
  }

  private get(key: string): string | null {
    const rows = this.sql.exec<{ value: string }>("SELECT value FROM state WHERE key = ?", key).toArray();
    return rows[0]?.value ?? null;
  }

  private set(key: string, value: string | null) {
    if (value === null) this.sql.exec("DELETE FROM state WHERE key = ?", key);
    else this.sql.exec("INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
  }

  private add(minute: number, logType: string, c: { events?: number; failures?: number; bytes?: number; refused?: number }) {
    this.sql.exec(
      `INSERT INTO counters (minute, log_type, events, failures, bytes, refused) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(minute, log_type) DO UPDATE SET events = events + excluded.events,
         failures = failures + excluded.failures, bytes = bytes + excluded.bytes, refused = refused + excluded.refused`,
      minute, logType, c.events ?? 0, c.failures ?? 0, c.bytes ?? 0, c.refused ?? 0,
    );
  }

  private source(): MonitoredSource | null {
    const raw = this.get("source");
    return raw ? (JSON.parse(raw) as MonitoredSource) : null;
  }

  private dropOff(): DropOffState {
    const raw = this.get("dropOff");
    return raw ? (JSON.parse(raw) as DropOffState) : { minutes: null, enabled: true, state: "INSUFFICIENT_DATA", lastEventAt: null, armedFrom: 0 };
  }

  /** Saves the alarm state and keeps the object's alarm at or before its deadline. */
  private async saveDropOff(next: DropOffState) {
    this.set("dropOff", JSON.stringify(next));
    const due = deadline(next);
    const armed = this.get("alarmAt");
    if (due === null) {
      if (armed !== null) {
        await this.ctx.storage.deleteAlarm();
        this.set("alarmAt", null);
      }
      return;
    }
    // An alarm that fires early re-arms itself, so it is only moved when it would fire late.
    if (armed === null || Number(armed) > due) {
      await this.ctx.storage.setAlarm(due);
      this.set("alarmAt", String(due));
    }
  }

  /** Called when the source is created or changed: its name, threshold and paused state. */
  async configure(config: MonitorConfig, now = Date.now()): Promise<{ state: AlarmState }> {
    const { minutesThreshold, enabled, ...source } = config;
    this.set("source", JSON.stringify(source));
    const before = this.dropOff();
    const next = reconfigure(before, { minutes: minutesThreshold, enabled }, now);
    if (before.state === "ALARM" && next.state !== "ALARM") {
      await resolveNoDataAlert(this.env, source, enabled ? "The drop-off alarm was changed" : "The source was paused");
    }
    await this.saveDropOff(next);
    return { state: next.state };
  }

  /**
   * Records a batch. Answers whether the caller should write lastEventReceivedAt back to the
   * source row now (at most once a minute).
   */
  async recordBatch(stats: BatchStats): Promise<MonitorState & { writeBack: boolean }> {
    const minute = Math.floor(stats.receivedAt / MINUTE) * MINUTE;
    const iso = new Date(stats.receivedAt).toISOString();
    const types = new Set([...Object.keys(stats.eventsByLogType), ...Object.keys(stats.failuresByLogType)]);
    let events = 0;
    let failures = 0;
    for (const t of types) {
      const e = stats.eventsByLogType[t] ?? 0;
      const f = stats.failuresByLogType[t] ?? 0;
      events += e;
      failures += f;
      this.add(minute, t, { events: e, failures: f });
    }
    this.add(minute, ALL, { events, failures, bytes: stats.bytes });
    this.set("lastEventReceivedAt", iso);
    if (events > 0) {
      this.set("lastEventProcessedAt", iso);
      const { next, recovered } = onEvents(this.dropOff(), stats.receivedAt);
      await this.saveDropOff(next);
      const source = this.source();
      if (recovered && source) await resolveNoDataAlert(this.env, source, `Events arrived again at ${iso}`);
    }

    const lastWrite = Number(this.get("lastWriteBack") ?? 0);
    const writeBack = stats.receivedAt - lastWrite >= WRITE_BACK_MS;
    if (writeBack) this.set("lastWriteBack", String(stats.receivedAt));
    if (stats.receivedAt - this.lastPrune > 3600_000) {
      this.lastPrune = stats.receivedAt;
      this.sql.exec("DELETE FROM counters WHERE minute < ?", stats.receivedAt - COUNTER_RETENTION_MS);
    }
    return { ...this.state(), writeBack };
  }

  /**
   * Lines a reprocessing job classified: moved from failures to events in the minutes they were
   * received, so charts and the classification check reflect the fix. Called once per job.
   */
  async reclassified(moves: { minute: number; failedAs: string; loggedAs: string; n: number }[], now = Date.now()): Promise<void> {
    for (const m of moves) {
      if (m.minute < now - COUNTER_RETENTION_MS) continue;
      this.sql.exec(
        "UPDATE counters SET failures = max(0, failures - ?) WHERE minute = ? AND log_type IN (?, ?)",
        m.n, m.minute, ALL, m.failedAs,
      );
      this.add(m.minute, m.loggedAs, { events: m.n });
      this.add(m.minute, ALL, { events: m.n });
    }
  }

  /** Refused ingest requests, counted in the Worker's memory and flushed here at most once a minute. */
  async recordRefusals(count: number, at: number): Promise<void> {
    this.add(Math.floor(at / MINUTE) * MINUTE, ALL, { refused: count });
  }

  async alarm(): Promise<void> {
    this.set("alarmAt", null);
    const now = Date.now();
    const current = this.dropOff();
    const { next, raise } = onAlarm(current, now);
    const source = this.source();
    // Raise before saving ALARM: if raising fails the alarm is retried, and dedup makes a repeat harmless.
    if (raise && source && next.minutes !== null) await raiseNoDataAlert(this.env, source, next.minutes);
    await this.saveDropOff(next);
  }

  /** The source is deleted: no alarm and no data may outlive it. */
  async destroy(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    // The instance may live on a little: leave it an empty, usable store.
    this.migrate();
  }

  state(): MonitorState {
    return { lastEventReceivedAt: this.get("lastEventReceivedAt"), lastEventProcessedAt: this.get("lastEventProcessedAt") };
  }

  alarmStatus(): { state: AlarmState; minutesThreshold: number | null; enabled: boolean } {
    const s = this.dropOff();
    return { state: s.state, minutesThreshold: s.minutes, enabled: s.enabled };
  }

  healthSnapshot(now = Date.now()): HealthSnapshot {
    const sum = (since: number) =>
      this.sql
        .exec<{ events: number; failures: number; refused: number; bytes: number }>(
          "SELECT coalesce(sum(events),0) AS events, coalesce(sum(failures),0) AS failures, coalesce(sum(refused),0) AS refused, coalesce(sum(bytes),0) AS bytes FROM counters WHERE log_type = ? AND minute >= ?",
          ALL,
          since,
        )
        .one();
    const q = sum(now - 15 * MINUTE);
    const h = sum(now - 60 * MINUTE);
    return {
      ...this.state(),
      alarm: this.alarmStatus(),
      refused15m: q.refused,
      accepted15m: q.events + q.failures,
      events1h: h.events,
      failures1h: h.failures,
    };
  }

  metrics(query: MetricsQuery): MetricsResult {
    const rows = this.sql
      .exec<{ minute: number; log_type: string; events: number; failures: number; bytes: number }>(
        "SELECT minute, log_type, events, failures, bytes FROM counters WHERE minute >= ? AND minute < ? ORDER BY minute",
        query.from,
        query.to,
      )
      .toArray();
    return bucketSeries(rows.map((r) => ({ minute: r.minute, logType: r.log_type, events: r.events, failures: r.failures, bytes: r.bytes })), query);
  }
}
