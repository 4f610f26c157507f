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

/**
 * What an address that must not be fetched is: its class ("loopback",
 * "private", …), the range when the text names one, and for an IPv6 form of
 * an IPv4 address (IPv4-mapped, NAT64, 6to4) the embedded address. Facts, not
 * words: `describeBlocked` says it in English (logs), feedErrorText in the
 * reader's language.
 */
export interface BlockedAddress {
  what: BlockedWhat;
  range?: string;
  via?: { form: "mapped" | "nat64" | "6to4"; v4: string };
}

export type BlockedWhat =
  | "this-network"
  | "private"
  | "cgnat"
  | "loopback"
  | "metadata"
  | "link-local"
  | "reserved"
  | "reserved-broadcast"
  | "documentation"
  | "benchmarking"
  | "multicast"
  | "unspecified"
  | "local-nat64"
  | "reserved-v6"
  | "discard"
  | "unique-local"
  | "site-local";

/**
 * Why an address must not be fetched, or null when it may be. A policy may
 * answer with its own words (a string, shown as it is) instead of a class.
 */
export type AddressPolicy = (address: string) => BlockedAddress | string | null;

/**
 * "public-only" in production; a policy function lets a test treat one
 * loopback address as public and watch a later hop be refused.
 */
export type Guard = "public-only" | AddressPolicy;

const policyOf = (guard: Guard): AddressPolicy => (guard === "public-only" ? blockedAddress : guard);

const ENGLISH: Record<BlockedWhat, string> = {
  "this-network": 'a "this network" address',
  private: "a private address",
  cgnat: "a carrier-grade NAT address",
  loopback: "a loopback address",
  metadata: "the cloud metadata address",
  "link-local": "a link-local address",
  reserved: "a reserved address",
  "reserved-broadcast": "a reserved address",
  documentation: "a documentation address",
  benchmarking: "a benchmarking address",
  multicast: "a multicast address",
  unspecified: "the unspecified address",
  "local-nat64": "a local-use NAT64 address",
  "reserved-v6": "a reserved IPv6 address",
  discard: "a discard-only address",
  "unique-local": "a unique local address",
  "site-local": "a site-local address",
};

const FORMS = { mapped: "the IPv4-mapped form", nat64: "the NAT64 form", "6to4": "the 6to4 form" } as const;

/** "a private address (10.0.0.0/8)", "the IPv4-mapped form of 127.0.0.1, a loopback address" — English, for logs. */
export function describeBlocked(b: BlockedAddress | string): string {
  if (typeof b === "string") return b;
  const range = b.range ? ` (${b.range}${b.what === "reserved-broadcast" ? ", broadcast included" : ""})` : "";
  const why = `${ENGLISH[b.what]}${range}`;
  return b.via ? `${FORMS[b.via.form]} of ${b.via.v4}, ${why}` : why;
}

/** A refusal's facts as FeedError params: {what, range?, form?, v4?}, or {why} for a policy's own words. */
export function blockedParams(b: BlockedAddress | string): Record<string, string> {
  if (typeof b === "string") return { why: b };
  return {
    what: b.what,
    ...(b.range ? { range: b.range } : {}),
    ...(b.via ? { form: b.via.form, v4: b.via.v4 } : {}),
  };
}

/** Raised inside the lookup hook; fetch.ts turns it into FeedError kind "refused". */
export class SsrfRefusal extends Error {
  override readonly name = "SsrfRefusal";
  readonly code = "ERR_SSRF_REFUSED";
  /** in English, e.g. "a loopback address" */
  readonly why: string;
  constructor(
    readonly address: string,
    readonly blocked: BlockedAddress | string,
    readonly hostname?: string,
  ) {
    const why = describeBlocked(blocked);
    super(
      hostname && hostname !== address
        ? `refused: ${hostname} resolves to ${address}, ${why}; only public addresses are allowed`
        : `refused: ${address} is ${why}; only public addresses are allowed`,
    );
    this.why = why;
  }

  /** FeedError params: detail "address" ({address}) or "resolves" ({host, address}), and what the address is */
  get params(): Record<string, string> {
    const named = this.hostname && this.hostname !== this.address;
    return {
      detail: named ? "resolves" : "address",
      address: this.address,
      ...(named ? { host: this.hostname! } : {}),
      ...blockedParams(this.blocked),
    };
  }
}

type V4 = [number, number, number, number];

