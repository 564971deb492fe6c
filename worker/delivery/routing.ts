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

/** What decides where an alert must never go. */
export interface SelfAwareAlert {
  systemErrorType: string | null;
  relatedComponent: string | null;
  componentId: string | null;
}

/**
 * Destinations an alert must never be sent to, whoever asks: an ALERT_DELIVERY error about a
 * destination (it cannot reach it, and it would only add failures there), including its
 * resolution and re-sends.
 */
export function neverRouteTo(alert: SelfAwareAlert): string[] {
  return alert.systemErrorType === "ALERT_DELIVERY" && alert.relatedComponent === "DESTINATION" && alert.componentId ? [alert.componentId] : [];
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
