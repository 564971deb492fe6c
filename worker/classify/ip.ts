// IP address and CIDR checks with the rules of Go's net.ParseIP / net.ParseCIDR, which decide
// what Panther takes as an address: dotted IPv4 without leading zeros, IPv6 with `::` and an
// optional trailing IPv4 part, no zone (`%eth0`). Hand-written so the hot path allocates nothing.

export function isIPv4(s: string, from = 0, to = s.length): boolean {
  let parts = 0;
  let i = from;
  while (parts < 4) {
    let n = 0;
    let digits = 0;
    while (i < to) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      if (digits === 1 && n === 0) return false; // leading zero
      n = n * 10 + c - 48;
      digits++;
      i++;
    }
    if (digits === 0 || digits > 3 || n > 255) return false;
    parts++;
    if (parts < 4) {
      if (s.charCodeAt(i) !== 46 || i >= to) return false;
      i++;
    }
  }
  return i === to;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

export function isIPv6(s: string, from = 0, to = s.length): boolean {
  if (to - from < 2) return false;
  let groups = 0;
  let sawGap = false;
  let i = from;
  if (s.charCodeAt(i) === 58) {
    if (s.charCodeAt(i + 1) !== 58) return false;
    sawGap = true;
    i += 2;
    if (i === to) return true; // "::"
  }
  while (i < to) {
    let j = i;
    while (j < to && j - i < 5 && isHex(s.charCodeAt(j))) j++;
    const len = j - i;
    if (len === 0) return false;
    if (j < to && s.charCodeAt(j) === 46) {
      // An embedded IPv4 address ends the address and counts as two groups.
      if (!isIPv4(s, i, to)) return false;
      groups += 2;
      i = to;
      break;
    }
    if (len > 4) return false;
    groups++;
    i = j;
    if (i === to) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (s.charCodeAt(i) === 58) {
      if (sawGap) return false;
      sawGap = true;
      i++;
      if (i === to) break;
    } else if (i === to) {
      return false; // trailing single colon
    }
  }
  return sawGap ? groups < 8 : groups === 8;
}

export function isIP(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}

export type Family = "ipv4" | "ipv6" | "any";

export function isIPOf(family: Family, s: string): boolean {
  if (family === "ipv4") return isIPv4(s);
  if (family === "ipv6") return isIPv6(s);
  return isIP(s);
}

/** `address/prefix`, the prefix within the family's bit length (32 or 128). */
export function isCIDROf(family: Family, s: string): boolean {
  const slash = s.indexOf("/");
  if (slash < 0) return false;
  const bits = s.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(bits)) return false;
  const prefix = Number(bits);
  const v4 = isIPv4(s, 0, slash);
  const v6 = !v4 && isIPv6(s, 0, slash);
  if (v4) return family !== "ipv6" && prefix <= 32;
  if (v6) return family !== "ipv4" && prefix <= 128;
  return false;
}
