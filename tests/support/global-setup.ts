import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { startPrivateRedis } from "./redis.js";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/** Third-party test data kept beside the project, never in it: say plainly when it is missing. */
function reportSharedData() {
  const shared = resolve(import.meta.dirname, "../../../shared");
  const missing = ["feeds", "related"].filter((d) => !existsSync(join(shared, d)));
  if (missing.length) {
    process.stderr.write(
      `tests: ${missing.map((d) => `../shared/${d}`).join(" and ")} not found beside the project: ` +
        "the tests that read real-world feeds and the labelled news set are skipped (everything else runs)\n",
    );
  }
}

export default async function setup(project: TestProject) {
  reportSharedData();
  const redis = await startPrivateRedis();
  project.provide("redisUrl", redis.url);
  return async () => {
    await redis.stop();
  };
}
