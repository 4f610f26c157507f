import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { identityOf, itemKey, uniqueIdentities } from "../../src/news/item-key.js";

const sha16 = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 16);

describe("identityOf", () => {
  it("prefers the guid, then the Atom id, then the canonical link, then the text", () => {
    const all = { guid: " 123 ", id: "tag:e.com,2024:1", link: "https://e.com/a", title: "T", summary: "S" };
    expect(identityOf(all)).toBe("guid:123");
    expect(identityOf({ ...all, guid: "  " })).toBe("id:tag:e.com,2024:1");
    expect(identityOf({ ...all, guid: undefined, id: undefined })).toBe("url:https://e.com/a");
    expect(identityOf({ title: "T", summary: "S" })).toBe("text:T\nS");
  });

  it("ignores tracking parameters when the link is the identity", () => {
    const a = identityOf({ link: "https://e.com/a?utm_source=rss#x" });
    const b = identityOf({ link: "https://E.com/a?fbclid=abc" });
    expect(a).toBe(b);
  });
});

describe("itemKey", () => {
  it("is the source id and 16 hex digits of the identity's SHA-256", () => {
    expect(itemKey("bbc-world", "guid:123")).toBe(`bbc-world:${sha16("guid:123")}`);
    expect(itemKey("bbc-world", "guid:123")).toMatch(/^bbc-world:[0-9a-f]{16}$/);
  });

  it("differs between sources and identities", () => {
    expect(itemKey("a", "guid:1")).not.toBe(itemKey("b", "guid:1"));
    expect(itemKey("a", "guid:1")).not.toBe(itemKey("a", "guid:2"));
  });

  it("hashes non-Latin identities as UTF-8", () => {
    expect(itemKey("ru", "guid:новость-1")).toBe(`ru:${sha16("guid:новость-1")}`);
  });
});

describe("uniqueIdentities", () => {
  const e = (identity: string, link: string, title: string) => ({ identity, link, title });

  it("leaves distinct identities alone", () => {
    const input = [e("guid:1", "https://e.com/1", "A"), e("guid:2", "https://e.com/2", "B")];
    expect(uniqueIdentities(input)).toEqual(input);
  });

  it("collapses exact duplicates (same guid, link and title) into one", () => {
    const out = uniqueIdentities([
      e("guid:1", "https://e.com/1", "A"),
      e("guid:1", "https://e.com/1?utm_source=x", "A"),
      e("guid:2", "https://e.com/2", "B"),
    ]);
    expect(out.map((x) => x.identity)).toEqual(["guid:1", "guid:2"]);
  });

  it("tells apart different stories that share a guid by their links", () => {
    const out = uniqueIdentities([e("guid:same", "https://e.com/1", "A"), e("guid:same", "https://e.com/2", "B")]);
    expect(out.map((x) => x.identity)).toEqual(["guid:same#https://e.com/1", "guid:same#https://e.com/2"]);
  });

  it("uses the title too when shared guid and link are the same", () => {
    const out = uniqueIdentities([
      e("guid:same", "https://e.com/live", "Update 1"),
      e("guid:same", "https://e.com/live", "Update 2"),
      e("guid:same", "https://e.com/other", "Other"),
    ]);
    expect(out.map((x) => x.identity)).toEqual([
      "guid:same#https://e.com/live\nUpdate 1",
      "guid:same#https://e.com/live\nUpdate 2",
      "guid:same#https://e.com/other",
    ]);
  });

  it("keeps identities stable when a feed with one guid for everything gains a new entry", () => {
    const before = uniqueIdentities([e("guid:home", "https://e.com/2", "Two"), e("guid:home", "https://e.com/1", "One")]);
    const after = uniqueIdentities([
      e("guid:home", "https://e.com/3", "Three"),
      e("guid:home", "https://e.com/2", "Two"),
      e("guid:home", "https://e.com/1", "One"),
    ]);
    const old = new Set(before.map((x) => x.identity));
    expect(after.filter((x) => !old.has(x.identity)).map((x) => x.title)).toEqual(["Three"]);
  });
});
