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
});
