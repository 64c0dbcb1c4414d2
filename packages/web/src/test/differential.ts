import { describe, expect, test } from "vitest";
import { sharedWebRuntime } from "./shared_runtime.ts";

/**
 * Differential testing against the host: a scenario is the body of an async function
 * that returns a JSON-safe value. It runs in the sandbox and in the host's own
 * (Node's) web platform, whose streams and encoding pass web-platform-tests, and the
 * two results are compared by the caller. Errors become "Name: message" strings
 * inside the scenario, so only behaviour is compared, never message wording.
 */
export function differential() {
  const { runtime, run } = sharedWebRuntime();
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
    body: string,
  ) => () => Promise<unknown>;
  const inHost = async (body: string): Promise<unknown> => {
    try {
      return JSON.parse(JSON.stringify(await new AsyncFunction(body)()));
    } catch (e) {
      return `threw ${(e as Error).name}`;
    }
  };
  const inSandbox = async (body: string): Promise<unknown> => {
    run(
      `globalThis.__out = undefined; (async () => { ${body}\n })().then((v) => { __out = JSON.stringify(v); }, (e) => { __out = JSON.stringify("threw " + e.name); }); 0;`,
    );
    await runtime().runEventLoop();
    const out = run("globalThis.__out");
    return out === undefined ? "unsettled" : JSON.parse(out as string);
  };
  /**
   * One test per scenario (prelude + body): the host must run it to an array, and the
   * sandbox must give the same array and leave no resource open.
   */
  const suite = (name: string, prelude: string, scenarios: Record<string, string>): void => {
    describe(name, () => {
      for (const [title, body] of Object.entries(scenarios)) {
        test(title, async () => {
          const source = prelude + body;
          const host = await inHost(source);
          expect(Array.isArray(host), "the scenario runs in the host").toBe(true);
          expect(await inSandbox(source)).toEqual(host);
          expect(runtime().resources(), "no resource left open").toEqual([]);
        });
      }
    });
  };
  return { inHost, inSandbox, runtime, run, suite };
}
