import { describe, expect, it } from "vitest";
import { absoluteHttpUrl, feedUrlKey, hostOf, resolveHttpUrl, resolvePageLink, sameStoryUrl, storyUrl } from "../../src/news/url.js";

describe("storyUrl", () => {
  it("removes tracking parameters and the fragment", () => {
    expect(
      storyUrl(
        "https://news.example.com/a?utm_source=rss&utm_medium=feed&UTM_Campaign=x&fbclid=1&gclid=2&yclid=3" +
          "&mc_cid=4&mc_eid=5&ref=home&_ga=6&cmpid=7&ocid=8&id=42#comments",
      ),
    ).toBe("https://news.example.com/a?id=42");
  });

  it("drops the '?' when nothing is left of the query", () => {
    expect(storyUrl("https://example.com/story?utm_source=rss")).toBe("https://example.com/story");
  });

  it("lowercases the host, drops default ports, keeps path case", () => {
    expect(storyUrl("HTTPS://News.Example.COM:443/Path/Story")).toBe("https://news.example.com/Path/Story");
    expect(storyUrl("http://example.com:80/a")).toBe("http://example.com/a");
    expect(storyUrl("http://example.com:8080/a")).toBe("http://example.com:8080/a");
  });

  it("sorts parameters by name, keeping the order of repeated ones", () => {
    expect(storyUrl("https://e.com/?b=2&a=1&c=3&a=0")).toBe("https://e.com/?a=1&a=0&b=2&c=3");
  });

  it("gives the same result for the same page however it is dressed", () => {
    const a = storyUrl("https://e.com/news/1?page=2&utm_source=tg#top");
    const b = storyUrl("https://E.com:443/news/1?utm_medium=x&page=2");
    expect(a).toBe(b);
  });

  it("keeps parameters that merely contain a tracking name", () => {
    expect(storyUrl("https://e.com/?referrer=x&preference=y")).toBe("https://e.com/?preference=y&referrer=x");
  });

  it("returns text that is not a URL trimmed and unchanged", () => {
    expect(storyUrl("  not a url ")).toBe("not a url");
  });
});

describe("resolveHttpUrl", () => {
  const base = "https://example.com/feeds/world.xml";

  it("resolves relative and protocol-relative links against the feed URL", () => {
    expect(resolveHttpUrl("/news/1", base)).toBe("https://example.com/news/1");
    expect(resolveHttpUrl("story.html", base)).toBe("https://example.com/feeds/story.html");
    expect(resolveHttpUrl("../a", base)).toBe("https://example.com/a");
    expect(resolveHttpUrl("//cdn.example.org/x", base)).toBe("https://cdn.example.org/x");
  });

  it("trims whitespace and undoes a double-escaped '&amp;'", () => {
    expect(resolveHttpUrl("\n  https://e.com/a?x=1&amp;y=2  \n", base)).toBe("https://e.com/a?x=1&y=2");
  });

  it("refuses non-web schemes, however they are written", () => {
    for (const link of [
      "javascript:alert(1)",
      "JavaScript:void(0)",
      "java\nscript:alert(1)",
      "data:text/html,<b>x",
      "mailto:a@b.c",
      "tel:+123",
      "ftp://e.com/f",
      "file:///etc/passwd",
    ]) {
      expect(resolveHttpUrl(link, base), link).toBeNull();
    }
  });

  it("refuses empty and broken links", () => {
    expect(resolveHttpUrl("", base)).toBeNull();
    expect(resolveHttpUrl("   ", base)).toBeNull();
    expect(resolveHttpUrl(undefined, base)).toBeNull();
    expect(resolveHttpUrl("http://", base)).toBeNull();
    expect(resolveHttpUrl("/relative", "not a base")).toBeNull();
  });

  it("encodes international hosts and paths", () => {
    expect(resolveHttpUrl("https://пример.рф/новости", base)).toBe(
      "https://xn--e1afmkfd.xn--p1ai/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8",
    );
  });
});

describe("absoluteHttpUrl", () => {
  it("accepts only URLs that are already absolute http(s)", () => {
    expect(absoluteHttpUrl("https://e.com/p/1")).toBe("https://e.com/p/1");
    expect(absoluteHttpUrl("tag:e.com,2024:1")).toBeNull();
    expect(absoluteHttpUrl("/p/1")).toBeNull();
    expect(absoluteHttpUrl("12345")).toBeNull();
  });
});

describe("one tracking list, two strengths", () => {
  it("storyUrl keeps the parameters added after item keys were frozen: stored keys do not move", () => {
    expect(storyUrl("https://e.com/a?from=home&src=rss&rss=1&track=x&ref_src=tw&at_medium=a&at_campaign=b")).toBe(
      "https://e.com/a?at_campaign=b&at_medium=a&from=home&ref_src=tw&rss=1&src=rss&track=x",
    );
    expect(storyUrl("https://e.com/a?utm_=1&utm_x-y=2&id=3")).toBe("https://e.com/a?id=3");
  });

  it("sameStoryUrl drops every tracking parameter, those of item keys included", () => {
    expect(sameStoryUrl("https://www.e.com/a/?_ga=1&from=home&src=rss&UTM_Source=x&id=3#c")).toBe("e.com/a?id=3");
    expect(sameStoryUrl("https://m.e.com/a?ref=x")).toBe(sameStoryUrl("http://e.com/a"));
  });
});

describe("resolvePageLink", () => {
  it("resolves against the page, drops the fragment, refuses other schemes, leaves &amp; alone", () => {
    expect(resolvePageLink(" /feed#x ", "https://e.com/a/b")).toBe("https://e.com/feed");
    expect(resolvePageLink("javascript:alert(1)", "https://e.com/")).toBeNull();
    expect(resolvePageLink("http://[bad", "https://e.com/")).toBeNull();
    expect(resolvePageLink("/f?a=1&amp;b=2", "https://e.com/")).toBe("https://e.com/f?a=1&amp;b=2");
  });
});

describe("feedUrlKey and hostOf", () => {
  it("feedUrlKey: one feed however the URL is dressed, path, query and scheme kept", () => {
    expect(feedUrlKey("HTTPS://Example.com:443/feed#top")).toBe(feedUrlKey("https://example.com/feed"));
    expect(feedUrlKey("https://example.com/feed?utm_source=x")).toBe("https://example.com/feed?utm_source=x");
    expect(feedUrlKey("http://example.com/feed")).not.toBe(feedUrlKey("https://example.com/feed"));
    expect(feedUrlKey("  not a url ")).toBe("not a url");
  });

  it("hostOf: the lowercased host, or the text itself when it is not a URL", () => {
    expect(hostOf("https://Feeds.BBCI.co.uk:443/news/rss.xml")).toBe("feeds.bbci.co.uk");
    expect(hostOf("not a url")).toBe("not a url");
  });
});
