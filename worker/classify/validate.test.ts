import { describe, expect, it } from "vitest";
import { compileValidate } from "./validate";

describe("compileValidate", () => {
  it("allow: only listed values pass", () => {
    const check = compileValidate({ allow: ["GET", "POST"] })!;
    expect(check("GET")).toBeUndefined();
    expect(check("get")).toBe('expected one of ["GET", "POST"], got "get"');
  });

  it("allow: long lists too", () => {
    const allow = Array.from({ length: 40 }, (_, i) => `v${i}`);
    const check = compileValidate({ allow })!;
    expect(check("v39")).toBeUndefined();
    expect(check("v40")).toMatch(/^expected one of \["v0", /);
  });

  it("deny: listed values fail", () => {
    const check = compileValidate({ deny: ["-"] })!;
    expect(check("alice")).toBeUndefined();
    expect(check("-")).toBe('value "-" is denied');
  });

  it("ip: the address family", () => {
    expect(compileValidate({ ip: "ipv4" })!("::1")).toBe('expected an ipv4 address, got "::1"');
    expect(compileValidate({ ip: "ipv6" })!("::1")).toBeUndefined();
    expect(compileValidate({ ip: "any" })!("example.com")).toBe('expected an IP address, got "example.com"');
  });

  it("cidr: a block of the family", () => {
    expect(compileValidate({ cidr: "ipv4" })!("10.0.0.0/8")).toBeUndefined();
    expect(compileValidate({ cidr: "ipv6" })!("10.0.0.0/8")).toBe('expected an ipv6 CIDR block, got "10.0.0.0/8"');
    expect(compileValidate({ cidr: "any" })!("10.0.0.1")).toBe('expected a CIDR block, got "10.0.0.1"');
  });

  it("several rules: the first that fails explains", () => {
    const check = compileValidate({ ip: "any", deny: ["127.0.0.1"] })!;
    expect(check("10.0.0.1")).toBeUndefined();
    expect(check("127.0.0.1")).toBe('value "127.0.0.1" is denied');
    expect(check("x")).toBe('expected an IP address, got "x"');
  });

  it("no rule: nothing to check", () => {
    expect(compileValidate({})).toBeUndefined();
  });
});
