/**
 * What a program sees of the platform's own code when it fails inside a web API: the
 * error's class and message, the stack naming the platform function and its `ext:` file,
 * and the names of the platform's functions. These hold for the sources as written and for
 * the minified ones the browser bundles ship (the `unit-minified` project runs the web tests
 * over those: scripts/guest_sources.mjs).
 */
import { describe, expect, test } from "vitest";
import { URL_SOURCE } from "./js/11_url.ts";
import { sharedWebRuntime } from "./test/shared_runtime.ts";

const { run } = sharedWebRuntime();
const minified = process.env.ISLET_GUEST_MINIFIED === "1";

/** Runs `body` (which throws) in the sandbox; returns the guest error's name, message and stack. */
function guestError(body: string): { name: string; message: string; stack: string } {
  return JSON.parse(
    run(
      `let out; try { ${body} } catch (e) { out = JSON.stringify({ name: e.name, message: e.message, stack: e.stack }); } out`,
    ) as string,
  );
}

describe("errors thrown inside web APIs", () => {
  test('new URL("bad"): a TypeError naming the input, whose stack names URL in ext:islet_url/11_url.js, then the caller', () => {
    const e = guestError(`new URL("bad");`);
    expect(e.name).toBe("TypeError");
    expect(e.message).toContain('"bad"');
    const frames = e.stack.split("\n").filter((l) => l.trim().startsWith("at "));
    const platform = frames.findIndex((l) => /^\s*at URL \(ext:islet_url\/11_url\.js:\d+:\d+\)$/.test(l));
    expect(platform, e.stack).toBeGreaterThanOrEqual(0);
    // The program's own frame follows, with its own file.
    expect(
      frames.slice(platform + 1).some((l) => l.includes("test.js")),
      e.stack,
    ).toBe(true);
  });

  test("a DOMException from structuredClone and a TypeError from a brand check name their API and file", () => {
    const clone = guestError(`structuredClone(() => {});`);
    expect(clone.name).toBe("DataCloneError");
    expect(clone.stack).toMatch(/ext:islet_web\/07_structured_clone\.js:\d+:\d+/);
    const brand = guestError(`URLSearchParams.prototype.append.call({}, "a", "b");`);
    expect(brand.name).toBe("TypeError");
    expect(brand.message).toBe("URLSearchParams.prototype.append: illegal invocation");
    expect(brand.stack).toMatch(/at append \(ext:islet_url\/11_url\.js:\d+:\d+\)/);
  });

  test("platform functions and classes keep their names and lengths", () => {
    expect(
      run(`[
        URL.name, URL.length, URLSearchParams.prototype.append.name, URLSearchParams.prototype.append.length,
        ReadableStream.name,
        ReadableStreamDefaultReader.prototype.read.name, TextDecoder.prototype.decode.name, fetch.name, fetch.length,
        setTimeout.name, structuredClone.name, AbortSignal.timeout.name, Event.prototype.stopPropagation.name,
        DOMException.name, new DOMException("m", "AbortError").name, Blob.prototype.text.name,
        console.log.name, queueMicrotask.name, atob.name, btoa.length,
      ].join()`),
    ).toBe(
      [
        "URL,1,append,2,ReadableStream,read,decode,fetch,1,setTimeout,structuredClone,timeout",
        "stopPropagation,DOMException,AbortError,text,log,queueMicrotask,atob,1",
      ].join(","),
    );
  });
});

describe.runIf(minified)("the minified guest sources (unit-minified project)", () => {
  test("are minified: no comments, no indentation, a line only where a string literal holds a newline", () => {
    expect(URL_SOURCE.split("\n").length).toBeLessThan(5);
    expect(URL_SOURCE).not.toMatch(/\/\/ |\/\*|\n {2}/);
    expect(URL_SOURCE.length).toBeLessThan(8000);
  });

  test("a frame inside an ext: module has a line number near the top; the function and file still say where", () => {
    const e = guestError(`new URL("bad");`);
    const line = Number(/at URL \(ext:islet_url\/11_url\.js:(\d+):\d+\)/.exec(e.stack)?.[1]);
    expect(line, e.stack).toBeLessThan(5);
  });
});
