/** What routing needs of a destination. */
export interface RoutableDestination {
  id: string;
  alertTypes: string[];
  defaultForSeverity: string[];
  sendResolved: boolean;
}

export interface RoutableAlert {
  type: string;
  severity: string;
}

export type DeliveryKind = "ALERT" | "RESOLVED";

/**
 * Which destinations get an alert. System Errors go to every destination subscribed to
 * SYSTEM_ERROR whatever its severity filter; other alerts need both the type and the severity.
 * An empty alertTypes list means every type (as in Panther, for older destinations).
 * Resolutions go only to destinations with sendResolved.
 */
export function routeAlert(
  alert: RoutableAlert,
  destinations: RoutableDestination[],
  opts: { kind: DeliveryKind; exclude?: readonly string[] },
): string[] {
  const excluded = new Set(opts.exclude ?? []);
  return destinations
    .filter((d) => !excluded.has(d.id))
    .filter((d) => d.alertTypes.length === 0 || d.alertTypes.includes(alert.type))
    .filter((d) => alert.type === "SYSTEM_ERROR" || d.defaultForSeverity.includes(alert.severity))
    .filter((d) => opts.kind === "ALERT" || d.sendResolved)
    .map((d) => d.id);
}
