// The one redirect follower, against real servers on 127.0.0.1 that record every request.
// "allowed" is the only host:port in permissions.net; "forbidden" must never see a request.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { PermissionDenied } from "./errors.ts";
import { type HostFetchResult, hostFetch } from "./host_fetch.ts";
import { type PermissionRequest, Permissions, type PermissionsOptions } from "./permissions.ts";
import { type RecordingServer, startRecordingServer } from "./test/recording_server.ts";

let allowed: RecordingServer;
let forbidden: RecordingServer;

beforeAll(async () => {
  allowed = await startRecordingServer();
  forbidden = await startRecordingServer();
});
afterAll(async () => {
  await allowed.close();
  await forbidden.close();
});
afterEach(() => {
  allowed.requests.length = 0;
  forbidden.requests.length = 0;
});

function only(extra: Omit<PermissionsOptions, "net"> = {}): Permissions {
  return new Permissions({ net: [`127.0.0.1:${allowed.port}`], ...extra });
}
function redirect(status: number, to: string): string {
  return `${allowed.origin}/redirect?status=${status}&to=${encodeURIComponent(to)}`;
}
async function text(result: HostFetchResult): Promise<string> {
  if (result.kind !== "response") throw new Error(`expected a response, got ${result.kind}`);
  return result.response.text();
}

