import { timingSafeEqual } from "node:crypto";
import { parse, signData } from "@tma.js/init-data-node";

/** Who opened the Mini App, as Telegram signed it. */
export interface WebAppUser {
  id: number;
  firstName: string;
  languageCode?: string;
}

export type InitDataCheck =
  | { ok: true; user: WebAppUser; authDate: number }
  /** missing: none sent; malformed: not init data; forged: the hash is not ours; expired: signed too long ago (or in the future) */
  | { ok: false; why: "missing" | "malformed" | "forged" | "expired" };

/** Telegram's advice and the bound: a launch is good for a day. */
export const INIT_DATA_MAX_AGE_S = 24 * 3600;
/** a client's clock a little ahead of ours is not an attack */
const FUTURE_SKEW_S = 60;
/** real init data is well under 1 KB; a longer header is not looked at */
const MAX_LENGTH = 8192;

/**
 * Checks a Mini App's initData: the HMAC-SHA256 of its sorted fields under
 * the key HMAC-SHA256("WebAppData", bot token), computed by
 * @tma.js/init-data-node (maintained; the same derivation as Telegram's
 * docs), compared here in constant time (the library's own validate compares
 * with ===), and an auth_date at most `maxAgeS` old. Pure but for the clock.
 */
export function checkInitData(raw: string | undefined | null, token: string, opts: { now?: number; maxAgeS?: number } = {}): InitDataCheck {
  if (!raw) return { ok: false, why: "missing" };
  if (raw.length > MAX_LENGTH) return { ok: false, why: "malformed" };
  const params = new URLSearchParams(raw);
  const hash = params.get("hash");
  const authDate = Number(params.get("auth_date"));
  if (!hash || !/^[0-9a-f]{64}$/.test(hash) || !Number.isSafeInteger(authDate)) return { ok: false, why: "malformed" };
  const pairs: string[] = [];
  params.forEach((value, key) => {
    if (key !== "hash") pairs.push(`${key}=${value}`);
  });
  pairs.sort();
  let expected: string;
  try {
    expected = signData(pairs.join("\n"), token);
  } catch {
    return { ok: false, why: "malformed" };
  }
  if (!timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(hash, "hex"))) return { ok: false, why: "forged" };
  // Only a signed value is looked at further: a forger learns nothing about what else is checked.
  const nowS = Math.floor((opts.now ?? Date.now()) / 1000);
  const maxAge = opts.maxAgeS ?? INIT_DATA_MAX_AGE_S;
  if (nowS - authDate > maxAge || authDate - nowS > FUTURE_SKEW_S) return { ok: false, why: "expired" };
  let user: { id?: unknown; first_name?: unknown; language_code?: unknown } | undefined;
  try {
    user = parse(params).user as typeof user;
  } catch {
    return { ok: false, why: "malformed" };
  }
  if (!user || typeof user.id !== "number" || !Number.isSafeInteger(user.id) || user.id <= 0) return { ok: false, why: "malformed" };
  return {
    ok: true,
    authDate,
    user: {
      id: user.id,
      firstName: typeof user.first_name === "string" ? user.first_name : "",
      ...(typeof user.language_code === "string" ? { languageCode: user.language_code } : {}),
    },
  };
}

/** The initData of an `Authorization: tma <initData>` header (the convention of Telegram's Mini App docs), or undefined. */
export function initDataOf(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const m = /^tma (.+)$/s.exec(authorization.trim());
  return m ? m[1] : undefined;
}
