import { expect, test } from "vitest";
import { Engine, Tag } from "./engine.ts";
import { defaultBuild, instantiateQuickJS } from "./quickjs.ts";

test("a leaked guest value fails loudly at dispose, so the leak checks in every other test can fail", async () => {
  const engine = new Engine(await instantiateQuickJS(defaultBuild(), 8 << 20));
  const leaked = engine.context.newObject();
  expect(leaked.alive).toBe(true);
  // Both builds assert that no object is left when the QuickJS runtime is freed.
  expect(() => engine.dispose()).toThrow(/gc_obj_list/);
});

test("strings are read straight from the heap after calibration, lone surrogates and NULs included", async () => {
  const engine = new Engine(await instantiateQuickJS(defaultBuild(), 8 << 20));
  engine.calibrateStrings();
  try {
    for (const s of [
      "",
      "a",
      "x".repeat(100),
      "\u00e9\u00ff\u0080\u009f".repeat(10),
      "😀".repeat(20),
      "mixed é 😀 ".repeat(9),
    ]) {
      const p = engine.newString(
        s,
        () => {
          throw new Error("needs the guest's UTF-16 helper");
        },
        () => "test",
      );
      expect(engine.tag(p)).toBe(Tag.String);
      expect(engine.readFlatString(p)).toBe(s);
      engine.free(p);
    }
  } finally {
    engine.dispose();
  }
});
