import { createHash } from "node:crypto";
import { JsRuntime } from "@islet/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { web } from "./index.ts";

let rt: JsRuntime;
beforeAll(async () => {
  rt = await JsRuntime.create({ extensions: web({ navigator: { userAgent: "test-agent", hardwareConcurrency: 3 } }) });
}, 60_000);
afterAll(() => rt.dispose());
const run = (src: string) => rt.executeScript("t.js", `{ ${src}\n}`);
async function loop(src: string): Promise<unknown> {
  run(`globalThis.__out = undefined; ${src}\n0;`);
  await rt.runEventLoop();
  return run("globalThis.__out");
}

describe("crypto.getRandomValues", () => {
  test("fills integer arrays in place and returns them", () => {
    expect(
      run(`const a = new Uint8Array(64); const r = crypto.getRandomValues(a); [r === a, a.some((x) => x !== 0)]`),
    ).toEqual([true, true]);
    expect(
      run(
        `const b = new Uint32Array(new ArrayBuffer(16), 4, 2); crypto.getRandomValues(b); new Uint32Array(b.buffer)[0] === 0 && new Uint32Array(b.buffer)[3] === 0`,
      ),
    ).toBe(true);
    expect(
      run(
        `crypto.getRandomValues(new BigUint64Array(2)).length + crypto.getRandomValues(new Uint8Array(65536)).length`,
      ),
    ).toBe(65538);
  });
  test("type and quota errors", () => {
    for (const bad of ["new Float32Array(1)", "new Float64Array(1)", "new DataView(new ArrayBuffer(1))"]) {
      expect(run(`try { crypto.getRandomValues(${bad}); "ok" } catch (e) { e.name }`)).toBe("TypeMismatchError");
    }
    expect(run(`try { crypto.getRandomValues(new Uint8Array(65537)) } catch (e) { [e.name, e.code] }`)).toEqual([
      "QuotaExceededError",
      22,
    ]);
    expect(run(`try { crypto.getRandomValues([1]) } catch (e) { e.name }`)).toBe("TypeError");
    expect(run(`try { new Crypto() } catch (e) { e.name }`)).toBe("TypeError");
  });
  test("randomUUID is a v4 UUID", () => {
    expect(run(`crypto.randomUUID()`)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("crypto.subtle.digest", () => {
  test("SHA-1/256/384/512 match the host", async () => {
    const hex = (await loop(`const data = new TextEncoder().encode("hello");
      Promise.all(["SHA-1", "sha-256", { name: "SHA-384" }, "SHA-512"].map((a) => crypto.subtle.digest(a, data)))
        .then((rs) => { __out = rs.map((r) => Array.from(new Uint8Array(r), (b) => b.toString(16).padStart(2, "0")).join("")); });`)) as string[];
    expect(hex).toEqual(["sha1", "sha256", "sha384", "sha512"].map((a) => createHash(a).update("hello").digest("hex")));
  });
  test("unknown algorithms reject with NotSupportedError, bad data with TypeError", async () => {
    expect(
      await loop(`Promise.allSettled([crypto.subtle.digest("MD5", new Uint8Array(1)), crypto.subtle.digest("SHA-256", "str"), crypto.subtle.digest("SHA-256")])
      .then((rs) => { __out = rs.map((r) => r.reason.name); });`),
    ).toEqual(["NotSupportedError", "TypeError", "TypeError"]);
  });
});

test("navigator", () => {
  expect(
    run(`[navigator.userAgent, navigator.hardwareConcurrency, navigator.language, navigator instanceof Navigator]`),
  ).toEqual(["test-agent", 3, "en-US", true]);
  expect(() => web({ navigator: { hardwareConcurrency: 0 } })).toThrow(/hardwareConcurrency/);
});
