import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { feedErrorText } from "../../src/feeds/errors.js";
import { blockedAddress, blockedReason, guardedLookup, parseIpv6, refuseAddressLiteral, SsrfRefusal } from "../../src/feeds/ssrf.js";
import { english } from "../../src/i18n/translator.js";

describe("blockedReason: IPv4", () => {
  it.each([
    ["0.0.0.0", /this network/],
    ["0.1.2.3", /this network/],
    ["10.0.0.1", /private.*10\.0\.0\.0\/8/],
    ["10.255.255.255", /private/],
    ["100.64.0.1", /carrier-grade NAT/],
    ["100.100.100.200", /carrier-grade NAT/], // Alibaba Cloud metadata
    ["100.127.255.255", /carrier-grade NAT/],
    ["127.0.0.1", /loopback/],
    ["127.255.255.254", /loopback/],
    ["169.254.169.254", /cloud metadata/],
    ["169.254.0.1", /link-local/],
    ["172.16.0.1", /private.*172\.16\.0\.0\/12/],
    ["172.31.255.255", /private/],
    ["192.0.0.192", /reserved/], // Oracle Cloud metadata
    ["192.0.2.10", /documentation/],
    ["192.168.1.1", /private.*192\.168/],
    ["198.18.0.1", /benchmarking/],
    ["198.51.100.7", /documentation/],
    ["203.0.113.9", /documentation/],
    ["224.0.0.1", /multicast/],
    ["239.255.255.250", /multicast/],
    ["240.0.0.1", /reserved/],
    ["255.255.255.255", /reserved.*broadcast/],
  ])("refuses %s", (ip, why) => {
    expect(blockedReason(ip)).toMatch(why);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "93.184.216.34",
    "100.63.255.255",
    "100.128.0.0",
    "172.15.255.255",
    "172.32.0.0",
    "192.167.255.255",
    "192.169.0.0",
    "169.253.255.255",
    "9.255.255.255",
    "11.0.0.0",
    "223.255.255.255",
  ])("allows the public address %s", (ip) => {
    expect(blockedReason(ip)).toBeNull();
  });
});

describe("blockedReason: IPv6", () => {
  it.each([
    ["::1", /loopback/],
    ["0:0:0:0:0:0:0:1", /loopback/],
    ["::", /unspecified/],
    ["::ffff:127.0.0.1", /IPv4-mapped form of 127\.0\.0\.1, a loopback/],
    ["::ffff:7f00:1", /IPv4-mapped form of 127\.0\.0\.1/],
    ["0:0:0:0:0:ffff:a9fe:a9fe", /IPv4-mapped form of 169\.254\.169\.254, the cloud metadata/],
    ["::ffff:10.1.2.3", /IPv4-mapped form of 10\.1\.2\.3, a private/],
    ["::ffff:192.168.0.1", /private/],
    ["::127.0.0.1", /reserved IPv6/], // IPv4-compatible, deprecated
    ["64:ff9b::7f00:1", /NAT64 form of 127\.0\.0\.1/],
    ["64:ff9b::10.0.0.1", /NAT64 form of 10\.0\.0\.1/],
    ["64:ff9b:1::1", /local-use NAT64/],
    ["2002:7f00:1::", /6to4 form of 127\.0\.0\.1/],
    ["2002:a9fe:a9fe::1", /6to4 form of 169\.254\.169\.254/],
    ["100::1", /discard/],
    ["2001:db8::1", /documentation/],
    ["fc00::1", /unique local/],
    ["fd00:ec2::254", /unique local/], // AWS metadata over IPv6
    ["fdff:ffff::", /unique local/],
    ["fe80::1", /link-local/],
    ["fe80::1%eth0", /link-local/],
    ["febf:ffff::1", /link-local/],
    ["fec0::1", /site-local/],
    ["ff02::1", /multicast/],
    ["FF05::2", /multicast/],
    ["[::1]", /loopback/],
  ])("refuses %s", (ip, why) => {
    expect(blockedReason(ip)).toMatch(why);
  });

  it.each([
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::8.8.8.8",
    "2002:808:808::1",
    "fbff::1",
    "fe7f::1",
    "2001:db9::1",
  ])("allows the public address %s", (ip) => {
    expect(blockedReason(ip)).toBeNull();
  });

  it("parses the forms an address can be written in to the same bytes", () => {
    const loop = [...Array(15).fill(0), 1];
    expect(parseIpv6("::1")).toEqual(loop);
    expect(parseIpv6("0000:0000:0000:0000:0000:0000:0000:0001")).toEqual(loop);
    expect(parseIpv6("::ffff:127.0.0.1")).toEqual(parseIpv6("::ffff:7f00:1"));
    expect(parseIpv6("1:2:3:4:5:6:7:8")).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
    expect(parseIpv6("1::8")).toEqual([0, 1, ...Array(12).fill(0), 0, 8]);
    for (const bad of ["", "1:2:3", "::g", "1::2::3", "127.0.0.1", "example.com", "1:2:3:4:5:6:7:8:9"]) expect(parseIpv6(bad)).toBeNull();
  });

  it("says what an address is as facts, which read the same as the English reason", () => {
    expect(blockedAddress("10.1.2.3")).toEqual({ what: "private", range: "10.0.0.0/8" });
    expect(blockedAddress("::ffff:169.254.169.254")).toEqual({ what: "metadata", via: { form: "mapped", v4: "169.254.169.254" } });
    expect(blockedAddress("2002:7f00:1::")).toEqual({ what: "loopback", via: { form: "6to4", v4: "127.0.0.1" } });
    expect(blockedAddress("8.8.8.8")).toBeNull();
    const t = english();
    for (const ip of [
      "0.1.2.3",
      "100.64.0.1",
      "169.254.0.1",
      "192.0.0.192",
      "198.18.0.1",
      "240.0.0.1",
      "::",
      "64:ff9b:1::1",
      "::127.0.0.1",
      "100::1",
      "2001:db8::1",
      "fc00::1",
      "fe80::1",
      "fec0::1",
      "ff02::1",
      "64:ff9b::10.0.0.1",
    ]) {
      const r = new SsrfRefusal(ip, blockedAddress(ip)!);
      expect(feedErrorText(t, "refused", r.params), ip).toBe(r.message);
    }
  });

  it("does not judge names: they are checked once resolved", () => {
    expect(blockedReason("localhost")).toBeNull();
    expect(blockedReason("example.com")).toBeNull();
  });
});

