/**
 * A guest that logs 100 000 deep objects with no output budget: the console
 * keeps the objects of the last MAX_CONSOLE_HANDLES only (each log keeps one),
 * so logging in a loop cannot hold the guest's whole history alive. Release
 * build only: the debug build takes minutes for 100k logs.
 */
import { expect, test } from "vitest";
import { ConsoleValueUnavailable, inspectConsoleValue, MAX_CONSOLE_HANDLES } from "./index.ts";
import { entry, logMany } from "./test/console_handles.ts";

test("100k logged objects: the last MAX_CONSOLE_HANDLES stay inspectable, the rest are stale", async () => {
  const logged = await logMany(100_000);
  try {
    const oldestKept = 100_000 - MAX_CONSOLE_HANDLES;
    for (const i of [0, 1, oldestKept - 1])
      expect(() => inspectConsoleValue(logged.runtime, logged.at(i))).toThrow(ConsoleValueUnavailable);
    for (const i of [oldestKept, 99_999])
      expect(entry(inspectConsoleValue(logged.runtime, logged.at(i)), "i")!.text).toBe(String(i));
    // The guest's heap holds the kept objects only: well under what 100k chains would take.
    expect(logged.runtime.memoryUsed()).toBeLessThan(16 << 20);
  } finally {
    logged.runtime.dispose();
  }
}, 120_000);
