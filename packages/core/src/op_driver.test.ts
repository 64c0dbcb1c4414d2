import { describe, expect, test } from "vitest";
import { OpDriver } from "./op_driver.ts";

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("OpDriver", () => {
  test("a delivery that throws leaves its batch queued; nothing is dropped", async () => {
    const driver = new OpDriver(100, () => {});
    for (let i = 0; i < 5; i++) driver.submit("op_x", async () => i);
    await tick();
    expect(driver.pendingCount).toBe(0);
    expect(() =>
      driver.deliverBatch(3, () => {
        throw new Error("interrupted mid-batch");
      }),
    ).toThrow("interrupted mid-batch");
    const seen: unknown[] = [];
    while (driver.hasCompleted) driver.deliverBatch(3, (batch) => seen.push(...batch.map((c) => c.value)));
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  test("results keep their ok/error status and arrive in completion order", async () => {
    const driver = new OpDriver(100, () => {});
    let release!: () => void;
    const slow = driver.submit("op_slow", () => new Promise<string>((r) => (release = () => r("slow"))));
    const failing = driver.submit("op_fail", async () => {
      throw new RangeError("no");
    });
    await tick();
    release();
    await tick();
    const seen: [number, boolean][] = [];
    driver.deliverBatch(10, (batch) => seen.push(...batch.map((c): [number, boolean] => [c.id, c.ok])));
    expect(seen).toEqual([
      [failing, false],
      [slow, true],
    ]);
  });

  test("the pending cap names the op; cancelAll forgets in-flight ops whose results arrive later", async () => {
    const driver = new OpDriver(1, () => {});
    let release!: () => void;
    driver.submit("op_a", () => new Promise<void>((r) => (release = r)));
    expect(() => driver.submit("op_b", async () => 1)).toThrow(
      /op_b: too many pending async ops \(the sandbox allows 1\)/,
    );
    driver.cancelAll();
    expect(driver.pendingCount).toBe(0);
    release();
    await tick();
    expect(driver.hasCompleted).toBe(false);
  });
});