describe("hostFetch in Node: every redirect hop is checked before it is contacted", () => {
  for (const status of [301, 302, 303, 307, 308]) {
    test(`${status} from the allowed server to another port of the same host, with a POST body`, async () => {
      const error = await hostFetch(
        {
          url: redirect(status, `${forbidden.origin}/exfil`),
          method: "POST",
          body: new TextEncoder().encode("secret"),
          headers: [["content-type", "text/plain"]],
        },
        { permissions: only(), api: "fetch()" },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermissionDenied);
      expect((error as Error).message).toContain(`"127.0.0.1:${forbidden.port}" (fetch())`);
      expect(allowed.requests).toMatchObject([{ method: "POST", body: "secret" }]);
      expect(forbidden.requests).toEqual([]);
    });
  }

  // Every way the WHATWG URL parser lets a Location spell the forbidden server.
  const forms: [string, (port: number) => string, string?][] = [
    ["scheme-relative", (p) => `//127.0.0.1:${p}/x`],
    ["backslashes", (p) => `\\\\127.0.0.1:${p}\\x`],
    ["slash-backslash", (p) => `/\\127.0.0.1:${p}/x`],
    ["http: with backslashes", (p) => `http:\\\\127.0.0.1:${p}\\x`],
    ["a tab in the host", (p) => `http://127.0.\t0.1:${p}/x`],
    ["decimal IPv4", (p) => `http://2130706433:${p}/x`],
    ["hex IPv4", (p) => `http://0x7f000001:${p}/x`],
    ["mixed hex IPv4", (p) => `http://0x7f.1:${p}/x`],
    ["short IPv4", (p) => `http://127.1:${p}/x`],
    ["octal IPv4", (p) => `http://0177.0.0.1:${p}/x`],
    ["percent-encoded host", (p) => `http://127.0.0.%31:${p}/x`],
    ["trailing dot", (p) => `http://127.0.0.1.:${p}/x`],
    ["upper-case scheme", (p) => `HTTP://127.0.0.1:${p}/x`],
    ["credentials", (p) => `http://user:pass@127.0.0.1:${p}/x`],
    ["IPv6 loopback", (p) => `http://[::1]:${p}/x`, "[::1]"],
    ["IPv4-mapped IPv6", (p) => `http://[::ffff:127.0.0.1]:${p}/x`, "[::ffff:7f00:1]"],
  ];
  for (const [name, location, host = "127.0.0.1"] of forms) {
    test(`a Location written as ${name} is normalized before the check`, async () => {
      const error = await hostFetch(
        { url: redirect(302, location(forbidden.port)) },
        { permissions: only(), api: "fetch()" },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermissionDenied);
      expect((error as Error).message).toContain(`"${host}:${forbidden.port}"`);
      expect(forbidden.requests).toEqual([]);
    });
  }

  test("an odd spelling of the allowed server is followed to it, and the result names the normalized URL", async () => {
    const result = await hostFetch(
      { url: redirect(302, `http://0x7f.0.0.1:${allowed.port}/landed`) },
      { permissions: only(), api: "fetch()" },
    );
    expect(result).toMatchObject({ kind: "response", url: `${allowed.origin}/landed`, redirected: true });
    expect(await text(result)).toBe("ok GET /landed");
  });

  test("allowed → forbidden → allowed stops at the forbidden hop", async () => {
    const back = `${forbidden.origin}/redirect?to=${encodeURIComponent(`${allowed.origin}/back`)}`;
    await expect(
      hostFetch(
        { url: redirect(307, back), method: "POST", body: new Uint8Array([1]) },
        { permissions: only(), api: "fetch()" },
      ),
    ).rejects.toThrow(PermissionDenied);
    expect(allowed.requests.map((r) => r.url)).toEqual([
      new URL(redirect(307, back)).pathname + new URL(redirect(307, back)).search,
    ]);
    expect(forbidden.requests).toEqual([]);
  });

  test('redirect: "manual" returns an opaque redirect and contacts nothing else', async () => {
    const result = await hostFetch(
      { url: redirect(301, `${forbidden.origin}/x`), redirect: "manual" },
      { permissions: only(), api: "fetch()" },
    );
    expect(result).toEqual({ kind: "opaqueredirect", url: redirect(301, `${forbidden.origin}/x`), redirected: false });
    expect(allowed.requests).toHaveLength(1);
    expect(forbidden.requests).toEqual([]);
  });

  test('redirect: "error" is a TypeError, also to an allowed target', async () => {
    for (const to of [`${forbidden.origin}/x`, `${allowed.origin}/x`]) {
      await expect(
        hostFetch({ url: redirect(308, to), redirect: "error" }, { permissions: only(), api: "fetch()" }),
      ).rejects.toThrow(/redirected and the request's redirect mode is "error"/);
    }
    expect(allowed.requests).toHaveLength(2);
    expect(forbidden.requests).toEqual([]);
  });

  test("the prompt is asked about the redirect's target before anything is sent there", async () => {
    const asked: { request: PermissionRequest; forbiddenHadSeen: number }[] = [];
    const prompt = (answer: boolean) => (request: PermissionRequest) => {
      asked.push({ request, forbiddenHadSeen: forbidden.requests.length });
      return answer;
    };
    const denied = await hostFetch(
      { url: redirect(307, `${forbidden.origin}/post`), method: "POST", body: new Uint8Array([7]) },
      { permissions: only({ prompt: prompt(false) }), api: "fetch()" },
    ).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(PermissionDenied);
    expect(forbidden.requests).toEqual([]);
    const granted = await hostFetch(
      { url: redirect(307, `${forbidden.origin}/post`), method: "POST", body: new TextEncoder().encode("yes") },
      { permissions: only({ prompt: prompt(true) }), api: "fetch()" },
    );
    expect(await text(granted)).toBe("ok POST /post");
    expect(forbidden.requests).toMatchObject([{ method: "POST", body: "yes" }]);
    expect(asked).toEqual([
      { request: { kind: "net", target: `127.0.0.1:${forbidden.port}`, api: "fetch()" }, forbiddenHadSeen: 0 },
      { request: { kind: "net", target: `127.0.0.1:${forbidden.port}`, api: "fetch()" }, forbiddenHadSeen: 0 },
    ]);
  });

  test("303 turns a POST into a body-less GET; leaving the origin drops credentials", async () => {
    const net = new Permissions({ net: ["127.0.0.1"] });
    const result = await hostFetch(
      {
        url: redirect(303, `${forbidden.origin}/next`),
        method: "POST",
        body: new TextEncoder().encode("body"),
        headers: [
          ["content-type", "text/plain"],
          ["authorization", "Bearer t"],
          ["x-kept", "1"],
        ],
      },
      { permissions: net, api: "fetch()" },
    );
    expect(await text(result)).toBe("ok GET /next");
    const [hop] = forbidden.requests;
    expect(hop).toMatchObject({ method: "GET", body: "" });
    expect(hop?.headers).toMatchObject({ "x-kept": "1" });
    expect(hop?.headers).not.toHaveProperty("authorization");
    expect(hop?.headers).not.toHaveProperty("content-type");
  });

  test("a redirect loop stops at maxRedirects; a redirect to another scheme is refused", async () => {
    const loop = `${allowed.origin}/loop`;
    await expect(hostFetch({ url: loop }, { permissions: only(), api: "fetch()", maxRedirects: 3 })).rejects.toThrow(
      /too many redirects \(more than 3\)/,
    );
    expect(allowed.requests).toHaveLength(4);
    for (const to of ["file:///etc/passwd", "data:text/plain,x", "javascript:1"]) {
      await expect(hostFetch({ url: redirect(302, to) }, { permissions: only(), api: "fetch()" })).rejects.toThrow(
        /the URL scheme ".+:" is not allowed here/,
      );
    }
  });

  test("an abort while the prompt is open ends the request before it is sent", async () => {
    const controller = new AbortController();
    const permissions = new Permissions({ prompt: () => new Promise<boolean>(() => {}) });
    const pending = hostFetch(
      { url: `${forbidden.origin}/x`, signal: controller.signal },
      { permissions, api: "fetch()" },
    );
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
    expect(forbidden.requests).toEqual([]);
  });
});

describe("hostFetch where the host hides redirects (a browser)", () => {
  /** A browser's answer to `redirect: "manual"`: an opaque redirect, target unseen. */
  const opaque = (async () =>
    ({
      type: "opaqueredirect",
      status: 0,
      url: "",
      headers: new Headers(),
      body: null,
    }) as unknown as Response) as typeof fetch;

  test("a redirect is refused with a TypeError naming the allowlist and the policy", async () => {
    const error = await hostFetch(
      { url: `${allowed.origin}/r` },
      { permissions: only(), api: "fetch()", fetch: opaque },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain(
      `redirects are not followed in a browser unless permissions.net is true`,
    );
    expect((error as Error).message).toContain(`["127.0.0.1:${allowed.port}"]`);
  });

  test('"manual" still gives an opaque redirect and "error" a TypeError', async () => {
    const policy = { permissions: only(), api: "fetch()", fetch: opaque };
    expect(await hostFetch({ url: `${allowed.origin}/r`, redirect: "manual" }, policy)).toMatchObject({
      kind: "opaqueredirect",
    });
    await expect(hostFetch({ url: `${allowed.origin}/r`, redirect: "error" }, policy)).rejects.toThrow(
      /redirect mode is "error"/,
    );
  });

  test('the host is only ever asked with redirect: "manual" unless net is true', async () => {
    const modes: (string | undefined)[] = [];
    const spy = (async (_input: unknown, init?: RequestInit) => {
      modes.push(init?.redirect);
      return new Response("x");
    }) as typeof fetch;
    await hostFetch({ url: `${allowed.origin}/a` }, { permissions: only(), api: "fetch()", fetch: spy });
    await hostFetch(
      { url: `${allowed.origin}/a` },
      { permissions: new Permissions({ net: true }), api: "fetch()", fetch: spy, schemes: ["http:"] },
    );
    // In Node redirects are visible, so even net: true follows hop by hop.
    expect(modes).toEqual(["manual", "manual"]);
  });
});
