import type { SourceMetrics } from "./api/log-sources";

export interface ChartSeries {
  label: string;
  values: number[];
}

export interface ChartData {
  /** Bucket start times, in seconds (uPlot's unit). */
  times: number[];
  series: ChartSeries[];
}

/** The time ranges the source charts offer, with a bucket size that gives 60–100 points. */
export const RANGES = {
  "1h": { label: "1 hour", ms: 3_600_000, intervalMinutes: 1 },
  "24h": { label: "24 hours", ms: 86_400_000, intervalMinutes: 15 },
  "7d": { label: "7 days", ms: 7 * 86_400_000, intervalMinutes: 120 },
} as const;
export type RangeKey = keyof typeof RANGES;

export function rangeQuery(key: RangeKey, now = Date.now()) {
  const r = RANGES[key];
  return { from: new Date(now - r.ms).toISOString(), to: new Date(now).toISOString(), intervalMinutes: r.intervalMinutes };
}

function logTypes(metrics: SourceMetrics): string[] {
  const names = new Set<string>();
  for (const point of metrics.series) for (const name of Object.keys(point.byLogType)) names.add(name);
  return [...names].sort();
}

/** Events processed over time: one line per log type (the total alone when there is one type or none). */
export function eventsChart(metrics: SourceMetrics): ChartData {
  const times = metrics.series.map((p) => Date.parse(p.time) / 1000);
  const types = logTypes(metrics);
  if (types.length <= 1) return { times, series: [{ label: types[0] ?? "Events", values: metrics.series.map((p) => p.eventsProcessed) }] };
  return { times, series: types.map((t) => ({ label: t, values: metrics.series.map((p) => p.byLogType[t]?.eventsProcessed ?? 0) })) };
}

/**
 * Classification failures over time. A failing line matched no log type, so the total is the
 * line that matters; when several log types name failures, each gets its own line too.
 */
export function failuresChart(metrics: SourceMetrics): ChartData {
  const times = metrics.series.map((p) => Date.parse(p.time) / 1000);
  const total: ChartSeries = { label: "Classification failures", values: metrics.series.map((p) => p.classificationFailures) };
  const byType = logTypes(metrics)
    .map((t) => ({ label: t, values: metrics.series.map((p) => p.byLogType[t]?.classificationFailures ?? 0) }))
    .filter((s) => s.values.some((v) => v > 0));
  // One log type with failures would only draw the total again.
  return { times, series: byType.length > 1 ? [total, ...byType] : [total] };
}
