import { afterAll, describe, expect, it } from "vitest";
import { BOUNDS, keys } from "../../src/store/keys.js";
import { createStoryStore } from "../../src/store/story-store.js";
import { testRedis } from "../support/redis-client.js";

/**
 * What planning decides about each story, once for every chat (related
 * stories, same-story merges), and what it costs in Redis: a record per
 * story, nothing per chat.
 */
const { redis, prefix } = testRedis();
afterAll(() => redis.quit());
const k = keys(prefix);
const stories = createStoryStore(redis, k);

describe("story store", () => {
  it("remembers roots and merges, first decision kept, merged reports oldest first", async () => {
    await stories.saveRoots([{ key: "bbc:1", related: ["apa:0"] }]);
    // Planned again after a crash: every chat's message must be rendered alike, so the first choice stays.
    await stories.saveRoots([{ key: "bbc:1", related: ["other"] }]);
    await stories.saveMerges([
      { key: "tass:3", into: "bbc:1", seenAt: 300 },
      { key: "apa:2", into: "bbc:1", seenAt: 200 },
    ]);
    await stories.saveMerges([{ key: "apa:2", into: "elsewhere:9", seenAt: 200 }]);
    const recs = await stories.records(["bbc:1", "apa:2", "nope"]);
    expect(recs.get("bbc:1")).toEqual({ related: ["apa:0"] });
    expect(recs.get("apa:2")).toEqual({ into: "bbc:1" });
    expect(recs.has("nope")).toBe(false);
    expect((await stories.also(["bbc:1", "nope"])).get("bbc:1")).toEqual(["apa:2", "tass:3"]);
    expect((await stories.also(["bbc:1", "nope"])).has("nope")).toBe(false);
  });

  it("a root without related stories is still a root (planned), unlike a story never planned", async () => {
    await stories.saveRoots([{ key: "lonely:1", related: [] }]);
    expect((await stories.records(["lonely:1", "never:1"])).get("lonely:1")).toEqual({ related: [] });
    expect((await stories.records(["never:1"])).size).toBe(0);
  });

  it("records expire with the items they describe", async () => {
    await stories.saveRoots([{ key: "ttl:1", related: ["x"] }]);
    await stories.saveMerges([{ key: "ttl:2", into: "ttl:1", seenAt: 1 }]);
    for (const key of [k.story("ttl:1"), k.story("ttl:2"), k.storyAlso("ttl:1")]) {
      const ttl = await redis.ttl(key);
      expect(ttl).toBeGreaterThan(BOUNDS.storyTtlS - 60);
      expect(ttl).toBeLessThanOrEqual(BOUNDS.storyTtlS);
    }
  });

  it("an unreadable record is ignored, not thrown", async () => {
    await redis.hset(k.story("bad:1"), "related", "{not json");
    await redis.hset(k.story("bad:2"), "related", JSON.stringify(["ok:1", 7, null]));
    const recs = await stories.records(["bad:1", "bad:2"]);
    expect(recs.has("bad:1")).toBe(false);
    expect(recs.get("bad:2")).toEqual({ related: ["ok:1"] });
    expect(await stories.records([])).toEqual(new Map());
    expect(await stories.also([])).toEqual(new Map());
  });

  it("costs one small hash per story, whatever the number of chats", async () => {
    await stories.saveRoots(Array.from({ length: 20 }, (_, i) => ({ key: `cost:${i}`, related: [] })));
    const written = await redis.keys(`${prefix}story:cost:*`);
    expect(written).toHaveLength(20);
  });
});
