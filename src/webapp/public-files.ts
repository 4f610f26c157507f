import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
};

/**
 * `src/webapp/public/` of the package: found by walking up from this module,
 * so it is the same folder from src/ (tsx) and from dist/src/ (the build,
 * which does not copy it).
 */
export function publicDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "src", "webapp", "public");
    if (existsSync(join(candidate, "index.html"))) return candidate;
    dir = dirname(dir);
  }
  throw new Error("webapp: the src/webapp/public folder was not found");
}

/** One of the Mini App's files, read once (they are a few KB and never change while running). */
export function publicFile(name: string, dir = publicDir()): { type: string; body: Buffer } {
  return { type: TYPES[name.split(".").pop() ?? ""] ?? "application/octet-stream", body: readFileSync(join(dir, name)) };
}
