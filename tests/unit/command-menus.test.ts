import { Api } from "grammy";
import { describe, expect, it, vi } from "vitest";
import { COMMANDS, commandMenu, registerCommandMenus } from "../../commands/index.js";
import { LOCALES } from "../../src/i18n/locales.js";
import { createTranslator } from "../../src/i18n/translator.js";
import { ApiRecorder, errors } from "../support/api-recorder.js";

const TOKEN = "1:test-token-aaaaaaaaaaaaaaaaaaaa";
const tr = createTranslator();

function recorded() {
  const api = new Api(TOKEN);
  const rec = new ApiRecorder().install(api);
  const warn = vi.fn();
  return { api, rec, logger: { warn } };
}

const names = (commands: Array<{ command: string }>) => commands.map((c) => c.command);
const publicNames = COMMANDS.filter((c) => !c.admin).map((c) => c.name);
const allNames = COMMANDS.map((c) => c.name);

describe("registerCommandMenus", () => {
  it("sets, in each language, the public menu for everyone and public + admin commands in each admin's chat", async () => {
    const { api, rec, logger } = recorded();
    await registerCommandMenus(api, [42, 43], logger, tr);
    const calls = rec.calls
      .filter((c) => c.method === "setMyCommands")
      .map((c) => ({ scope: c.payload.scope, lang: c.payload.language_code ?? "", commands: names(c.payload.commands) }));
    // English twice: as the default for every language_code without its own, and for "en".
    const expected = ["", "en", "ru", "az"].flatMap((lang) => [
      { scope: { type: "default" }, lang, commands: publicNames },
      { scope: { type: "chat", chat_id: 42 }, lang, commands: allNames },
      { scope: { type: "chat", chat_id: 43 }, lang, commands: allNames },
    ]);
    expect(calls.sort(byKey)).toEqual(expected.sort(byKey));
    expect(publicNames).toEqual(["start", "latest", "sources", "settings", "filter", "language", "channels", "stop", "whoami", "help"]);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it("describes the commands in the menu's own language", async () => {
    const { api, rec, logger } = recorded();
    await registerCommandMenus(api, [], logger, tr);
    const ru = rec.calls.find((c) => c.method === "setMyCommands" && c.payload.language_code === "ru")!;
    const stop = ru.payload.commands.find((c: { command: string }) => c.command === "stop");
    expect(stop.description).toBe("Отписаться");
    const az = rec.calls.find((c) => c.method === "setMyCommands" && c.payload.language_code === "az")!;
    expect(az.payload.commands.find((c: { command: string }) => c.command === "stop").description).toBe("Abunəlikdən çıxmaq");
  });

  it("sets the bot's description and short description per language, within Telegram's 512 and 120", async () => {
    const { api, rec, logger } = recorded();
    await registerCommandMenus(api, [], logger, tr);
    for (const method of ["setMyDescription", "setMyShortDescription"]) {
      const calls = rec.calls.filter((c) => c.method === method);
      expect(calls.map((c) => c.payload.language_code ?? "").sort()).toEqual(["", "az", "en", "ru"]);
      const field = method === "setMyDescription" ? "description" : "short_description";
      for (const c of calls) {
        expect(c.payload[field].length).toBeGreaterThan(20);
        expect(c.payload[field].length).toBeLessThanOrEqual(method === "setMyDescription" ? 512 : 120);
      }
      const ru = calls.find((c) => c.payload.language_code === "ru")!;
      expect(ru.payload[field]).toMatch(/[а-яё]/i);
    }
  });

  it("logs a refusal (an admin who never started the bot) and goes on to the next admin, never throwing", async () => {
    const { api, rec, logger } = recorded();
    rec.respond((c) => (c.method === "setMyCommands" && c.payload.scope?.chat_id === 42 ? errors.notFound() : undefined));
    await expect(registerCommandMenus(api, [42, 43], logger, tr)).resolves.toBeUndefined();
    const to43 = rec.calls.filter((c) => c.method === "setMyCommands" && c.payload.scope?.chat_id === 43);
    expect(to43).toHaveLength(4);
    expect(logger.warn).toHaveBeenCalledTimes(4);
    expect(logger.warn.mock.calls[0]![0]).toMatchObject({ adminId: 42, err: expect.stringContaining("chat not found") });
  });

  it("survives the default scope failing too, with no admins", async () => {
    const { api, rec, logger } = recorded();
    rec.failNext("setMyCommands", 1, errors.server());
    await expect(registerCommandMenus(api, [], logger, tr)).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(rec.calls.filter((c) => c.method === "setMyCommands")).toHaveLength(4);
  });

  for (const locale of LOCALES) {
    it(`every ${locale} menu entry is what Telegram accepts`, () => {
      for (const c of commandMenu(true, tr.forLocale(locale))) {
        expect(c.command).toMatch(/^[a-z0-9_]{1,32}$/);
        expect(c.description.length).toBeGreaterThan(0);
        expect(c.description.length).toBeLessThanOrEqual(256);
      }
    });
  }
});

function byKey(a: { scope: unknown; lang: string }, b: { scope: unknown; lang: string }) {
  const ka = JSON.stringify([a.scope, a.lang]);
  const kb = JSON.stringify([b.scope, b.lang]);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
