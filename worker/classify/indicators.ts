import { isIP } from "./ip";
import type { IndicatorName } from "./spec-types";

// Indicator scanners: a string field marked `indicators: [...]` feeds the `p_any_*` arrays that
// let one search find an IP, a domain or an ARN in every log type. Each scanner follows what
// Panther's scanner of the same name keeps (pantherlog/scanners*.go): values are stored as they
// came, and a value a scanner does not recognise is skipped, never a failure.

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

const IP = 0, DOMAIN = 1, MD5 = 2, SHA1 = 3, SHA256 = 4, TRACE = 5, USER = 6, EMAIL = 7;
const ACCOUNT = 8, INSTANCE = 9, TAG = 10, ARN = 11, MAC = 12;

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

export type Scanner = (value: string, out: IndicatorSet) => void;

function scanHostname(value: string, out: IndicatorSet): void {
  out.add(isIP(value) ? IP : DOMAIN, value);
}

/** The host of an absolute (or scheme-relative) URL, without brackets, userinfo or port. */
export function urlHost(value: string): string | undefined {
  const m = /^(?:[A-Za-z][A-Za-z0-9+.-]*:)?\/\/([^/?#]*)/.exec(value);
  if (!m) return undefined;
  let host = m[1].slice(m[1].lastIndexOf("@") + 1);
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end < 0 ? undefined : host.slice(1, end);
  }
  const colon = host.lastIndexOf(":");
  if (colon >= 0 && /^\d*$/.test(host.slice(colon + 1))) host = host.slice(0, colon);
  return host;
}

/** `host:port`, `[v6]:port` or a bare host, as Go's net.SplitHostPort splits them. */
function netAddrHost(value: string): string {
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    if (end > 0 && value[end + 1] === ":") return value.slice(1, end);
    return value;
  }
  const colon = value.indexOf(":");
  return colon >= 0 && colon === value.lastIndexOf(":") ? value.slice(0, colon) : value;
}

/** local@domain.tld, without spaces, slashes or colons: what an ARN's session name may hold. */
function isEmailLike(s: string, from: number): boolean {
  let at = -1;
  let dotAfterAt = -1;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 64) {
      if (at >= 0) return false;
      at = i;
    } else if (c === 46) {
      if (at >= 0) dotAfterAt = i;
    } else if (c <= 32 || c === 47 || c === 58) return false;
  }
  return at > from && dotAfterAt > at + 1 && dotAfterAt < s.length - 1;
}

function isAccountId(value: string): boolean {
  if (value.length !== 12) return false;
  for (let i = 0; i < 12; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function scanAccountId(value: string, out: IndicatorSet): void {
  if (isAccountId(value)) out.add(ACCOUNT, value);
}

function scanInstanceId(value: string, out: IndicatorSet): void {
  if (value.startsWith("i-")) out.add(INSTANCE, value);
}


/**
 * arn:partition:service:region:account-id:resource — six sections, as the AWS SDK parses it.
 * Answers where the account id starts (it ends at the next colon), or -1 when not an ARN.
 */
function arnAccountStart(value: string): number {
  if (!value.startsWith("arn:")) return -1;
  let colons = 1;
  let accountStart = -1;
  for (let i = 4; i < value.length; i++) {
    if (value.charCodeAt(i) !== 58) continue;
    colons++;
    if (colons === 4) accountStart = i + 1;
    else if (colons === 5) return accountStart;
  }
  return -1;
}

interface ArnParts {
  account: string | null;
  instance: string | null;
  email: string | null;
}

function takeArnApart(value: string): ArnParts | null {
  const accountStart = arnAccountStart(value);
  if (accountStart < 0) return null;
  const resourceStart = value.indexOf(":", accountStart) + 1;
  const account = value.slice(accountStart, resourceStart - 1);
  const instance = value.startsWith("instance/", resourceStart) ? value.slice(value.lastIndexOf("/") + 1) : "";
  // Assumed-role and federated-user sessions are often named after the person's email.
  const lastStart = Math.max(value.lastIndexOf("/"), value.lastIndexOf(":")) + 1;
  return {
    account: isAccountId(account) ? account : null,
    instance: instance.startsWith("i-") ? instance : null,
    email: lastStart >= resourceStart && isEmailLike(value, lastStart) ? value.slice(lastStart) : null,
  };
}

// The same roles, users and buckets come back line after line, and taking an ARN apart is the
// costliest scan: recent ARNs are remembered in a small direct-mapped cache.
const ARN_SLOTS = 4096;
const arnKeys: (string | undefined)[] = new Array<string | undefined>(ARN_SLOTS).fill(undefined);
const arnValues: (ArnParts | null)[] = new Array<ArnParts | null>(ARN_SLOTS).fill(null);

/**
 * FNV-1a over where ARNs differ: the account id (characters 12–25 of most ARNs) and the end
 * (the resource name). Half the work of hashing it all; a collision only costs a re-parse.
 */
function arnSlot(v: string): number {
  const n = v.length;
  let h = 0x811c9dc5 ^ n;
  for (let i = 12, end = Math.min(26, n); i < end; i++) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
  for (let i = Math.max(26, n - 24); i < n; i++) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 16)) & (ARN_SLOTS - 1);
}

function arnParts(value: string): ArnParts | null {
  if (value.length < 8) return takeArnApart(value);
  const slot = arnSlot(value);
  if (arnKeys[slot] === value) return arnValues[slot];
  const parts = takeArnApart(value);
  arnKeys[slot] = value;
  arnValues[slot] = parts;
  return parts;
}

function scanArn(value: string, out: IndicatorSet): void {
  const parts = arnParts(value);
  if (parts === null) return;
  out.add(ARN, value);
  if (parts.account !== null) out.add(ACCOUNT, parts.account);
  if (parts.instance !== null) out.add(INSTANCE, parts.instance);
  if (parts.email !== null) out.add(EMAIL, parts.email);
}

const MAC_ADDRESS = /^(?:[0-9A-Fa-f]{2}(?:([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?:(?:\1[0-9A-Fa-f]{2}){2})?)|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?:\.[0-9A-Fa-f]{4})?)$/;

export const SCANNERS: Record<IndicatorName, Scanner> = {
  ip: (v, out) => {
    const ip = v.trim();
    if (isIP(ip)) out.add(IP, ip);
  },
  domain: (v, out) => out.add(DOMAIN, v),
  hostname: scanHostname,
  url: (v, out) => {
    const host = urlHost(v);
    if (host) scanHostname(host, out);
  },
  net_addr: (v, out) => scanHostname(netAddrHost(v), out),
  md5: (v, out) => out.add(MD5, v),
  sha1: (v, out) => out.add(SHA1, v),
  sha256: (v, out) => out.add(SHA256, v),
  trace_id: (v, out) => out.add(TRACE, v),
  username: (v, out) => out.add(USER, v),
  email: (v, out) => out.add(EMAIL, v),
  aws_account_id: scanAccountId,
  aws_instance_id: scanInstanceId,
  aws_tag: (v, out) => out.add(TAG, v),
  aws_arn: scanArn,
  aws_arn_only: (v, out) => {
    if (arnParts(v) !== null) out.add(ARN, v);
  },
  mac: (v, out) => {
    if (MAC_ADDRESS.test(v)) out.add(MAC, v);
  },
};
