import { DurableObject } from "cloudflare:workers";
import { bucketSeries, type MetricsQuery, type MetricsResult } from "./metrics";

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

/** Per-minute counters are kept 7 days, for the health charts. */
const COUNTER_RETENTION_MS = 7 * 24 * 3600_000;
/** lastEventReceivedAt is copied to the source row at most once a minute (the source list shows it). */
const WRITE_BACK_MS = 60_000;
const MINUTE = 60_000;
/** Total counters of a minute are kept under this log type; per-type rows carry no bytes. */
export const ALL = "*";

/**
 * One per log source (named by its id). Holds the last event times and per-minute counters;
 * called at most once per batch. The drop-off alarm lives here too.
 */
export class SourceMonitor extends DurableObject<Env> {
  private sql: SqlStorage;
  private lastPrune = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      this.sql.exec(`CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT)`);
      this.sql.exec(`CREATE TABLE IF NOT EXISTS counters (
        minute INTEGER NOT NULL, log_type TEXT NOT NULL,
        events INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (minute, log_type))`);
    });
  }

  private get(key: string): string | null {
    const rows = this.sql.exec<{ value: string }>("SELECT value FROM state WHERE key = ?", key).toArray();
    return rows[0]?.value ?? null;
  }

  private set(key: string, value: string | null) {
    if (value === null) this.sql.exec("DELETE FROM state WHERE key = ?", key);
    else this.sql.exec("INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
  }

  private add(minute: number, logType: string, events: number, failures: number, bytes: number) {
    this.sql.exec(
      `INSERT INTO counters (minute, log_type, events, failures, bytes) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(minute, log_type) DO UPDATE SET events = events + excluded.events,
         failures = failures + excluded.failures, bytes = bytes + excluded.bytes`,
      minute, logType, events, failures, bytes,
    );
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
      this.add(minute, t, e, f, 0);
    }
    this.add(minute, ALL, events, failures, stats.bytes);
    this.set("lastEventReceivedAt", iso);
    if (events > 0) this.set("lastEventProcessedAt", iso);

    const lastWrite = Number(this.get("lastWriteBack") ?? 0);
    const writeBack = stats.receivedAt - lastWrite >= WRITE_BACK_MS;
    if (writeBack) this.set("lastWriteBack", String(stats.receivedAt));
    if (stats.receivedAt - this.lastPrune > 3600_000) {
      this.lastPrune = stats.receivedAt;
      this.sql.exec("DELETE FROM counters WHERE minute < ?", stats.receivedAt - COUNTER_RETENTION_MS);
    }
    return { ...this.state(), writeBack };
  }

  state(): MonitorState {
    return { lastEventReceivedAt: this.get("lastEventReceivedAt"), lastEventProcessedAt: this.get("lastEventProcessedAt") };
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
