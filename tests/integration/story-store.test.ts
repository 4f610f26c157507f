import { afterAll, describe, expect, it } from "vitest";
import { BOUNDS, keys } from "../../src/store/keys.js";
import { createStoryStore } from "../../src/store/story-store.js";
import { testRedis } from "../support/redis-client.js";

/** What same-story merging keeps in Redis, and what it costs. */
const { redis, prefix } = testRedis();
afterAll(() => redis.quit());
const k = keys(prefix);
const WINDOW = 6 * 3600_000;
const stories = createStoryStore(redis, k, WINDOW);

describe("story store", () => {
  it("remembers roots and merges, first decision kept, merged reports oldest first", async () => {
    await stories.saveRoots([{ key: "bbc:1", related: ["apa:0"] }]);
    await stories.saveRoots([{ key: "bbc:1", related: ["other"] }]);
    await stories.saveMerges([
      { key: "tass:3", into: "bbc:1", seenAt: 300 },
      { key: "apa:2", into: "bbc:1", seenAt: 200 },
    ]);
    const recs = await stories.records(["bbc:1", "apa:2", "nope"]);
    expect(recs.get("bbc:1")).toEqual({ related: ["apa:0"] });
    expect(recs.get("apa:2")).toEqual({ into: "bbc:1" });
    expect(recs.has("nope")).toBe(false);
    expect((await stories.also(["bbc:1"])).get("bbc:1")).toEqual(["apa:2", "tass:3"]);
    const ttl = await redis.ttl(k.story("bbc:1"));
    expect(ttl).toBeGreaterThan(WINDOW / 1000);
    expect(ttl).toBeLessThanOrEqual(WINDOW / 1000 + BOUNDS.storyGraceS);
  });

  it("finds the chat's message for a story: a card of its own, or the digest part that carried it", async () => {
    const header = { count: 2, part: 1, parts: 1 };
    await stories.saveSent(7, [{ keys: ["bbc:1"], messageId: 70 }]);
    await stories.saveSent(7, [{ keys: ["x:1", "x:2"], messageId: 71, part: { id: "p1", record: { keys: ["x:1", "x:2"], header } } }]);
    expect(await stories.sentIn("bbc:1", 7)).toEqual({ messageId: 70 });
    expect(await stories.sentIn("x:2", 7)).toEqual({ messageId: 71, partId: "p1" });
    expect(await stories.sentIn("x:2", 8)).toBeNull();
    expect(await stories.sentIn("unknown", 7)).toBeNull();
    expect(await stories.digestPart("p1")).toEqual({ keys: ["x:1", "x:2"], header });
  });

  it("a digest part sent to many chats costs one field per message, not one per story in it", async () => {
    const storiesInPart = Array.from({ length: 8 }, (_, i) => `d:${i}`);
    const part = { id: "p8", record: { keys: storiesInPart, header: { count: 8, part: 1, parts: 1 } } };
    for (let chat = 1; chat <= 50; chat++) await stories.saveSent(chat, [{ keys: storiesInPart, messageId: 1000 + chat, part }]);
    expect(await redis.hlen(k.digestSent("p8"))).toBe(50);
    for (const key of storiesInPart) {
      expect(await redis.exists(k.sentIn(key))).toBe(0);
      expect(await redis.smembers(k.storyParts(key))).toEqual(["p8"]);
    }
    expect(await stories.sentIn("d:5", 33)).toEqual({ messageId: 1033, partId: "p8" });
  });
});
