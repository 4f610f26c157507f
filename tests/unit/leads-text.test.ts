import { describe, expect, it } from "vitest";
import { firstSentences, hasUsableSummary, LEAD_MAX, pickLead, wantsLead, withLead } from "../../src/leads/lead-text.js";

/**
 * Which items need their article's lead, and what the lead is: the first one
 * or two sentences of the main text, at most 300 characters, never a byline,
 * a caption or the headline again.
 */

const TITLE = "Storm closes ports along the northern coast";
const page = (paragraphs: string[], excerpt = "") => ({ paragraphs, excerpt, lang: null });

describe("a summary a reader can use", () => {
  it("is not empty, boilerplate, the title again or a stub under 40 letters", () => {
    expect(hasUsableSummary("", TITLE)).toBe(false);
    expect(hasUsableSummary("Read more", TITLE)).toBe(false);
    expect(hasUsableSummary("Continue reading →", TITLE)).toBe(false);
    expect(hasUsableSummary(TITLE, TITLE)).toBe(false);
    expect(hasUsableSummary(`${TITLE}.`, TITLE)).toBe(false);
    expect(hasUsableSummary("Baku, 3 May, APA", TITLE)).toBe(false);
    expect(hasUsableSummary("Подробнее", TITLE)).toBe(false);
  });

  it("is a sentence or two that say what happened, in any script", () => {
    // 39 letters: one short of the bar
    expect(hasUsableSummary("Ferries were cancelled as winds reached gales.", TITLE)).toBe(false);
    expect(hasUsableSummary("Ferries were cancelled as winds reached 120 km/h on Tuesday.", TITLE)).toBe(true);
    expect(hasUsableSummary("Паромы отменены: ветер на северном побережье достиг 120 км/ч.", TITLE)).toBe(true);
    expect(hasUsableSummary("Bərə reysləri ləğv edilib, çünki külək 120 km/saata çatıb.", TITLE)).toBe(true);
  });
});

describe("when a lead is fetched, and what it replaces", () => {
  const empty = { title: TITLE, summary: "" };
  const teaser = { title: TITLE, summary: "Ferries were cancelled as winds reached 120 km/h on Tuesday." };
  const lead =
    "Ferries were cancelled along the northern coast on Tuesday as winds reached 120 km/h. Port authorities said they expected to reopen on Thursday.";

  it("auto: only for items without a usable summary, and then the lead is the summary", () => {
    expect(wantsLead("auto", empty)).toBe(true);
    expect(wantsLead("auto", { title: TITLE, summary: "Read more" })).toBe(true);
    expect(wantsLead("auto", teaser)).toBe(false);
    expect(withLead("auto", empty, lead)).toBe(lead);
    expect(withLead("auto", teaser, lead)).toBe(teaser.summary);
  });

  it("always: for every item, the lead replacing a shorter summary but not a longer one", () => {
    expect(wantsLead("always", teaser)).toBe(true);
    expect(withLead("always", teaser, lead)).toBe(lead);
    expect(withLead("always", { title: TITLE, summary: `${lead} More.` }, lead)).toBe(`${lead} More.`);
  });

  it("never: for none", () => {
    expect(wantsLead("never", empty)).toBe(false);
  });

  it("no lead found leaves the summary as it was", () => {
    expect(withLead("auto", empty, "")).toBe("");
    expect(withLead("always", teaser, "")).toBe(teaser.summary);
  });
});

describe("the first one or two sentences", () => {
  it("takes two when both fit in 300 characters", () => {
    expect(firstSentences("The port closed. Ferries stopped. Winds rose to 120 km/h.")).toBe("The port closed. Ferries stopped.");
  });

  it("takes one when the second would pass 300", () => {
    const first = "The port closed on Tuesday morning after the storm warning.";
    const second = `Officials ${"said that the ferries would stay in harbour ".repeat(8)}until Thursday.`;
    expect(firstSentences(`${first} ${second}`)).toBe(first);
  });

  it("does not end at an abbreviation or an initial", () => {
    expect(firstSentences("Dr. Smith said the U.S. Navy sent two ships. J. Doe confirmed it. A third is due.")).toBe(
      "Dr. Smith said the U.S. Navy sent two ships. J. Doe confirmed it.",
    );
  });

  it("cuts a first sentence over 300 characters between words, with an ellipsis", () => {
    const long = `The council ${"voted again on the harbour budget and ".repeat(12)}adjourned.`;
    const out = firstSentences(long);
    expect(out.length).toBeLessThanOrEqual(LEAD_MAX);
    expect(out.endsWith("…")).toBe(true);
    expect(long.startsWith(out.slice(0, -1).trimEnd())).toBe(true);
  });

  it("keeps one sentence ending the text, and Cyrillic sentence ends", () => {
    expect(firstSentences("Паромы отменены. Ветер достиг 120 км/ч. Порт закрыт.")).toBe("Паромы отменены. Ветер достиг 120 км/ч.");
    expect(firstSentences("One sentence only.")).toBe("One sentence only.");
  });
});

describe("an article's lead", () => {
  it("skips bylines, datelines and captions, and the headline repeated as the first paragraph", () => {
    const lead = pickLead(
      page([
        TITLE,
        "By Jane Doe, Harbour correspondent",
        "3 May 2026, 14:05",
        "Ferries were cancelled along the northern coast on Tuesday as winds reached 120 km/h. Port authorities expect to reopen on Thursday. Fishermen stayed ashore.",
      ]),
      { title: TITLE },
    );
    expect(lead).toBe(
      "Ferries were cancelled along the northern coast on Tuesday as winds reached 120 km/h. Port authorities expect to reopen on Thursday.",
    );
  });

  it("reads two sentences across paragraphs, a paragraph's end being a sentence's end", () => {
    const lead = pickLead(
      page([
        "BAKU — the storm reached the northern coast late overnight",
        "Ferries were cancelled on Tuesday and the ports stayed closed.",
        "Fishermen stayed ashore for a third day running, the union said.",
      ]),
      { title: TITLE },
    );
    expect(lead).toBe(
      "BAKU — the storm reached the northern coast late overnight. Ferries were cancelled on Tuesday and the ports stayed closed.",
    );
  });

  it("ends a lead read from one paragraph with no stop of its own with one, not with an ellipsis", () => {
    expect(pickLead(page(["BAKU — the storm reached the northern coast late overnight"]), { title: TITLE })).toBe(
      "BAKU — the storm reached the northern coast late overnight.",
    );
    expect(pickLead(page(["The ports along the northern coast stayed closed, officials said:"]), { title: TITLE })).toBe(
      "The ports along the northern coast stayed closed, officials said.",
    );
    // The page's description can be its publisher's cut: it keeps the ellipsis.
    expect(pickLead(page([], "Ferries were cancelled along the coast as winds reached"), { title: TITLE })).toBe(
      "Ferries were cancelled along the coast as winds reached…",
    );
  });

  it("falls back to the page's own description, and is empty when there is nothing to read", () => {
    expect(pickLead(page([], "Ferries were cancelled along the coast as winds reached 120 km/h."), { title: TITLE })).toBe(
      "Ferries were cancelled along the coast as winds reached 120 km/h.",
    );
    expect(pickLead(page(["Photo: Reuters", "Share"], "Latest news"), { title: TITLE })).toBe("");
  });

  it("drops a paragraph's trailing boilerplate", () => {
    expect(pickLead(page(["Ferries were cancelled along the coast as winds reached 120 km/h. Read more »"]), { title: TITLE })).toBe(
      "Ferries were cancelled along the coast as winds reached 120 km/h.",
    );
  });
});
