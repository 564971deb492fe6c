import { MASK, type Destination, type DestinationAlertType, type DestinationInput, type OutputType } from "../api/destinations";
import type { Severity } from "../api/alerts";
import { CONFIG_FIELDS } from "../destination-fields";

const ALL_ALERT_TYPES: DestinationAlertType[] = ["RULE", "RULE_ERROR", "SCHEDULED_RULE", "SCHEDULED_RULE_ERROR", "POLICY", "SYSTEM_ERROR"];

/** A destination as its form edits it: new, or a copy of a stored one (secrets masked). */
export class DestinationDraft {
  displayName = $state("");
  outputType = $state<OutputType>("customwebhook");
  /** Field values by output type, so switching type and back keeps what was typed. */
  config = $state<Record<OutputType, Record<string, string>>>({ customwebhook: {}, slack: {}, msteams: {}, pagerduty: {}, opsgenie: { serviceRegion: "US" } });
  alertTypes = $state<DestinationAlertType[]>([...ALL_ALERT_TYPES]);
  defaultForSeverity = $state<Severity[]>(["CRITICAL", "HIGH", "MEDIUM"]);
  sendResolved = $state(false);
  errors = $state<Record<string, string>>({});
  /** The stored destination this edits, if any. */
  readonly original: Destination | null;

  readonly fields = $derived(CONFIG_FIELDS[this.outputType]);

  constructor(original: Destination | null = null) {
    this.original = original;
    if (!original) return;
    this.displayName = original.displayName;
    this.outputType = original.outputType;
    this.config[original.outputType] = Object.fromEntries(Object.entries(original.outputConfig).map(([k, v]) => [k, String(v ?? "")]));
    this.alertTypes = original.alertTypes.length ? (original.alertTypes as DestinationAlertType[]) : [...ALL_ALERT_TYPES];
    this.defaultForSeverity = original.defaultForSeverity as Severity[];
    this.sendResolved = original.sendResolved;
  }

  /** Whether a field still holds the stored secret (sent back as the mask, which keeps it). */
  isStoredSecret(key: string): boolean {
    return this.original?.outputType === this.outputType && this.config[this.outputType][key] === MASK;
  }

  setField(key: string, value: string): void {
    this.config[this.outputType][key] = value;
  }

  toggle<T extends string>(list: T[], item: T, on: boolean): T[] {
    return on ? [...new Set([...list, item])] : list.filter((x) => x !== item);
  }

  /** The form's own checks, so obvious gaps are caught before the API is asked. */
  check(): Record<string, string> {
    const e: Record<string, string> = {};
    if (!this.displayName.trim()) e.displayName = "Give the destination a name";
    for (const f of this.fields) {
      if (f.required && !(this.config[this.outputType][f.key] ?? "").trim()) e[`outputConfig.${f.key}`] = `${f.label} is required`;
    }
    // An empty list would mean every type to the API; the form asks for an explicit choice.
    if (!this.alertTypes.length) e.alertTypes = "Tick at least one alert type";
    return e;
  }

  /** The config of the chosen type: empty optional fields left out (or removed, when editing). */
  outputConfig(): Record<string, string | null> {
    const values = this.config[this.outputType];
    const out: Record<string, string | null> = {};
    const editingSameType = this.original?.outputType === this.outputType;
    for (const f of this.fields) {
      const v = (values[f.key] ?? "").trim();
      if (v) out[f.key] = v;
      else if (editingSameType && f.key in (this.original?.outputConfig ?? {})) out[f.key] = null;
    }
    return out;
  }

  toInput(): DestinationInput {
    return {
      displayName: this.displayName.trim(),
      outputType: this.outputType,
      outputConfig: this.outputConfig(),
      alertTypes: ALL_ALERT_TYPES.filter((t) => this.alertTypes.includes(t)),
      defaultForSeverity: this.defaultForSeverity,
      sendResolved: this.sendResolved,
    };
  }
}

export { ALL_ALERT_TYPES };
