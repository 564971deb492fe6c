// The indicators found in one event: one sorted, deduplicated list per `p_any_*` field.

export const P_ANY_FIELDS = [
  "p_any_ip_addresses",
  "p_any_domain_names",
  "p_any_md5_hashes",
  "p_any_sha1_hashes",
  "p_any_sha256_hashes",
  "p_any_trace_ids",
  "p_any_usernames",
  "p_any_emails",
  "p_any_aws_account_ids",
  "p_any_aws_instance_ids",
  "p_any_aws_tags",
  "p_any_aws_arns",
  "p_any_mac_addresses",
] as const;
export type PAnyField = (typeof P_ANY_FIELDS)[number];

/** Positions in P_ANY_FIELDS. */
export const Kind = {
  IP: 0,
  DOMAIN: 1,
  MD5: 2,
  SHA1: 3,
  SHA256: 4,
  TRACE: 5,
  USER: 6,
  EMAIL: 7,
  ACCOUNT: 8,
  INSTANCE: 9,
  TAG: 10,
  ARN: 11,
  MAC: 12,
} as const;

/** The values found while parsing one event, one list per `p_any_*` field (index = position). */
export class IndicatorSet {
  // A packed array (no holes) keeps element reads on V8's fast path.
  private readonly lists: (string[] | null)[] = [null, null, null, null, null, null, null, null, null, null, null, null, null];
  private long = false;

  add(kind: number, value: string): void {
    if (value === "") return;
    const list = this.lists[kind];
    if (list === null) {
      this.lists[kind] = [value];
      return;
    }
    // Lists are short (a handful per event): keep them sorted and unique as they grow, so the
    // common case never calls sort(); long ones are sorted once at the end.
    if (list.length >= 16) {
      list.push(value);
      this.long = true;
      return;
    }
    let i = list.length;
    // The same value often comes back within an event (an account id in every ARN field).
    if (list[i - 1] === value) return;
    while (i > 0 && list[i - 1] > value) i--;
    if (i > 0 && list[i - 1] === value) return;
    list.push(value);
    for (let k = list.length - 1; k > i; k--) list[k] = list[k - 1];
    list[i] = value;
  }

  /** Empties the set for the next event (the lists already handed out stay with their owner). */
  clear(): void {
    const l = this.lists;
    for (let k = 0; k < l.length; k++) l[k] = null;
    this.long = false;
  }

  /** The non-empty lists, deduplicated and sorted, keyed by their `p_any_*` name. */
  toRecord(): Record<string, string[]> {
    const l = this.lists;
    if (this.long) for (const list of l) if (list !== null && list.length > 16) sortUnique(list);
    // Named stores, one per field: V8 caches these shapes, where a loop of keyed stores onto a
    // fresh object costs several times as much (measured: ~300 ns an event).
    const out: Partial<Record<PAnyField, string[]>> = {};
    if (l[0]) out.p_any_ip_addresses = l[0];
    if (l[1]) out.p_any_domain_names = l[1];
    if (l[2]) out.p_any_md5_hashes = l[2];
    if (l[3]) out.p_any_sha1_hashes = l[3];
    if (l[4]) out.p_any_sha256_hashes = l[4];
    if (l[5]) out.p_any_trace_ids = l[5];
    if (l[6]) out.p_any_usernames = l[6];
    if (l[7]) out.p_any_emails = l[7];
    if (l[8]) out.p_any_aws_account_ids = l[8];
    if (l[9]) out.p_any_aws_instance_ids = l[9];
    if (l[10]) out.p_any_aws_tags = l[10];
    if (l[11]) out.p_any_aws_arns = l[11];
    if (l[12]) out.p_any_mac_addresses = l[12];
    return out as Record<string, string[]>;
  }
}

function sortUnique(list: string[]): void {
  list.sort();
  let w = 1;
  for (let r = 1; r < list.length; r++) if (list[r] !== list[w - 1]) list[w++] = list[r];
  list.length = w;
}
