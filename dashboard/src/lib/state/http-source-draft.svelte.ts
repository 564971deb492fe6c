import type { AuthMethod, HmacAlgorithm, HttpSourceInput, LogStreamType } from "../api/log-sources";
import { toMinutes, type Period } from "../drop-off";

export type WizardStep = 1 | 2 | 3;
export const STEP_TITLES: Record<WizardStep, string> = { 1: "Details", 2: "Authentication", 3: "Drop-off alarm" };

const DEFAULT_HEADER: Partial<Record<AuthMethod, string>> = {
  SharedSecret: "X-Pipewatch-Secret",
  HMAC: "X-Pipewatch-Signature",
};

/** The step whose fields an API error path names (`authSecretValue` → 2). */
export function stepOfPath(path: string): WizardStep {
  if (path.startsWith("auth")) return 2;
  if (path.startsWith("dropOffAlarm")) return 3;
  return 1;
}

/** The new HTTP source as the wizard fills it in, step by step. */
export class HttpSourceDraft {
  step = $state<WizardStep>(1);
  integrationLabel = $state("");
  logTypes = $state<string[]>([]);
  logStreamType = $state<LogStreamType>("Auto");
  authMethod = $state<AuthMethod>("SharedSecret");
  authHeaderKey = $state(DEFAULT_HEADER.SharedSecret ?? "");
  authSecretValue = $state("");
  authHmacAlg = $state<HmacAlgorithm>("sha256");
  authBearerToken = $state("");
  authUsername = $state("");
  authPassword = $state("");
  /** New sources watch for silence by default: 1 day. */
  dropOffEnabled = $state(true);
  dropOffAmount = $state(1);
  dropOffPeriod = $state<Period>("Days");
  /** Field errors by path: the API's, or the wizard's own checks before moving on. */
  errors = $state<Record<string, string>>({});

  readonly minutesThreshold = $derived(toMinutes(this.dropOffAmount, this.dropOffPeriod));

  /** Switching method moves a default header name along, but never a name the user typed. */
  setAuthMethod(method: AuthMethod): void {
    const wasDefault = Object.values(DEFAULT_HEADER).includes(this.authHeaderKey) || this.authHeaderKey === "";
    this.authMethod = method;
    if (wasDefault) this.authHeaderKey = DEFAULT_HEADER[method] ?? "";
  }

  /** What the API needs for this source: only the fields of the chosen auth method. */
  toInput(): HttpSourceInput {
    const input: HttpSourceInput = {
      integrationLabel: this.integrationLabel.trim(),
      logTypes: [...this.logTypes],
      logStreamType: this.logStreamType,
      authMethod: this.authMethod,
      dropOffAlarm: this.dropOffEnabled ? { minutesThreshold: this.minutesThreshold } : null,
    };
    switch (this.authMethod) {
      case "HMAC":
        input.authHmacAlg = this.authHmacAlg;
      // falls through: HMAC also has a header and a secret
      case "SharedSecret":
        input.authHeaderKey = this.authHeaderKey.trim();
        input.authSecretValue = this.authSecretValue;
        break;
      case "Bearer":
        input.authBearerToken = this.authBearerToken;
        break;
      case "Basic":
        input.authUsername = this.authUsername;
        input.authPassword = this.authPassword;
        break;
      case "None":
        break;
    }
    return input;
  }

  /** The wizard's own checks for one step, so obvious gaps are caught before the API is asked. */
  check(step: WizardStep): Record<string, string> {
    const e: Record<string, string> = {};
    if (step === 1) {
      if (!this.integrationLabel.trim()) e.integrationLabel = "Give the source a label";
      if (!this.logTypes.length) e.logTypes = "Pick at least one log type";
    } else if (step === 2) {
      const m = this.authMethod;
      if ((m === "SharedSecret" || m === "HMAC") && !this.authHeaderKey.trim()) e.authHeaderKey = "Name the header that carries the secret";
      if ((m === "SharedSecret" || m === "HMAC") && !this.authSecretValue) e.authSecretValue = "Set a secret, or generate one";
      if (m === "Bearer" && !this.authBearerToken) e.authBearerToken = "Set a token, or generate one";
      if (m === "Basic" && !this.authUsername) e.authUsername = "Set a username";
      if (m === "Basic" && !this.authPassword) e.authPassword = "Set a password, or generate one";
    } else if (this.dropOffEnabled && (!Number.isInteger(this.dropOffAmount) || this.dropOffAmount < 1)) {
      e["dropOffAlarm.minutesThreshold"] = "Enter a whole number of at least 1";
    }
    return e;
  }
}
