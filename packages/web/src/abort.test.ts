import { expect, test } from "vitest";
import { differential } from "./test/differential.ts";

const { inSandbox } = differential();

test("AbortSignal.any takes any iterable of signals, checks each as it is produced, and does not use Array.prototype", async () => {
  expect(
    await inSandbox(`
    const a = new AbortController(), b = new AbortController();
    const out = [];
    const fromSet = AbortSignal.any(new Set([a.signal, b.signal]));
    const fromGenerator = AbortSignal.any((function* () { yield a.signal; })());
    const seen = [];
    try { AbortSignal.any((function* () { seen.push(1); yield a.signal; seen.push(2); yield {}; seen.push(3); })()); } catch (e) { out.push(e.name, seen.join()); }
    for (const bad of [undefined, null, 1, {}, "ab"]) { try { AbortSignal.any(bad); out.push("ok"); } catch (e) { out.push(e.name); } }
    const saved = Array.prototype[Symbol.iterator];
    Array.prototype[Symbol.iterator] = function* () { throw new Error("used Array.prototype"); };
    let plain; try { plain = AbortSignal.any([a.signal]); out.push("array via its own iterator?"); } catch (e) { out.push(e.message); }
    Array.prototype[Symbol.iterator] = saved;
    b.abort("B");
    out.push(fromSet.aborted, fromSet.reason, fromGenerator.aborted);
    return out;`),
  ).toEqual([
    "TypeError",
    "1,2",
    "TypeError",
    "TypeError",
    "TypeError",
    "TypeError",
    "TypeError",
    "used Array.prototype",
    true,
    "B",
    false,
  ]);
});

test("AbortSignal.any: dependents are aborted before any abort event fires, and events fire source first", async () => {
  expect(
    await inSandbox(`
    const c = new AbortController();
    const d1 = AbortSignal.any([c.signal]);
    const d2 = AbortSignal.any([d1]);
    const log = [];
    c.signal.onabort = (e) => log.push("source " + d1.aborted + " " + d2.aborted + " " + e.isTrusted);
    d1.onabort = () => log.push("d1 " + (d1.reason === c.signal.reason));
    d2.onabort = () => log.push("d2 " + (d2.reason === c.signal.reason));
    c.abort();
    const again = AbortSignal.any([c.signal]);
    log.push("already " + again.aborted + " " + (again.reason === c.signal.reason) + " " + again.reason.name);
    return log;`),
  ).toEqual(["source true true true", "d1 true", "d2 true", "already true true AbortError"]);
});

test("AbortSignal.timeout takes an [EnforceRange] unsigned long long", async () => {
  expect(
    await inSandbox(`
    const out = [];
    for (const ms of [-1, NaN, Infinity, 2 ** 53, "x", 0, 2 ** 53 - 1, "5", 1.9]) { try { AbortSignal.timeout(ms); out.push("ok"); } catch (e) { out.push(e.name); } }
    try { AbortSignal.timeout(); } catch (e) { out.push(e.name); }
    const s = AbortSignal.timeout(1);
    await new Promise((r) => setTimeout(r, 20));
    out.push(s.aborted, s.reason.name, s.reason.code);
    return out;`),
  ).toEqual([
    "TypeError",
    "TypeError",
    "TypeError",
    "TypeError",
    "TypeError",
    "ok",
    "ok",
    "ok",
    "ok",
    "TypeError",
    true,
    "TimeoutError",
    23,
  ]);
});

test("URL.parse and URL.canParse with bases", async () => {
  expect(
    await inSandbox(`
    const out = [];
    out.push(URL.parse("a/b", "https://x.org/c/d").href, URL.parse("/r", new URL("https://y.org/q")).href, URL.parse("nope"), URL.parse("x", "also nope"));
    out.push(URL.canParse("https://a"), URL.canParse("a"), URL.canParse("a", "https://b/"), URL.canParse("a", undefined), URL.parse("https://a/", undefined).href);
    try { URL.parse(); } catch (e) { out.push(e.name); }
    try { URL.canParse(); } catch (e) { out.push(e.name); }
    out.push(URL.parse("https://a/") !== URL.parse("https://a/"), URL.parse("https://a/") instanceof URL);
    return out;`),
  ).toEqual([
    "https://x.org/c/a/b",
    "https://y.org/r",
    null,
    null,
    true,
    false,
    true,
    false,
    "https://a/",
    "TypeError",
    "TypeError",
    true,
    true,
  ]);
});

test("passive listeners cannot cancel; CustomEvent's detail and initCustomEvent", async () => {
  expect(
    await inSandbox(`
    const t = new EventTarget();
    const out = [];
    t.addEventListener("x", (e) => { e.preventDefault(); out.push("passive " + e.defaultPrevented); }, { passive: true });
    t.addEventListener("x", (e) => { out.push("next " + e.defaultPrevented); e.preventDefault(); out.push("active " + e.defaultPrevented); });
    out.push("result " + t.dispatchEvent(new Event("x", { cancelable: true })));
    const ce = new CustomEvent("c", { detail: { n: 1 } });
    out.push(ce.detail.n, new CustomEvent("c").detail);
    ce.initCustomEvent("d", true, true, 5);
    out.push(ce.type, ce.bubbles, ce.detail);
    return out;`),
  ).toEqual(["passive false", "next false", "active true", "result false", 1, null, "d", true, 5]);
});
