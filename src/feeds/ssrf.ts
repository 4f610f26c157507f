import dns from "node:dns";
import { isIP, type LookupFunction } from "node:net";

/**
 * The SSRF guard: sources added from the chat must not make the bot fetch
 * its own host, the private network or a cloud metadata service.
 *
 * The check runs where the connection is made — on the address DNS returned,
 * through the `lookup` hook of http.request — and not on the URL beforehand:
 * a name that resolves to a public address when checked and to 127.0.0.1 when
 * connected (DNS rebinding) is refused all the same. IP literals skip DNS, so
 * they are checked separately (`refuseAddressLiteral`). fetch.ts applies both
 * on every hop, redirects included.
 */

/** Why an address must not be fetched, or null when it may be. */
export type AddressPolicy = (address: string) => string | null;

/**
 * "public-only" in production; a policy function lets a test treat one
 * loopback address as public and watch a later hop be refused.
 */
export type Guard = "public-only" | AddressPolicy;

const policyOf = (guard: Guard): AddressPolicy => (guard === "public-only" ? blockedReason : guard);

/** Raised inside the lookup hook; fetch.ts turns it into FeedError kind "refused". */
export class SsrfRefusal extends Error {
  override readonly name = "SsrfRefusal";
  readonly code = "ERR_SSRF_REFUSED";
  constructor(
    readonly address: string,
    readonly why: string,
    hostname?: string,
  ) {
    super(
      hostname && hostname !== address
        ? `refused: ${hostname} resolves to ${address}, ${why}; only public addresses are allowed`
        : `refused: ${address} is ${why}; only public addresses are allowed`,
    );
  }
}

type V4 = [number, number, number, number];

/** [first address, prefix length, why] — checked in order, so the narrower metadata range wins. */
const V4_BLOCKED: Array<[V4, number, string]> = [
  [[0, 0, 0, 0], 8, 'a "this network" address (0.0.0.0/8)'],
  [[10, 0, 0, 0], 8, "a private address (10.0.0.0/8)"],
  [[100, 64, 0, 0], 10, "a carrier-grade NAT address (100.64.0.0/10)"],
  [[127, 0, 0, 0], 8, "a loopback address"],
  [[169, 254, 169, 254], 32, "the cloud metadata address"],
  [[169, 254, 0, 0], 16, "a link-local address (169.254.0.0/16)"],
  [[172, 16, 0, 0], 12, "a private address (172.16.0.0/12)"],
  // 192.0.0.0/24 holds protocol assignments and Oracle Cloud's metadata service (192.0.0.192).
  [[192, 0, 0, 0], 24, "a reserved address (192.0.0.0/24)"],
  [[192, 0, 2, 0], 24, "a documentation address (192.0.2.0/24)"],
  [[192, 88, 99, 0], 24, "a reserved address (192.88.99.0/24)"],
  [[192, 168, 0, 0], 16, "a private address (192.168.0.0/16)"],
  [[198, 18, 0, 0], 15, "a benchmarking address (198.18.0.0/15)"],
  [[198, 51, 100, 0], 24, "a documentation address (198.51.100.0/24)"],
  [[203, 0, 113, 0], 24, "a documentation address (203.0.113.0/24)"],
  [[224, 0, 0, 0], 4, "a multicast address"],
  [[240, 0, 0, 0], 4, "a reserved address (240.0.0.0/4, broadcast included)"],
];

function inPrefix(bytes: ArrayLike<number>, first: ArrayLike<number>, bits: number): boolean {
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i]! & mask) !== (first[i]! & mask)) return false;
  }
  return true;
}

function v4Reason(b: V4): string | null {
  for (const [first, bits, why] of V4_BLOCKED) if (inPrefix(b, first, bits)) return why;
  return null;
}

/** Dotted-quad only: anything else has been normalised by the URL parser or DNS by the time we look. */
export function parseIpv4(text: string): V4 | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((n) => n <= 255) ? (parts as V4) : null;
}

