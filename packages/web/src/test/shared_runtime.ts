import { JsRuntime } from "@islet/core";
import { afterAll, beforeAll } from "vitest";
import { web } from "../index.ts";

/**
 * One `web()` runtime shared by the tests of a file, created before and disposed
 * after them (the debug build fails the dispose on a leak). `run` wraps each
 * script in a block so top-level const/let of different tests do not collide.
 */
export function sharedWebRuntime() {
  let created: JsRuntime | undefined;
  beforeAll(async () => {
    created = await JsRuntime.create({ extensions: web() });
  }, 60_000);
  afterAll(() => created?.dispose());
  const runtime = (): JsRuntime => {
    if (created === undefined) throw new Error("sharedWebRuntime: used outside a test");
    return created;
  };
  const run = (src: string): unknown => runtime().executeScript("test.js", `{ ${src}\n}`);
  /** The error `src` throws, or undefined. */
  const thrown = (src: string): Error | undefined => {
    try {
      run(src);
    } catch (error) {
      return error as Error;
    }
    return undefined;
  };
  /**
   * Runs `src` as the body of an async function and the event loop until idle: its return value,
   * or "threw Name: message" when it throws.
   */
  const loop = async (src: string): Promise<unknown> => {
    run(
      `globalThis.__out = undefined; (async () => { ${src}\n })().then((v) => { __out = v; }, (e) => { __out = "threw " + e.name + ": " + e.message; }); 0;`,
    );
    await runtime().runEventLoop();
    return run("globalThis.__out");
  };
  return { runtime, run, thrown, loop };
}
