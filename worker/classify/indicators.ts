import { arnParts, isAccountId } from "./arn";
import { Kind, type IndicatorSet } from "./indicator-set";
import { isIP } from "./ip";
import type { IndicatorName } from "./spec-types";

// Indicator scanners: a string field marked `indicators: [...]` feeds the `p_any_*` arrays that
// let one search find an IP, a domain or an ARN in every log type. Each scanner follows what
// Panther's scanner of the same name keeps (pantherlog/scanners*.go): values are stored as they
// came, and a value a scanner does not recognise is skipped, never a failure.

export type Scanner = (value: string, out: IndicatorSet) => void;

function scanHostname(value: string, out: IndicatorSet): void {
  out.add(isIP(value) ? Kind.IP : Kind.DOMAIN, value);
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

function scanAccountId(value: string, out: IndicatorSet): void {
  if (isAccountId(value)) out.add(Kind.ACCOUNT, value);
}

function scanInstanceId(value: string, out: IndicatorSet): void {
  if (value.startsWith("i-")) out.add(Kind.INSTANCE, value);
}

function scanArn(value: string, out: IndicatorSet): void {
  const parts = arnParts(value);
  if (parts === null) return;
  out.add(Kind.ARN, value);
  if (parts.account !== null) out.add(Kind.ACCOUNT, parts.account);
  if (parts.instance !== null) out.add(Kind.INSTANCE, parts.instance);
  if (parts.email !== null) out.add(Kind.EMAIL, parts.email);
}

const MAC_ADDRESS = /^(?:[0-9A-Fa-f]{2}(?:([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?:(?:\1[0-9A-Fa-f]{2}){2})?)|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?:\.[0-9A-Fa-f]{4})?)$/;

export const SCANNERS: Record<IndicatorName, Scanner> = {
  ip: (v, out) => {
    const ip = v.trim();
    if (isIP(ip)) out.add(Kind.IP, ip);
  },
  domain: (v, out) => out.add(Kind.DOMAIN, v),
  hostname: scanHostname,
  url: (v, out) => {
    const host = urlHost(v);
    if (host) scanHostname(host, out);
  },
  net_addr: (v, out) => scanHostname(netAddrHost(v), out),
  md5: (v, out) => out.add(Kind.MD5, v),
  sha1: (v, out) => out.add(Kind.SHA1, v),
  sha256: (v, out) => out.add(Kind.SHA256, v),
  trace_id: (v, out) => out.add(Kind.TRACE, v),
  username: (v, out) => out.add(Kind.USER, v),
  email: (v, out) => out.add(Kind.EMAIL, v),
  aws_account_id: scanAccountId,
  aws_instance_id: scanInstanceId,
  aws_tag: (v, out) => out.add(Kind.TAG, v),
  aws_arn: scanArn,
  aws_arn_only: (v, out) => {
    if (arnParts(v) !== null) out.add(Kind.ARN, v);
  },
  mac: (v, out) => {
    if (MAC_ADDRESS.test(v)) out.add(Kind.MAC, v);
  },
};
