/**
 * What a program sees of the platform's own code when it fails inside a web API: the
 * error's class and message, the stack naming the platform function and its `ext:` file,
 * and the names of the platform's functions. These hold for the sources as written and for
 * the minified ones the browser bundles ship (the `unit-minified` project runs the web tests
 * over those: scripts/guest_sources.mjs).
 */
import { readdirSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { minifyGuestSourceFile } from "../../../scripts/guest_sources.mjs";
import { URL_SOURCE } from "./js/11_url.ts";
import { sharedWebRuntime } from "./test/shared_runtime.ts";

const { run, runtime } = sharedWebRuntime();
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

  test("every guest source of core and web is minified with its local names mangled", async () => {
    // Each guest-source file (packages/{core,web}/src/js/NN_name.ts), as the bundles ship it.
    const dirs = [new URL("./js/", import.meta.url), new URL("../../core/src/js/", import.meta.url)];
    const sources: [string, string][] = [];
    for (const dir of dirs)
      for (const file of readdirSync(dir).filter((f) => /^\d\d_.+\.ts$/.test(f))) {
        const module: Record<string, unknown> = await import(new URL(file, dir).href);
        for (const [name, value] of Object.entries(module))
          if (name.endsWith("_SOURCE") && typeof value === "string") sources.push([`${file}: ${name}`, value]);
      }
    expect(sources.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        "06_base64.ts: BASE64_SOURCE",
        "10_console.ts: CONSOLE_SOURCE",
        "01_core.ts: CORE_SOURCE",
        "02_modules.ts: MODULES_HELPER_SOURCE",
        "02_modules.ts: IMPORT_HELPER_SOURCE",
      ]),
    );
    for (const [name, source] of sources) {
      expect(source, name).not.toMatch(/\n[ \t]/);
      // Local names are mangled: the module's `primordials` import, a bootstrap function's parameters.
      if (source.startsWith("(function")) expect(source, name).toMatch(/^\(function \w+\([\w$]{1,2}(?:,[\w$]{1,2})*\)/);
      else expect(source, name).toMatch(/\bprimordials as [\w$]{1,2}\b/);
    }
  });

  test("a program reading the platform's functions as text sees the minified code (btoa, console.log, import.meta.resolve)", async () => {
    expect(run("btoa.toString()")).toMatch(/^function btoa\([\w$]{1,2}\)\{/);
    expect(run("console.log.toString()")).toMatch(/^log\(\.\.\.[\w$]{1,2}\)\{/);
    const id = await runtime().loadSideModule(
      "file:///minified_meta.js",
      "export const text = import.meta.resolve.toString();",
    );
    const evaluated = runtime().evaluateModule(id);
    await runtime().runEventLoop();
    await evaluated;
    expect(runtime().getModuleNamespace(id).text).toMatch(/^resolve\([\w$]{1,2}\)\{return /);
  });
});

describe("minifying a guest source with substitutions (scripts/guest_sources.mjs)", () => {
  const file = "/repo/packages/web/src/js/50_example.ts";
  /** The file's X_SOURCE after minifying, its substitutions evaluated with `values`. */
  function minifiedSource(code: string, values: Record<string, unknown>): string {
    const out = minifyGuestSourceFile(code, file);
    if (out === null) throw new Error("no guest source found");
    const body = out.replace(/^export const X_SOURCE = /m, "return ");
    return new Function(...Object.keys(values), body)(...Object.values(values));
  }

  test("is mangled too; each value lands where its substitution was, in statement and in expression position", () => {
    const code =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the text of a guest-source file, whose substitutions are under test
      "export const X_SOURCE = /* js */ `(function make(primordials) {\n  const limit = ${LIMIT};\n  ${HELPERS}\n  return { limit, helper };\n})`;";
    const source = minifiedSource(code, { LIMIT: 10_000, HELPERS: "function helper(value) { return value; }" });
    expect(source).toMatch(/^\(function make\([\w$]{1,2}\)\{/);
    expect(source).toContain("=10000;");
    const made = new Function(`return ${source}`)()({});
    expect(made.limit).toBe(10_000);
    expect(made.helper(7)).toBe(7);
  });

  test("a substitution the minifier would drop (inside a comment) fails the build, naming the file and line", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text of a guest-source file, whose substitutions are under test
    const code = "export const X_SOURCE = String.raw`\nexport const a = 1; // ${LIMIT}\n`;";
    expect(() => minifyGuestSourceFile(code, file)).toThrow(
      "web/src/js/50_example.ts:1: a substitution was lost or moved",
    );
  });

  test("a source spelling the placeholder name is refused", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text of a guest-source file, whose substitutions are under test
    const code = "export const X_SOURCE = String.raw`export const a = __islet_hole_0__ + ${LIMIT};`;";
    expect(() => minifyGuestSourceFile(code, file)).toThrow("the source spells __islet_hole_");
  });
});
