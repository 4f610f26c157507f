import { Api } from "grammy";
import { describe, expect, it, vi } from "vitest";
import { COMMANDS, commandMenu, registerCommandMenus } from "../../commands/index.js";
import { ApiRecorder, errors } from "../support/api-recorder.js";

const TOKEN = "1:test-token-aaaaaaaaaaaaaaaaaaaa";

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
  it("sets the public menu for everyone and public + admin commands in each admin's chat", async () => {
    const { api, rec, logger } = recorded();
    await registerCommandMenus(api, [42, 43], logger);
    const calls = rec.calls
      .filter((c) => c.method === "setMyCommands")
      .map((c) => ({ scope: c.payload.scope, commands: names(c.payload.commands) }));
    expect(calls).toEqual([
      { scope: { type: "default" }, commands: publicNames },
      { scope: { type: "chat", chat_id: 42 }, commands: allNames },
      { scope: { type: "chat", chat_id: 43 }, commands: allNames },
    ]);
    expect(publicNames).toEqual(["start", "latest", "sources", "settings", "filter", "stop", "whoami", "help"]);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it("logs a refusal (an admin who never started the bot) and goes on to the next admin, never throwing", async () => {
    const { api, rec, logger } = recorded();
    rec.respond((c) => (c.method === "setMyCommands" && c.payload.scope?.chat_id === 42 ? errors.notFound() : undefined));
    await expect(registerCommandMenus(api, [42, 43], logger)).resolves.toBeUndefined();
    expect(rec.calls.filter((c) => c.method === "setMyCommands").map((c) => c.payload.scope?.chat_id ?? "default")).toEqual([
      "default",
      42,
      43,
    ]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]![0]).toMatchObject({ adminId: 42, err: expect.stringContaining("chat not found") });
  });

  it("survives the default scope failing too, with no admins", async () => {
    const { api, rec, logger } = recorded();
    rec.failNext("setMyCommands", 1, errors.server());
    await expect(registerCommandMenus(api, [], logger)).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it("every menu entry is what Telegram accepts", () => {
    for (const c of commandMenu(true)) {
      expect(c.command).toMatch(/^[a-z0-9_]{1,32}$/);
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(256);
    }
  });
});
