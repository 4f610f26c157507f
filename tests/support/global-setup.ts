import type { TestProject } from "vitest/node";
import { startPrivateRedis } from "./redis.js";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const redis = await startPrivateRedis();
  project.provide("redisUrl", redis.url);
  return async () => {
    await redis.stop();
  };
}
