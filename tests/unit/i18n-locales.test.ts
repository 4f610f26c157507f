/**
 * Every text in every language: no key missing or unused in any locale, no
 * English left in a Russian or Azerbaijani text, and every message — with
 * its placeholders filled — valid Telegram HTML within 4096 characters.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCALES } from "../../src/i18n/locales.js";
import { createTranslator, localesDir } from "../../src/i18n/translator.js";
import { checkTelegramHtml } from "../support/telegram-html.js";

const root = join(localesDir(), "..");

/** What makes a text HTML: a tag Telegram allows, or an escaped character. */
const HTML_MARK = /<\/?(b|strong|i|em|u|ins|s|strike|del|a|code|pre|blockquote|tg-spoiler)[\s>]|&(lt|gt|amp|quot|#\d+);/;

function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, ext));
    else if (p.endsWith(ext)) out.push(p);
  }
  return out;
}

interface Message {
  key: string;
  source: string;
  file: string;
}

/** message id → its source text (continuation lines included), per locale */
function messagesOf(locale: string): Map<string, Message> {
  const out = new Map<string, Message>();
  for (const file of filesUnder(join(localesDir(), locale), ".ftl")) {
    let current: Message | null = null;
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const m = /^([a-z][a-z0-9-]*)\s*=\s?(.*)$/.exec(line);
      if (m) {
        if (out.has(m[1]!)) throw new Error(`${relative(root, file)}: ${m[1]} defined twice`);
        current = { key: m[1]!, source: m[2]!, file: relative(root, file) };
        out.set(current.key, current);
      } else if (current && /^(\s+\S|[}[*])/.test(line)) current.source += `\n${line.trim()}`;
      else current = null;
    }
  }
  return out;
}

const messages = Object.fromEntries(LOCALES.map((l) => [l, messagesOf(l)])) as Record<(typeof LOCALES)[number], Map<string, Message>>;
const english = messages.en;

/** Variables a message uses: `{ $name }` and selectors `{ $name -> …`. */
function variablesOf(source: string): string[] {
  return [...new Set([...source.matchAll(/\$([a-zA-Z][\w-]*)/g)].map((m) => m[1]!))];
}

/** Every quoted literal in the code: what the bot can ask for. */
function literalsInCode(): Set<string> {
  const out = new Set<string>();
  for (const dir of ["src", "commands"]) {
    for (const file of filesUnder(join(root, dir), ".ts")) {
      for (const m of readFileSync(file, "utf8").matchAll(/["'`]([a-z][a-z0-9-]*)["'`]/g)) out.add(m[1]!);
    }
  }
  return out;
}

describe("locales", () => {
  it("load without Fluent syntax errors", () => {
    expect(() => createTranslator()).not.toThrow();
  });

  it("have English texts", () => {
    expect(english.size).toBeGreaterThan(100);
  });

  for (const locale of LOCALES.filter((l) => l !== "en")) {
    it(`${locale} has every English key and no other`, () => {
      const theirs = messages[locale];
      const missing = [...english.keys()].filter((k) => !theirs.has(k));
      const extra = [...theirs.keys()].filter((k) => !english.has(k));
      expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    });

    it(`${locale} uses the same placeholders as English`, () => {
      const wrong: string[] = [];
      for (const [key, en] of english) {
        const theirs = messages[locale].get(key);
        if (!theirs) continue;
        const a = variablesOf(en.source).sort().join(",");
        const b = variablesOf(theirs.source).sort().join(",");
        if (a !== b) wrong.push(`${key}: en {${a}} ${locale} {${b}}`);
      }
      expect(wrong).toEqual([]);
    });

    it(`${locale} leaves no text in English`, () => {
      const t = createTranslator();
      const english_: string[] = [];
      for (const key of english.keys()) {
        const args = Object.fromEntries(variablesOf(english.get(key)!.source).map((v) => [v, "X"]));
        const en = t.t("en", key, args);
        const theirs = t.t(locale, key, args);
        // Texts with words in them (not only a command, an emoji or a placeholder) must not read as the English one.
        const words = en.replace(/\/[a-z]+|<[^>]+>|https?:\/\/\S+|X/g, "").match(/\p{L}{3,}/gu) ?? [];
        if (words.length > 0 && theirs === en) english_.push(key);
        if (locale === "ru" && words.length > 0 && !/\p{Script=Cyrillic}/u.test(theirs)) english_.push(`${key} (no Cyrillic)`);
      }
      expect(english_).toEqual([]);
    });
  }

  it("every key is used by the code, and every key the code names exists", () => {
    const literals = literalsInCode();
    const unused = [...english.keys()].filter((k) => !literals.has(k));
    expect(unused).toEqual([]);
  });

  for (const locale of LOCALES) {
    it(`every ${locale} message is valid Telegram HTML within 4096 characters, placeholders filled`, () => {
      const missing: string[] = [];
      const t = createTranslator({ onMissing: (_l, key) => missing.push(key) });
      const bad: string[] = [];
      for (const [key, m] of messages[locale]) {
        // Each plural form: 1, 2, 5, 21 reach one/few/many/other in Russian.
        for (const n of [0, 1, 2, 5, 21, 1000]) {
          const args = Object.fromEntries(variablesOf(m.source).map((v) => [v, n]));
          const text = t.t(locale, key, args);
          if (/\{\s*\$|\{[a-z-]+\}/.test(text)) bad.push(`${key}: unfilled placeholder in “${text}”`);
          // A text with Telegram markup (a tag it allows, an entity) is sent as HTML and must parse;
          // the others are sent as plain text, where "<url>" in a usage line is just text.
          if (HTML_MARK.test(text)) {
            const check = checkTelegramHtml(text);
            if (!check.ok) bad.push(`${key}: ${check.description}`);
            else if (check.visibleLength > 4096) bad.push(`${key}: ${check.visibleLength} characters`);
          } else if (text.length > 4096) bad.push(`${key}: ${text.length} characters`);
        }
      }
      expect(bad).toEqual([]);
      expect(missing).toEqual([]);
    });
  }
});
