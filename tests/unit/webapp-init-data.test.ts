import { sign } from "@tma.js/init-data-node";
import { describe, expect, it } from "vitest";
import { checkInitData, initDataOf } from "../../src/webapp/init-data.js";

const TOKEN = "123456:unit-test-token_abcdefghijklmno";
const NOW = Date.parse("2026-12-02T12:00:00Z");
const at = (ms: number, user: object = { id: 77, first_name: "Ann", language_code: "az" }, token = TOKEN) =>
  sign({ user, query_id: "Q" } as never, token, new Date(ms));

describe("Mini App initData", () => {
  it("takes what Telegram signed with this bot's token and says who opened the app", () => {
    expect(checkInitData(at(NOW - 60_000), TOKEN, { now: NOW })).toEqual({
      ok: true,
      authDate: Math.floor((NOW - 60_000) / 1000),
      user: { id: 77, firstName: "Ann", languageCode: "az" },
    });
  });

  it("refuses another bot's signature, any field changed after signing, and a hash of the wrong shape", () => {
    const good = at(NOW);
    expect(checkInitData(at(NOW, undefined, "999:other"), TOKEN, { now: NOW })).toEqual({ ok: false, why: "forged" });
    expect(checkInitData(good.replace("query_id=Q", "query_id=R"), TOKEN, { now: NOW })).toEqual({ ok: false, why: "forged" });
    expect(checkInitData(`${good}&extra=1`, TOKEN, { now: NOW })).toEqual({ ok: false, why: "forged" });
    expect(checkInitData(good.replace(/hash=[0-9a-f]+/, "hash=abc"), TOKEN, { now: NOW })).toEqual({ ok: false, why: "malformed" });
    expect(checkInitData(good.replace(/&hash=[0-9a-f]+/, ""), TOKEN, { now: NOW })).toEqual({ ok: false, why: "malformed" });
  });

  it("is good for 24 hours (and a minute of clock skew ahead), no longer", () => {
    expect(checkInitData(at(NOW - 24 * 3600_000 + 1000), TOKEN, { now: NOW }).ok).toBe(true);
    expect(checkInitData(at(NOW - 24 * 3600_000 - 1000), TOKEN, { now: NOW })).toEqual({ ok: false, why: "expired" });
    expect(checkInitData(at(NOW + 30_000), TOKEN, { now: NOW }).ok).toBe(true);
    expect(checkInitData(at(NOW + 5 * 60_000), TOKEN, { now: NOW })).toEqual({ ok: false, why: "expired" });
  });

  it("needs a user, and reads it only from the Authorization header's tma scheme", () => {
    const noUser = sign({ query_id: "Q" } as never, TOKEN, new Date(NOW));
    expect(checkInitData(noUser, TOKEN, { now: NOW })).toEqual({ ok: false, why: "malformed" });
    expect(checkInitData(undefined, TOKEN)).toEqual({ ok: false, why: "missing" });
    expect(checkInitData("x".repeat(10_000), TOKEN)).toEqual({ ok: false, why: "malformed" });
    expect(initDataOf("tma a=1&b=2")).toBe("a=1&b=2");
    expect(initDataOf("Bearer a=1")).toBeUndefined();
    expect(initDataOf(undefined)).toBeUndefined();
  });
});
