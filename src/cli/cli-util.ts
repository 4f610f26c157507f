import { realpathSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type ParseArgsConfig, parseArgs } from "node:util";

/** True when the module at `moduleUrl` is the script node was started with (not an import in a test). */
export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/** Reads a text file, or says in a few words why not (for a one-line CLI error). */
export async function readTextFile(file: string): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  try {
    return { ok: true, text: await readFile(file, "utf8") };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "file not found" : code === "EISDIR" ? "is a directory" : (err as Error).message;
    return { ok: false, error: `${file}: ${why}` };
  }
}

/**
 * node:util parseArgs, with its errors as one short line for stderr
 * ("unknown option --x") instead of a throw. npm's "--" separator may
 * appear anywhere and is dropped, as `npm run x -- FILE` passes it on.
 */
export function parseCliArgs<T extends ParseArgsConfig>(
  config: T,
): { ok: true; parsed: ReturnType<typeof parseArgs<T>> } | { ok: false; error: string } {
  try {
    const args = (config.args ?? process.argv.slice(2)).filter((a) => a !== "--");
    // Same options, only the args differ: the result type is the config's.
    return { ok: true, parsed: parseArgs({ ...config, args }) as ReturnType<typeof parseArgs<T>> };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const option = /'([^']+)'/.exec(e.message)?.[1];
      return { ok: false, error: `unknown option ${option ?? ""}`.trim() };
    }
    if (typeof e.code === "string" && e.code.startsWith("ERR_PARSE_ARGS_")) {
      const first = e.message.split(/\.\s/)[0]!.replace(/\.$/, "");
      return { ok: false, error: first.charAt(0).toLowerCase() + first.slice(1) };
    }
    throw err;
  }
}
