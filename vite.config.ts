import { defineConfig } from "vitest/config";

// Unit tests run in Node, twice: on QuickJS's release build and on its debug
// build, where a leaked handle or a bad free fails loudly.
const unit = (build: "release" | "debug") => ({
  extends: true as const,
  test: {
    name: `unit-${build}`,
    include: ["packages/core/src/**/*.test.ts", "packages/web/src/**/*.test.ts"],
    env: { ISLET_QUICKJS_BUILD: build },
  },
});

export default defineConfig({
  test: {
    environment: "node",
    testTimeout: 20_000,
    projects: [unit("release"), unit("debug")],
  },
});
