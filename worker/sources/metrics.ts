export interface MetricsQuery {
  /** Inclusive start, ms since epoch. */
  from: number;
  /** Exclusive end, ms since epoch. */
  to: number;
  intervalMinutes: number;
}

export interface CounterRow {
  minute: number;
  logType: string;
  events: number;
  failures: number;
  bytes: number;
}

export interface SeriesPoint {
  time: string;
  eventsProcessed: number;
  bytesProcessed: number;
  classificationFailures: number;
  byLogType: Record<string, { eventsProcessed: number; classificationFailures: number }>;
}

export interface MetricsResult {
  from: string;
  to: string;
  intervalMinutes: number;
  totals: { eventsProcessed: number; bytesProcessed: number; classificationFailures: number };
  series: SeriesPoint[];
}

const ALL = "*";

/** Folds per-minute counters into fixed intervals from `from`, every interval present (zeros too). */
export function bucketSeries(rows: CounterRow[], q: MetricsQuery): MetricsResult {
  const step = q.intervalMinutes * 60_000;
  const series: SeriesPoint[] = [];
  for (let t = q.from; t < q.to; t += step) {
    series.push({ time: new Date(t).toISOString(), eventsProcessed: 0, bytesProcessed: 0, classificationFailures: 0, byLogType: {} });
  }
  const totals = { eventsProcessed: 0, bytesProcessed: 0, classificationFailures: 0 };
  for (const row of rows) {
    const point = series[Math.floor((row.minute - q.from) / step)];
    if (!point) continue;
    if (row.logType === ALL) {
      point.eventsProcessed += row.events;
      point.classificationFailures += row.failures;
      point.bytesProcessed += row.bytes;
      totals.eventsProcessed += row.events;
      totals.classificationFailures += row.failures;
      totals.bytesProcessed += row.bytes;
    } else {
      const entry = (point.byLogType[row.logType] ??= { eventsProcessed: 0, classificationFailures: 0 });
      entry.eventsProcessed += row.events;
      entry.classificationFailures += row.failures;
    }
  }
  return { from: new Date(q.from).toISOString(), to: new Date(q.to).toISOString(), intervalMinutes: q.intervalMinutes, totals, series };
}
