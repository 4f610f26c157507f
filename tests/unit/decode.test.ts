import { describe, expect, it } from "vitest";
import { decodeBody } from "../../src/feeds/decode.js";
import { encodeWindows1251 } from "../fixtures/feeds/windows-1251.js";

const utf8 = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p, "latin1")] : p)));
const rss = (title: string) => `<rss version="2.0"><channel><title>${title}</title></channel></rss>`;

describe("decodeBody", () => {
  it("reads plain UTF-8", () => {
    expect(decodeBody(utf8(rss("Café — Ünïcödé 日本")))).toBe(rss("Café — Ünïcödé 日本"));
  });

  it("drops a UTF-8 byte order mark", () => {
    expect(decodeBody(bytes([0xef, 0xbb, 0xbf], rss("x")))).toBe(rss("x"));
  });

  it("follows a UTF-16 byte order mark, little and big endian", () => {
    const text = rss("Привет");
    const le = Buffer.from(text, "utf16le");
    const be = Buffer.from(le).swap16();
    expect(decodeBody(bytes([0xff, 0xfe], [...le]))).toBe(text);
    expect(decodeBody(bytes([0xfe, 0xff], [...be]))).toBe(text);
  });

  it("recognises UTF-16 without a byte order mark from the zero bytes around '<'", () => {
    const text = `<?xml version="1.0" encoding="UTF-16"?>${rss("Grüße")}`;
    expect(decodeBody(Buffer.from(text, "utf16le"))).toBe(text);
  });

  it("decodes windows-1251 declared only in the XML prolog", () => {
    const text = `<?xml version="1.0" encoding="windows-1251"?>${rss("Новости: Ёлка и ёж")}`;
    expect(decodeBody(encodeWindows1251(text))).toBe(text);
  });

  it("decodes koi8-r from the prolog", () => {
    // "Мир" in KOI8-R
    const body = bytes(`<?xml version='1.0' encoding='KOI8-R'?><rss><channel><title>`, [0xed, 0xc9, 0xd2], `</title></channel></rss>`);
    expect(decodeBody(body)).toContain("<title>Мир</title>");
  });

  it("uses the Content-Type charset when the document declares nothing", () => {
    const body = encodeWindows1251(rss("Погода"));
    expect(decodeBody(body, 'application/rss+xml; charset="windows-1251"')).toBe(rss("Погода"));
  });

  it("prefers the prolog over the Content-Type charset", () => {
    const text = `<?xml version="1.0" encoding="windows-1251"?>${rss("Спорт")}`;
    expect(decodeBody(encodeWindows1251(text), "text/xml; charset=iso-8859-1")).toBe(text);
  });

  it("keeps valid UTF-8 when the prolog claims a single-byte encoding", () => {
    const text = `<?xml version="1.0" encoding="ISO-8859-1"?>${rss("Café 테스트")}`;
    expect(decodeBody(utf8(text))).toBe(text);
  });

  it("maps windows-1252 bytes 0x80–0x9F to €, curly quotes and dashes", () => {
    const body = bytes(
      `<?xml version="1.0" encoding="windows-1252"?><rss><channel><title>`,
      [0x80, 0x20, 0x93, 0x68, 0x69, 0x94, 0x20, 0x96, 0x20, 0xe9],
      `</title></channel></rss>`,
    );
    expect(decodeBody(body)).toContain("<title>€ “hi” – é</title>");
  });

  it("treats iso-8859-1 as windows-1252, as browsers do", () => {
    const body = bytes(
      `<?xml version="1.0" encoding="iso-8859-1"?><rss><channel><title>`,
      [0x92, 0x43, 0x61, 0x66, 0xe9],
      `</title></channel></rss>`,
    );
    expect(decodeBody(body)).toContain("<title>’Café</title>");
  });

  it("reads bytes under an unknown label as undeclared ones, never as U+FFFD", () => {
    const body = bytes(`<?xml version="1.0" encoding="x-no-such-charset"?><rss><channel><title>Caf`, [0xe9], `</title></channel></rss>`);
    expect(decodeBody(body)).toContain("<title>Café</title>");
  });

  it("reads undeclared non-UTF-8 bytes as windows-1252", () => {
    const body = bytes(`<rss><channel><title>Pr`, [0xe9], `sentation</title></channel></rss>`);
    expect(decodeBody(body)).toContain("<title>Présentation</title>");
  });

  it("ignores a UTF-16 label on bytes that are plainly not UTF-16", () => {
    const body = bytes(`<?xml version="1.0" encoding="UTF-16"?><rss><channel><title>Pr`, [0xe9], `s</title></channel></rss>`);
    expect(decodeBody(body)).toContain("<title>Prés</title>");
  });

  it("reads undeclared windows-1251 and KOI8-R as Cyrillic, not as windows-1252 mojibake", () => {
    expect(decodeBody(encodeWindows1251(rss("Новости дня")))).toBe(rss("Новости дня"));
    const koi8 = bytes(
      `<rss><channel><title>`,
      [0xed, 0xc9, 0xd2, 0x20, 0xc9, 0x20, 0xd7, 0xcf, 0xca, 0xce, 0xc1],
      `</title></channel></rss>`,
    );
    expect(decodeBody(koi8)).toContain("<title>Мир и война</title>");
  });
});
