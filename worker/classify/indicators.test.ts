import { describe, expect, it } from "vitest";
import { IndicatorSet } from "./indicator-set";
import { SCANNERS, urlHost } from "./indicators";
import type { IndicatorName } from "./spec-types";

function scan(name: IndicatorName, ...values: string[]): Record<string, string[]> {
  const set = new IndicatorSet();
  for (const v of values) SCANNERS[name](v, set);
  return set.toRecord();
}

describe("indicator scanners", () => {
  it("ip keeps valid IPv4 and IPv6 addresses only", () => {
    expect(scan("ip", "10.0.0.1", " 192.0.2.7 ", "2001:db8::1", "not-an-ip", "256.1.1.1", "")).toEqual({
      p_any_ip_addresses: ["10.0.0.1", "192.0.2.7", "2001:db8::1"],
    });
  });

  it("domain keeps the value as it came", () => {
    expect(scan("domain", "example.com")).toEqual({ p_any_domain_names: ["example.com"] });
  });

  it("hostname, url and net_addr split between IP addresses and domain names", () => {
    expect(scan("hostname", "api.example.com", "198.51.100.4")).toEqual({
      p_any_ip_addresses: ["198.51.100.4"],
      p_any_domain_names: ["api.example.com"],
    });
    expect(scan("url", "https://user:pw@www.example.com:8443/a?b#c", "http://[2001:db8::2]:80/", "relative/path", "mailto:x@example.com")).toEqual({
      p_any_ip_addresses: ["2001:db8::2"],
      p_any_domain_names: ["www.example.com"],
    });
    expect(scan("net_addr", "10.1.2.3:8080", "[2001:db8::3]:443", "db.internal:5432", "2001:db8::4", "cache.internal")).toEqual({
      p_any_ip_addresses: ["10.1.2.3", "2001:db8::3", "2001:db8::4"],
      p_any_domain_names: ["cache.internal", "db.internal"],
    });
  });

  it("hashes, trace ids, usernames, emails and tags go to their own fields", () => {
    expect(scan("md5", "d41d8cd98f00b204e9800998ecf8427e")).toEqual({ p_any_md5_hashes: ["d41d8cd98f00b204e9800998ecf8427e"] });
    expect(scan("sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709")).toEqual({ p_any_sha1_hashes: ["da39a3ee5e6b4b0d3255bfef95601890afd80709"] });
    const sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    expect(scan("sha256", sha256)).toEqual({ p_any_sha256_hashes: [sha256] });
    expect(scan("trace_id", "req-1")).toEqual({ p_any_trace_ids: ["req-1"] });
    expect(scan("username", "alice")).toEqual({ p_any_usernames: ["alice"] });
    expect(scan("email", "alice@example.com")).toEqual({ p_any_emails: ["alice@example.com"] });
    expect(scan("aws_tag", "team:security")).toEqual({ p_any_aws_tags: ["team:security"] });
  });

  it("aws_account_id needs 12 digits; aws_instance_id needs the i- prefix", () => {
    expect(scan("aws_account_id", "123456789012", "12345", "12345678901a")).toEqual({ p_any_aws_account_ids: ["123456789012"] });
    expect(scan("aws_instance_id", "i-0abc123", "vol-1")).toEqual({ p_any_aws_instance_ids: ["i-0abc123"] });
  });

  it("aws_arn also yields the account id, an EC2 instance id and an email session name", () => {
    expect(
      scan(
        "aws_arn",
        "arn:aws:ec2:us-east-1:123456789012:instance/i-0abcdef1234567890",
        "arn:aws:sts::210987654321:assumed-role/Admin/jane@example.com",
        "arn:aws:s3:::my-bucket",
        "not:an:arn",
        "arn:aws:too:short",
      ),
    ).toEqual({
      p_any_aws_arns: [
        "arn:aws:ec2:us-east-1:123456789012:instance/i-0abcdef1234567890",
        "arn:aws:s3:::my-bucket",
        "arn:aws:sts::210987654321:assumed-role/Admin/jane@example.com",
      ],
      p_any_aws_account_ids: ["123456789012", "210987654321"],
      p_any_aws_instance_ids: ["i-0abcdef1234567890"],
      p_any_emails: ["jane@example.com"],
    });
  });

  it("aws_arn reads an ARN the same way the second time (the parts are remembered)", () => {
    const arn = "arn:aws:iam::123456789012:user/bob@example.com";
    expect(scan("aws_arn", arn)).toEqual(scan("aws_arn", arn));
    expect(scan("aws_arn", arn).p_any_emails).toEqual(["bob@example.com"]);
  });

  it("aws_arn stays right when recent ARNs outnumber the remembered ones", () => {
    const arns = Array.from({ length: 6000 }, (_, i) => `arn:aws:iam::${String(100000000000 + i)}:user/u${i % 7}`);
    for (const round of [1, 2]) {
      for (let i = 0; i < arns.length; i += 997) {
        expect(scan("aws_arn", arns[i]).p_any_aws_account_ids, `round ${round}`).toEqual([String(100000000000 + i)]);
      }
    }
  });

  it("aws_arn_only keeps the ARN alone", () => {
    expect(scan("aws_arn_only", "arn:aws:iam::123456789012:user/bob@example.com", "nope")).toEqual({
      p_any_aws_arns: ["arn:aws:iam::123456789012:user/bob@example.com"],
    });
  });

  it("mac keeps 6- and 8-byte addresses in colon, dash or dot notation", () => {
    expect(scan("mac", "00:1a:2b:3c:4d:5e", "00-1A-2B-3C-4D-5F", "001a.2b3c.4d60", "00:1a:2b:3c:4d", "00:1a-2b:3c:4d:5e")).toEqual({
      p_any_mac_addresses: ["00-1A-2B-3C-4D-5F", "001a.2b3c.4d60", "00:1a:2b:3c:4d:5e"],
    });
  });
});

describe("IndicatorSet", () => {
  it("deduplicates and sorts each list, and leaves out empty ones", () => {
    const set = new IndicatorSet();
    for (const ip of ["10.0.0.3", "10.0.0.1", "10.0.0.3", "10.0.0.2", "10.0.0.1"]) SCANNERS.ip(ip, set);
    expect(set.toRecord()).toEqual({ p_any_ip_addresses: ["10.0.0.1", "10.0.0.2", "10.0.0.3"] });
  });

  it("sorts and deduplicates long lists too", () => {
    const set = new IndicatorSet();
    const ips = Array.from({ length: 40 }, (_, i) => `10.0.${i % 25}.1`).reverse();
    for (const ip of ips) SCANNERS.ip(ip, set);
    const expected = [...new Set(ips)].sort();
    expect(set.toRecord().p_any_ip_addresses).toEqual(expected);
    expect(expected).toHaveLength(25);
  });

  it("starts empty again after clear()", () => {
    const set = new IndicatorSet();
    SCANNERS.email("a@example.com", set);
    const first = set.toRecord();
    set.clear();
    expect(set.toRecord()).toEqual({});
    expect(first).toEqual({ p_any_emails: ["a@example.com"] });
  });
});

describe("urlHost", () => {
  it.each([
    ["https://example.com", "example.com"],
    ["https://example.com:443/x", "example.com"],
    ["//cdn.example.com/lib.js", "cdn.example.com"],
    ["ftp://user@files.example.com", "files.example.com"],
    ["http://[::1]:8080/", "::1"],
    ["example.com/path", undefined],
  ])("%s → %s", (url, host) => {
    expect(urlHost(url)).toBe(host);
  });
});
