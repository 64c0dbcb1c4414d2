import { defineConfig } from "vitest/config";
import { minifyGuestSources } from "./scripts/guest_sources.mjs";

// Unit tests run in Node, twice: on QuickJS's release build and on its debug
// build, where a leaked handle or a bad free fails loudly.
const unit = (build: "release" | "debug") => ({
  extends: true as const,
  test: {
    name: `unit-${build}`,
    include: ["packages/core/src/**/*.test.ts", "packages/web/src/**/*.test.ts", "packages/embed/src/**/*.test.ts"],
    // *.release.test.ts measure memory/stack limits, which only mean something on the
    // release build (the debug build's LeakSanitizer allocator has its own OOM abort).
    exclude: build === "debug" ? ["**/*.release.test.ts", "**/node_modules/**"] : ["**/node_modules/**"],
    env: { ISLET_QUICKJS_BUILD: build },
  },
});

// The web platform's tests once more over the guest sources as the browser bundles ship them,
// minified (scripts/guest_sources.mjs); guest_descriptors.test.ts reads the sources as written.
const minified = {
  extends: true as const,
  plugins: [minifyGuestSources()],
  test: {
    name: "unit-minified",
    include: ["packages/web/src/**/*.test.ts"],
    exclude: ["**/guest_descriptors.test.ts", "**/*.release.test.ts", "**/node_modules/**"],
    env: { ISLET_QUICKJS_BUILD: "release", ISLET_GUEST_MINIFIED: "1" },
  },
};

export default defineConfig({
  test: {
    environment: "node",
    testTimeout: 20_000,
    projects: [unit("release"), unit("debug"), minified],
  },
});
