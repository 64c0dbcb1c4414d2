import { describe, expect, test } from "vitest";
import { PermissionDenied } from "./errors.ts";
import { op } from "./ops.ts";
import { type PermissionRequest, Permissions } from "./permissions.ts";
import { exposeOps, withRuntime } from "./test/helpers.ts";

describe("Permissions", () => {
  test("deny by default", () => {
    const p = new Permissions();
    expect(() => p.check("net", "example.com:443")).toThrow(PermissionDenied);
    expect(() => p.check("env", "HOME")).toThrow(/Requires env access to "HOME"/);
  });

  test("net entries follow --allow-net: host allows every port, host:port only that port", () => {
    const p = new Permissions({ net: ["api.example.com", "127.0.0.1:8080", "[::1]:80"] });
    expect(p.check("net", "api.example.com:443")).toEqual({ kind: "net", target: "api.example.com:443" });
    expect(p.query("net", "API.EXAMPLE.COM:80")).toBe("granted");
    expect(p.query("net", "127.0.0.1:8080")).toBe("granted");
    expect(p.query("net", "127.0.0.1:8081")).toBe("denied");
    expect(p.query("net", "[::1]:80")).toBe("granted");
    expect(p.query("net", "evil.example.com:443")).toBe("denied");
    expect(p.query("net", "api.example.com.evil.org:443")).toBe("denied");
    expect(new Permissions({ net: true }).query("net", "anything:1")).toBe("granted");
  });

  test("read/write allow a path and what is below it, not siblings", () => {
    const p = new Permissions({ read: ["/data"] });
    expect(p.query("read", "/data/a.txt")).toBe("granted");
    expect(p.query("read", "/data")).toBe("granted");
    expect(p.query("read", "/database")).toBe("denied");
    expect(p.query("write", "/data/a.txt")).toBe("denied");
    // ".." is resolved before comparing: these are not under /data.
    expect(p.query("read", "/data/../etc/passwd")).toBe("denied");
    expect(p.query("read", "/data/./x/../../etc")).toBe("denied");
    expect(p.query("read", "//data//x")).toBe("granted");
  });

  test("the prompt is asked only for undecided requests, once per target; its answer is kept", async () => {
    const asked: PermissionRequest[] = [];
    const p = new Permissions({
      net: ["ok.example.com"],
      env: false,
      prompt: (req) => {
        asked.push(req);
        return req.target.startsWith("yes");
      },
    });
    await expect(p.request("net", "ok.example.com:443")).resolves.toMatchObject({ target: "ok.example.com:443" });
    await expect(p.request("env", "HOME")).rejects.toThrow(PermissionDenied);
    await expect(p.request("net", "yes.example.com:443", "fetch()")).resolves.toBeTruthy();
    await expect(p.request("net", "yes.example.com:443")).resolves.toBeTruthy();
    await expect(p.request("net", "no.example.com:443", "fetch()")).rejects.toThrow(
      /Requires net access to "no.example.com:443" \(fetch\(\)\)/,
    );
    await expect(p.request("net", "no.example.com:443")).rejects.toThrow(PermissionDenied);
    expect(asked.map((r) => r.target)).toEqual(["yes.example.com:443", "no.example.com:443"]);
    expect(asked[0]).toEqual({ kind: "net", target: "yes.example.com:443", api: "fetch()" });
    // Sync checks see earlier answers but never prompt.
    expect(p.check("net", "yes.example.com:443")).toBeTruthy();
    expect(() => p.check("net", "other.example.com:443")).toThrow(PermissionDenied);
  });

  test("a prompt that throws or answers non-true denies", async () => {
    const p = new Permissions({
      prompt: () => {
        throw new Error("dialog crashed");
      },
    });
    await expect(p.request("net", "a.com:1")).rejects.toThrow(PermissionDenied);
    const q = new Permissions({ prompt: () => "yes" as unknown as boolean });
    await expect(q.request("net", "a.com:1")).rejects.toThrow(PermissionDenied);
  });

  test("bad options are rejected with the kind named", () => {
    expect(() => new Permissions({ net: ["http://x.com"] })).toThrow(
      /permissions.net: "http:\/\/x.com" is not host or host:port/,
    );
    expect(() => new Permissions({ disk: true } as never)).toThrow(/unknown kind "disk"/);
    expect(() => new Permissions({ net: "all" as never })).toThrow(/expected true, false or a list/);
    expect(() => new Permissions({ net: ["a.com:99999"] })).toThrow(/port out of range/);
  });

  test("ops check permissions on the host; the guest sees PermissionDenied naming the target", async () => {
    const ext = exposeOps({
      op_connect: op.async(async (state, host: string) => {
        await state.get(Permissions).request("net", host, "connect()");
        return `connected to ${host}`;
      }),
    });
    await withRuntime({ extensions: [ext], permissions: { net: ["good.example:443"] } }, async (rt) => {
      rt.executeScript(
        "t.js",
        `globalThis.out = [];
         t.op_connect("good.example:443").then((v) => out.push(v));
         t.op_connect("bad.example:443").catch((e) => out.push(e.name, e instanceof core.errors.PermissionDenied, e.message)); 0`,
      );
      await rt.runEventLoop();
      expect(rt.executeScript("t.js", "out")).toEqual([
        "connected to good.example:443",
        "PermissionDenied",
        true,
        'Requires net access to "bad.example:443" (connect()); it is not in the sandbox\'s permissions',
      ]);
    });
  });

  test("concurrent requests for one target ask once and share the answer", async () => {
    const asked: string[] = [];
    let answer: (allowed: boolean) => void = () => {};
    const p = new Permissions({
      prompt: (req) => {
        asked.push(req.target);
        return new Promise<boolean>((resolve) => {
          answer = resolve;
        });
      },
    });
    const requests = Array.from({ length: 25 }, () => p.request("net", "api.example:443", "fetch()"));
    // Case differences in a host name are one target.
    requests.push(p.request("net", "API.example:443", "fetch()"));
    expect(p.pendingPrompts).toBe(1);
    answer(true);
    await Promise.all(requests);
    expect(asked).toEqual(["api.example:443"]);
    expect(p.pendingPrompts).toBe(0);
    // Remembered: a later request is not asked again.
    await p.request("net", "api.example:443");
    expect(asked).toHaveLength(1);
  });

  test("pending prompts are capped; a request beyond the cap is denied with a clear message, not asked", async () => {
    const asked: string[] = [];
    const p = new Permissions({
      maxPendingPrompts: 3,
      prompt: (req) => {
        asked.push(req.target);
        return new Promise<boolean>(() => {});
      },
    });
    for (let i = 0; i < 3; i++) void p.request("net", `h${i}.example:443`).catch(() => {});
    await expect(p.request("net", "h3.example:443", "fetch()")).rejects.toThrow(
      /Requires net access to "h3.example:443" \(fetch\(\)\); not asked: 3 permission prompts are already waiting for an answer \(permissions.maxPendingPrompts\)/,
    );
    // A request for a target already being asked joins that prompt instead.
    void p.request("net", "h0.example:443").catch(() => {});
    expect(asked).toEqual(["h0.example:443", "h1.example:443", "h2.example:443"]);
    expect(p.pendingPrompts).toBe(3);
    p.cancelPrompts();
    expect(p.pendingPrompts).toBe(0);
    expect(() => new Permissions({ maxPendingPrompts: 0 })).toThrow(/maxPendingPrompts: expected a positive integer/);
  });

  test("cancelPrompts denies the waiting requests, aborts the prompt's signal and forgets the late answer", async () => {
    const signals: AbortSignal[] = [];
    const answers: ((allowed: boolean) => void)[] = [];
    const p = new Permissions({
      prompt: (_req, { signal }) => {
        signals.push(signal);
        return new Promise<boolean>((resolve) => answers.push(resolve));
      },
    });
    const a = p.request("net", "a.example:443", "fetch()");
    const b = p.request("net", "a.example:443", "fetch()");
    p.cancelPrompts("the call ended");
    await expect(a).rejects.toThrow(
      'Requires net access to "a.example:443" (fetch()); the prompt was not answered: the call ended',
    );
    await expect(b).rejects.toThrow(PermissionDenied);
    expect(signals.map((s) => s.aborted)).toEqual([true]);
    // The user answers the stale dialog later: nothing is decided by it.
    answers[0]?.(true);
    await Promise.resolve();
    expect(p.query("net", "a.example:443")).toBe("prompt");
    // The next request asks again.
    const c = p.request("net", "a.example:443");
    answers[1]?.(true);
    await expect(c).resolves.toBeTruthy();
    expect(signals).toHaveLength(2);
  });

  test("an interrupted call and dispose cancel the prompts it left waiting", async () => {
    const signals: AbortSignal[] = [];
    const ext = exposeOps({
      op_connect: op.async(async (state, host: string) => {
        await state.get(Permissions).request("net", host, "connect()");
        return "connected";
      }),
    });
    const prompt = (_req: PermissionRequest, { signal }: { signal: AbortSignal }) => {
      signals.push(signal);
      return new Promise<boolean>(() => {});
    };
    await withRuntime({ extensions: [ext], permissions: { prompt }, limits: { cpuMs: 50 } }, async (rt) => {
      rt.executeScript("t.js", `t.op_connect("a.example:443"); Promise.resolve().then(() => { for (;;) {} }); 0`);
      await expect(rt.runEventLoop()).rejects.toThrow(/interrupted/);
      expect(signals.map((s) => s.aborted)).toEqual([true]);
      expect(rt.permissions.pendingPrompts).toBe(0);
      rt.executeScript("t.js", `t.op_connect("b.example:443"); 0`);
      await new Promise((r) => setTimeout(r, 0));
      expect(signals.map((s) => s.aborted)).toEqual([true, false]);
    });
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
  });
});