describe("refuseAddressLiteral: every way a URL can spell a private address", () => {
  it.each([
    ["http://127.0.0.1/feed", "127.0.0.1"],
    ["http://2130706433/", "127.0.0.1"], // decimal
    ["http://0x7f.1/", "127.0.0.1"], // hex, short form
    ["http://0x7f000001/", "127.0.0.1"],
    ["http://0177.0.0.1/", "127.0.0.1"], // octal
    ["http://017700000001/", "127.0.0.1"],
    ["http://127.1/", "127.0.0.1"],
    ["http://0/", "0.0.0.0"],
    ["http://3232235521/", "192.168.0.1"],
    ["http://0xa.0.0.1/", "10.0.0.1"],
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254"],
    ["http://0xa9fea9fe/", "169.254.169.254"],
    ["https://[::1]:8443/", "::1"],
    ["http://[::ffff:127.0.0.1]/", "::ffff:7f00:1"],
    ["http://[0:0:0:0:0:ffff:a9fe:a9fe]/", "::ffff:a9fe:a9fe"],
    ["http://[fd00:ec2::254]/", "fd00:ec2::254"],
    ["http://[fe80::1]/", "fe80::1"],
  ])("%s is refused as %s", (url, address) => {
    const r = refuseAddressLiteral(new URL(url));
    expect(r).toBeInstanceOf(SsrfRefusal);
    expect(r!.address).toBe(address);
    expect(r!.message).toMatch(/^refused: \S+ is .+; only public addresses are allowed$/);
    // The refusal as facts: an English-speaking admin reads what the log says.
    expect(feedErrorText(english(), "refused", r!.params)).toBe(r!.message);
  });

  it.each(["http://8.8.8.8/", "http://134744072/", "http://[2606:4700:4700::1111]/", "https://example.com/feed", "http://localhost/"])(
    "%s is not refused before DNS",
    (url) => {
      expect(refuseAddressLiteral(new URL(url))).toBeNull();
    },
  );
});

describe("guardedLookup: the address DNS returns is what is checked", () => {
  type LookupResult = { err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };
  const lookup = (host: string, options: { all?: boolean; family?: number }, guard = guardedLookup()) =>
    new Promise<LookupResult>((resolve) => guard(host, options, (err, address, family) => resolve({ err, address, family })));

  it("refuses a name that resolves to loopback (here localhost, from /etc/hosts)", async () => {
    const r = await lookup("localhost", {});
    expect(r.err).toBeInstanceOf(SsrfRefusal);
    expect(r.err!.message).toMatch(
      /^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address; only public addresses are allowed$/,
    );
    const refusal = r.err as SsrfRefusal;
    expect(refusal.params).toMatchObject({ detail: "resolves", host: "localhost", what: "loopback" });
    expect(feedErrorText(english(), "refused", refusal.params)).toBe(refusal.message);
  });

  it("answers in the shape the caller asked for when the address is allowed", async () => {
    const one = await lookup("8.8.8.8", {});
    expect(one).toEqual({ err: null, address: "8.8.8.8", family: 4 });
    const all = await lookup("8.8.8.8", { all: true });
    expect(all.err).toBeNull();
    expect(all.address).toEqual([{ address: "8.8.8.8", family: 4 }]);
  });

  it("applies a custom policy", async () => {
    const allowLoopback = guardedLookup((a) => (a === "127.0.0.1" ? null : "not allowed here"));
    expect((await lookup("127.0.0.1", { family: 4 }, allowLoopback)).address).toBe("127.0.0.1");
    expect((await lookup("8.8.8.8", {}, allowLoopback)).err?.message).toBe(
      "refused: 8.8.8.8 is not allowed here; only public addresses are allowed",
    );
  });

  it("passes DNS errors through", async () => {
    const r = await lookup("no-such-host.invalid", {});
    expect(r.err).not.toBeInstanceOf(SsrfRefusal);
    expect(r.err?.code).toMatch(/ENOTFOUND|EAI_AGAIN|EAI_NONAME/);
  });
});

describe("ALLOW_PRIVATE_SOURCES", () => {
  const env = { BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ" };
  it("is off unless set: the guard protects a default install", () => {
    const r = parseConfig(env);
    expect(r.ok && r.config.allowPrivateSources).toBe(false);
  });
  it.each([
    ["true", true],
    ["1", true],
    ["false", false],
    ["no", false],
  ])("%s → %s", (value, expected) => {
    const r = parseConfig({ ...env, ALLOW_PRIVATE_SOURCES: value });
    expect(r.ok && r.config.allowPrivateSources).toBe(expected);
  });
  it("refuses anything else with a line naming the variable", () => {
    const r = parseConfig({ ...env, ALLOW_PRIVATE_SOURCES: "maybe" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([expect.stringMatching(/^ALLOW_PRIVATE_SOURCES: /)]);
  });
});