/** 16 bytes, or null when the text is not an IPv6 address. Accepts "::", a dotted-quad tail and a zone id. */
export function parseIpv6(text: string): number[] | null {
  let s = text.replace(/^\[|\]$/g, "");
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  if (isIP(s) !== 6) return null;
  const lastColon = s.lastIndexOf(":");
  if (s.includes(".", lastColon)) {
    // A dotted-quad tail (::ffff:127.0.0.1) is two more hex groups.
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (!v4) return null;
    const hex = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
    s = `${s.slice(0, lastColon + 1)}${hex(v4[0], v4[1])}:${hex(v4[2], v4[3])}`;
  }
  const [head, rest] = s.includes("::") ? s.split("::") : [s, undefined];
  const groupsOf = (part: string | undefined) => (part ? part.split(":") : []);
  const left = groupsOf(head);
  const right = groupsOf(rest);
  const fill = rest === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(Math.max(0, fill)).fill("0"), ...right];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

const v4At = (b: number[], at: number): V4 => [b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!];

function v6Reason(b: number[]): string | null {
  const embedded = (at: number, what: string) => {
    const v4 = v4At(b, at);
    const why = v4Reason(v4);
    return why ? `${what} of ${v4.join(".")}, ${why}` : null;
  };
  // ::ffff:0:0/96 — IPv4-mapped: the socket really talks IPv4 to the embedded address.
  if (inPrefix(b, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96)) return embedded(12, "the IPv4-mapped form");
  if (b.every((x) => x === 0)) return "the unspecified address";
  if (inPrefix(b, [...Array(15).fill(0), 1], 128)) return "a loopback address";
  // 64:ff9b::/96 — NAT64: the gateway connects to the embedded IPv4 address.
  if (inPrefix(b, [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96)) return embedded(12, "the NAT64 form");
  if (inPrefix(b, [0, 0x64, 0xff, 0x9b, 0, 1], 48)) return "a local-use NAT64 address (64:ff9b:1::/48)";
  // The rest of ::/8 (IPv4-compatible, SIIT) is not globally routable.
  if (b[0] === 0) return "a reserved IPv6 address (::/8)";
  if (inPrefix(b, [1, 0, 0, 0, 0, 0, 0, 0], 64)) return "a discard-only address (100::/64)";
  if (inPrefix(b, [0x20, 0x01, 0x0d, 0xb8], 32)) return "a documentation address (2001:db8::/32)";
  // 2002::/16 — 6to4: the next 32 bits are the IPv4 address the relay sends to.
  if (inPrefix(b, [0x20, 0x02], 16)) return embedded(2, "the 6to4 form");
  if (inPrefix(b, [0xfc], 7)) return "a unique local address (fc00::/7)";
  if (inPrefix(b, [0xfe, 0x80], 10)) return "a link-local address (fe80::/10)";
  if (inPrefix(b, [0xfe, 0xc0], 10)) return "a site-local address (fec0::/10)";
  if (b[0] === 0xff) return "a multicast address";
  return null;
}

/**
 * Why an IP address must not be fetched ("a loopback address", …), or null
 * when it is public. Text that is not an IP address gets null: names are
 * checked once DNS has turned them into addresses.
 */
export function blockedReason(address: string): string | null {
  const v4 = parseIpv4(address);
  if (v4) return v4Reason(v4);
  const v6 = parseIpv6(address);
  return v6 ? v6Reason(v6) : null;
}

/**
 * The refusal for a URL whose host is an IP literal that is not public, or
 * null. WHATWG URL parsing has already turned decimal, hex and octal forms
 * (http://2130706433/, http://0x7f.1/) into dotted quads and bracketed IPv6
 * into its compressed form, so only canonical text reaches this check.
 */
export function refuseAddressLiteral(url: URL, guard: Guard = "public-only"): SsrfRefusal | null {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) === 0) return null;
  const why = policyOf(guard)(host);
  return why ? new SsrfRefusal(host, why) : null;
}

/**
 * A drop-in for dns.lookup that fails with SsrfRefusal when any address the
 * name resolves to is not public — all of them, not just the first, because
 * the socket may try the next one when the first does not answer.
 */
export function guardedLookup(guard: Guard = "public-only"): LookupFunction {
  const policy = policyOf(guard);
  return (hostname, options, callback) =>
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "");
      for (const a of addresses) {
        const why = policy(a.address);
        if (why) return callback(new SsrfRefusal(a.address, why, hostname), "");
      }
      if (addresses.length === 0) {
        return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), "");
      }
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
}
