import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { type Browser, chromium } from "playwright-core";

/**
 * A real headless Chromium for the Mini App's tests: Debian's `chromium`
 * package, driven by playwright-core. Nothing is ever downloaded — without
 * a Chromium on this machine the browser tests skip (see findChromium).
 */

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** CHROMIUM_PATH, else /usr/bin/chromium, else `chromium` on PATH; null when none is there. */
export function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH?.trim();
  if (fromEnv && isExecutable(fromEnv)) return fromEnv;
  if (isExecutable("/usr/bin/chromium")) return "/usr/bin/chromium";
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, "chromium");
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/** The reason a browser test file skips, in one line (printed by the file). */
export const NO_CHROMIUM = "no Chromium found: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH";

/** Headless, no sandbox (containers), nothing that reaches the network on its own. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(NO_CHROMIUM);
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
