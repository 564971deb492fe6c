// ARNs taken apart for the aws_arn indicator: arn:partition:service:region:account-id:resource,
// split as the AWS SDK's arn.Parse splits it, plus what Panther's scanner derives from it.

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

export function isAccountId(value: string): boolean {
  if (value.length !== 12) return false;
  for (let i = 0; i < 12; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
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

export interface ArnParts {
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

/** The parts of an ARN (null when the value is not one), from the cache when it was seen lately. */
export function arnParts(value: string): ArnParts | null {
  if (value.length < 8) return takeArnApart(value);
  const slot = arnSlot(value);
  if (arnKeys[slot] === value) return arnValues[slot];
  const parts = takeArnApart(value);
  arnKeys[slot] = value;
  arnValues[slot] = parts;
  return parts;
}