/** [first address, prefix length, what, range] — checked in order, so the narrower metadata range wins. */
const V4_BLOCKED: Array<[V4, number, BlockedWhat, string?]> = [
  [[0, 0, 0, 0], 8, "this-network", "0.0.0.0/8"],
  [[10, 0, 0, 0], 8, "private", "10.0.0.0/8"],
  [[100, 64, 0, 0], 10, "cgnat", "100.64.0.0/10"],
  [[127, 0, 0, 0], 8, "loopback"],
  [[169, 254, 169, 254], 32, "metadata"],
  [[169, 254, 0, 0], 16, "link-local", "169.254.0.0/16"],
  [[172, 16, 0, 0], 12, "private", "172.16.0.0/12"],
  // 192.0.0.0/24 holds protocol assignments and Oracle Cloud's metadata service (192.0.0.192).
  [[192, 0, 0, 0], 24, "reserved", "192.0.0.0/24"],
  [[192, 0, 2, 0], 24, "documentation", "192.0.2.0/24"],
  [[192, 88, 99, 0], 24, "reserved", "192.88.99.0/24"],
  [[192, 168, 0, 0], 16, "private", "192.168.0.0/16"],
  [[198, 18, 0, 0], 15, "benchmarking", "198.18.0.0/15"],
  [[198, 51, 100, 0], 24, "documentation", "198.51.100.0/24"],
  [[203, 0, 113, 0], 24, "documentation", "203.0.113.0/24"],
  [[224, 0, 0, 0], 4, "multicast"],
  [[240, 0, 0, 0], 4, "reserved-broadcast", "240.0.0.0/4"],
];

function inPrefix(bytes: ArrayLike<number>, first: ArrayLike<number>, bits: number): boolean {
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i]! & mask) !== (first[i]! & mask)) return false;
  }
  return true;
}

function v4Blocked(b: V4): BlockedAddress | null {
  for (const [first, bits, what, range] of V4_BLOCKED) if (inPrefix(b, first, bits)) return range ? { what, range } : { what };
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

function v6Blocked(b: number[]): BlockedAddress | null {
  const embedded = (at: number, form: "mapped" | "nat64" | "6to4"): BlockedAddress | null => {
    const v4 = v4At(b, at);
    const inner = v4Blocked(v4);
    return inner ? { ...inner, via: { form, v4: v4.join(".") } } : null;
  };
  const is = (what: BlockedWhat, range?: string): BlockedAddress => (range ? { what, range } : { what });
  // ::ffff:0:0/96 — IPv4-mapped: the socket really talks IPv4 to the embedded address.
  if (inPrefix(b, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96)) return embedded(12, "mapped");
  if (b.every((x) => x === 0)) return is("unspecified");
  if (inPrefix(b, [...Array(15).fill(0), 1], 128)) return is("loopback");
  // 64:ff9b::/96 — NAT64: the gateway connects to the embedded IPv4 address.
  if (inPrefix(b, [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96)) return embedded(12, "nat64");
  if (inPrefix(b, [0, 0x64, 0xff, 0x9b, 0, 1], 48)) return is("local-nat64", "64:ff9b:1::/48");
  // The rest of ::/8 (IPv4-compatible, SIIT) is not globally routable.
  if (b[0] === 0) return is("reserved-v6", "::/8");
  if (inPrefix(b, [1, 0, 0, 0, 0, 0, 0, 0], 64)) return is("discard", "100::/64");
  if (inPrefix(b, [0x20, 0x01, 0x0d, 0xb8], 32)) return is("documentation", "2001:db8::/32");
  // 2002::/16 — 6to4: the next 32 bits are the IPv4 address the relay sends to.
  if (inPrefix(b, [0x20, 0x02], 16)) return embedded(2, "6to4");
  if (inPrefix(b, [0xfc], 7)) return is("unique-local", "fc00::/7");
  if (inPrefix(b, [0xfe, 0x80], 10)) return is("link-local", "fe80::/10");
  if (inPrefix(b, [0xfe, 0xc0], 10)) return is("site-local", "fec0::/10");
  if (b[0] === 0xff) return is("multicast");
  return null;
}

/**
 * What an IP address that must not be fetched is, or null when it is public.
 * Text that is not an IP address gets null: names are checked once DNS has
 * turned them into addresses.
 */
export function blockedAddress(address: string): BlockedAddress | null {
  const v4 = parseIpv4(address);
  if (v4) return v4Blocked(v4);
  const v6 = parseIpv6(address);
  return v6 ? v6Blocked(v6) : null;
}

/**
 * Why an IP address must not be fetched, in English ("a loopback address",
 * …), or null when it is public (logs and tests; see blockedAddress).
 */
export function blockedReason(address: string): string | null {
  const b = blockedAddress(address);
  return b ? describeBlocked(b) : null;
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
