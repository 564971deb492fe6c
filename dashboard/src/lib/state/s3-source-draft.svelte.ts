import type { LogStreamType } from "../api/log-sources";
import type { S3SourceInput } from "../api/s3-sources";
import { toMinutes, type Period } from "../drop-off";

export type S3WizardStep = 1 | 2 | 3 | 4;
export const S3_STEP_TITLES: readonly string[] = ["Bucket", "Prefixes", "Credentials", "Drop-off alarm"];
export type CredentialsKind = "accessKey" | "role";

/** One row of the prefixes table; `excluded` is as typed (comma or newline separated). */
export interface PrefixRow {
  key: number;
  prefix: string;
  logTypes: string[];
  excluded: string;
}

/** The step whose fields an API error path names (`s3PrefixLogTypes[0].logTypes[0]` → 2). */
export function s3StepOfPath(path: string): S3WizardStep {
  if (path.startsWith("s3PrefixLogTypes")) return 2;
  if (/^(accessKeyId|secretAccessKey|roleArn|externalId)/.test(path)) return 3;
  if (path.startsWith("dropOffAlarm")) return 4;
  return 1;
}

const splitList = (text: string) =>
  text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The new S3 source as the wizard fills it in, step by step. */
export class S3SourceDraft {
  step = $state<S3WizardStep>(1);
  integrationLabel = $state("");
  s3Bucket = $state("");
  region = $state("us-east-1");
  endpoint = $state("");
  logStreamType = $state<LogStreamType>("Lines");
  prefixes = $state<PrefixRow[]>([{ key: 0, prefix: "", logTypes: [], excluded: "" }]);
  credentialsKind = $state<CredentialsKind>("accessKey");
  accessKeyId = $state("");
  secretAccessKey = $state("");
  roleArn = $state("");
  externalId = $state("");
  /** New sources watch for silence by default: 1 day. */
  dropOffEnabled = $state(true);
  dropOffAmount = $state(1);
  dropOffPeriod = $state<Period>("Days");
  /** Field errors by path: the API's, or the wizard's own checks before moving on. */
  errors = $state<Record<string, string>>({});
  #nextKey = 1;

  readonly minutesThreshold = $derived(toMinutes(this.dropOffAmount, this.dropOffPeriod));

  addPrefix(): void {
    this.prefixes.push({ key: this.#nextKey++, prefix: "", logTypes: [], excluded: "" });
  }

  /** Errors name rows by index, so they no longer fit once a row is gone. */
  removePrefix(index: number): void {
    this.prefixes.splice(index, 1);
    this.errors = {};
  }

  /** What the API needs: only the fields of the chosen credentials kind, no empty optionals. */
  toInput(): S3SourceInput {
    const input: S3SourceInput = {
      integrationLabel: this.integrationLabel.trim(),
      s3Bucket: this.s3Bucket.trim(),
      region: this.region.trim(),
      logStreamType: this.logStreamType,
      s3PrefixLogTypes: this.prefixes.map((r) => ({ prefix: r.prefix.trim(), logTypes: [...r.logTypes], excludedPrefixes: splitList(r.excluded) })),
      dropOffAlarm: this.dropOffEnabled ? { minutesThreshold: this.minutesThreshold } : null,
    };
    if (this.endpoint.trim()) input.endpoint = this.endpoint.trim();
    if (this.credentialsKind === "accessKey") {
      input.accessKeyId = this.accessKeyId.trim();
      input.secretAccessKey = this.secretAccessKey;
    } else {
      input.roleArn = this.roleArn.trim();
      if (this.externalId.trim()) input.externalId = this.externalId.trim();
    }
    return input;
  }

  /** The wizard's own checks for one step; the API checks the formats. */
  check(step: S3WizardStep): Record<string, string> {
    const e: Record<string, string> = {};
    if (step === 1) {
      if (!this.integrationLabel.trim()) e.integrationLabel = "Give the source a label";
      if (!this.s3Bucket.trim()) e.s3Bucket = "Name the bucket";
      if (!this.region.trim()) e.region = "Give the bucket's region (auto for R2)";
    } else if (step === 2) {
      if (!this.prefixes.length) e.s3PrefixLogTypes = "Add at least one prefix (leave it empty for the whole bucket)";
      this.prefixes.forEach((r, i) => {
        if (!r.logTypes.length) e[`s3PrefixLogTypes[${i}].logTypes`] = "Pick at least one log type";
      });
    } else if (step === 3) {
      if (this.credentialsKind === "accessKey") {
        if (!this.accessKeyId.trim()) e.accessKeyId = "Give the access key id";
        if (!this.secretAccessKey) e.secretAccessKey = "Give the secret access key";
      } else if (!this.roleArn.trim()) e.roleArn = "Give the ARN of the role to assume";
    } else if (this.dropOffEnabled && (!Number.isInteger(this.dropOffAmount) || this.dropOffAmount < 1)) {
      e["dropOffAlarm.minutesThreshold"] = "Enter a whole number of at least 1";
    }
    return e;
  }
}
