import { describe, expect, it } from "vitest";
import { isCIDROf, isIPOf, isIPv4, isIPv6 } from "./ip";

describe("isIPv4", () => {
  it.each(["0.0.0.0", "10.0.0.1", "192.168.255.255", "255.255.255.255"])("accepts %s", (ip) => {
    expect(isIPv4(ip)).toBe(true);
  });
  it.each(["256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4 ", "1..2.3", "a.b.c.d", ""])("refuses %j", (ip) => {
    expect(isIPv4(ip)).toBe(false);
  });
});

describe("isIPv6", () => {
  it.each(["::", "::1", "2001:db8::1", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1", "2001:DB8:0:0:8:800:200C:417A", "1::"])(
    "accepts %s",
    (ip) => {
      expect(isIPv6(ip)).toBe(true);
    },
  );
  it.each(["1:2:3:4:5:6:7:8:9", "1::2::3", "12345::1", ":1:2", "1:2:3:4:5:6:7:", "::1%eth0", "1::2:3:4:5:6:7:8", "g::1", "1.2.3.4", ""])(
    "refuses %j",
    (ip) => {
      expect(isIPv6(ip)).toBe(false);
    },
  );
});

describe("families and CIDR blocks", () => {
  it("checks the family an address belongs to", () => {
    expect(isIPOf("ipv4", "10.0.0.1")).toBe(true);
    expect(isIPOf("ipv4", "::1")).toBe(false);
    expect(isIPOf("ipv6", "::1")).toBe(true);
    expect(isIPOf("ipv6", "10.0.0.1")).toBe(false);
    expect(isIPOf("any", "10.0.0.1") && isIPOf("any", "::1")).toBe(true);
  });

  it("checks CIDR blocks and their prefix length", () => {
    expect(isCIDROf("ipv4", "10.0.0.0/8")).toBe(true);
    expect(isCIDROf("ipv4", "10.0.0.0/33")).toBe(false);
    expect(isCIDROf("ipv4", "2001:db8::/32")).toBe(false);
    expect(isCIDROf("ipv6", "2001:db8::/128")).toBe(true);
    expect(isCIDROf("ipv6", "2001:db8::/129")).toBe(false);
    expect(isCIDROf("any", "192.0.2.0/24")).toBe(true);
    expect(isCIDROf("any", "192.0.2.0")).toBe(false);
    expect(isCIDROf("any", "192.0.2.0/024")).toBe(false);
  });
});
