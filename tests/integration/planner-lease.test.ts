import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Item } from "../../src/news/item.js";
import { keys } from "../../src/store/keys.js";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.js";
import { type Harness, harness, settled, storiesIn, subscribeAll } from "./delivery-harness.js";

/**
 * A planner that died mid-round (SIGKILL) leaves its lease behind. The lease
 * is short (10 s) and renewed only while its holder lives, so the next
 * planner takes over within seconds and the news goes out — it used to be
 * held about a minute.
 */
let tg: FakeTelegram;
let h: Harness;

beforeEach(async () => {
  tg = await startFakeTelegram();
  h = harness(tg);
});

afterEach(async () => {
  await h.close();
  await tg.close();
});

const story = (n: number): Item => ({
  key: `wire:${n}`,
  sourceId: "wire",
  sourceName: "Wire",
  title: `Harbour council votes on the new ferry line, report ${n}`,
  link: `https://wire.example/${n}`,
  summary: "",
  published: new Date().toISOString(),
  seenAt: Date.now(),
});

describe("a planner killed mid-round", () => {
  it("holds news back only until its lease lapses (≤ 10 s)", { timeout: 30_000 }, async () => {
    await subscribeAll(h, [1, 2]);
    await h.stores.items.ingest("wire", []);
    await h.stores.items.ingest("wire", [story(1)]);
    // What a dead planner leaves: its lease, with the TTL it last renewed, and nobody renewing it.
    await h.redis.set(keys(h.prefix).lock("planner"), "dead-process", "PX", 10_000);
    h.delivery.start();
    const started = Date.now();
    await h.delivery.planner.run();
    const waited = Date.now() - started;
    await settled(h);
    for (const chat of [1, 2]) expect(storiesIn(tg, chat, "https://wire.example/")).toEqual(["https://wire.example/1"]);
    expect(waited).toBeGreaterThan(8_000);
    expect(waited).toBeLessThan(12_000);
  });
});
