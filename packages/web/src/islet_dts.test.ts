import { JsRuntime } from "@islet/core";
import { expect, test } from "vitest";
import { ISLET_GLOBALS_DTS, web } from "./index.ts";

test("islet.d.ts declares every global the web extensions define", async () => {
  const plain = await JsRuntime.create({});
  const rt = await JsRuntime.create({ extensions: web() });
  try {
    const list = "Reflect.ownKeys(globalThis).filter((k) => typeof k === 'string')";
    const before = new Set(plain.executeScript("a.js", list) as string[]);
    const added = (rt.executeScript("a.js", list) as string[]).filter((k) => !before.has(k));
    expect(added.length).toBeGreaterThan(30);
    const missing = added.filter((name) => !new RegExp(`declare (var|function) ${name}\\b`).test(ISLET_GLOBALS_DTS));
    expect(missing).toEqual([]);
  } finally {
    rt.dispose();
    plain.dispose();
  }
}, 60_000);

test("islet.d.ts type-checks against lib.es2024 alone, and types real sandbox code", async () => {
  const ts = (await import("typescript")).default;
  const files: Record<string, string> = {
    "/islet.d.ts": ISLET_GLOBALS_DTS,
    "/use.ts": `const u = new URL("http://a"); const q: string | null = u.searchParams.get("x");
      const id: number = setTimeout((a: number) => a, 1, 2); clearTimeout(id);
      addEventListener("error", (e) => e.preventDefault());
      const c = new AbortController(); const any: AbortSignal = AbortSignal.any([c.signal, AbortSignal.timeout(5)]);
      const bytes: Uint8Array = crypto.getRandomValues(new Uint8Array(4));
      const digest: Promise<ArrayBuffer> = crypto.subtle.digest("SHA-256", bytes);
      console.log(q, any, digest, structuredClone({ a: 1 }).a, new TextDecoder().decode(new TextEncoder().encode("x")), performance.now(), navigator.userAgent);
      fetch("http://h", { method: "POST", body: "x", headers: { a: "b" } }).then((r) => r.json() as Promise<{ ok: boolean }>);
      const body: ReadableStream<Uint8Array> | null = new Response(new Blob(["x"])).body;
      (async () => { if (body) for await (const chunk of body) console.log(chunk.byteLength); })();
      const reader = new ReadableStream<string>({ start(c) { c.enqueue("a"); c.close(); } }).getReader();
      reader.read().then((r) => (r.done ? 0 : r.value.length));
      const upper = new TransformStream<string, string>({ transform(chunk, c) { c.enqueue(chunk.toUpperCase()); } });
      const done: Promise<void> = ReadableStream.from(["a"]).pipeThrough(upper).pipeTo(new WritableStream<string>({ write(s) { console.log(s.length); } }), { preventClose: true });
      const gz: ReadableStream<Uint8Array> = ReadableStream.from(["x"]).pipeThrough(new TextEncoderStream()).pipeThrough(new CompressionStream("gzip"));
      gz.pipeThrough(new DecompressionStream("gzip")).pipeThrough(new TextDecoderStream("utf-8", { fatal: true })).pipeTo(new WritableStream<string>());
      const byteSource: ReadableStream<Uint8Array> = new ReadableStream({ type: "bytes", autoAllocateChunkSize: 1024, pull(c) { const v = c.byobRequest?.view; if (v) c.byobRequest?.respond(v.byteLength); else c.enqueue(new Uint8Array(1)); } });
      const byob: ReadableStreamBYOBReader = byteSource.getReader({ mode: "byob" });
      byob.read(new Uint16Array(4), { min: 1 }).then((r) => (r.done ? r.value?.length : r.value.length));
      new Blob(["x"]).stream().getReader({ mode: "byob" }).read(new DataView(new ArrayBuffer(2))).then((r) => r.value?.getUint8(0));
      const { port1, port2 } = new MessageChannel();
      port2.onmessage = (e: MessageEvent<{ n: number }>) => console.log(e.data.n, e.ports.length);
      port1.postMessage({ n: 1 }, [new ArrayBuffer(1)]);
      onunhandledrejection = (e) => e.preventDefault();`,
  };
  const options = { lib: ["lib.es2024.d.ts"], strict: true, types: [], noEmit: true };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (f) => files[f] ?? read(f);
  host.fileExists = (f) => f in files || ts.sys.fileExists(f);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (f, v) =>
    files[f] !== undefined ? ts.createSourceFile(f, files[f] as string, v) : getSourceFile(f, v);
  const program = ts.createProgram(Object.keys(files), options, host);
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  expect(diagnostics).toEqual([]);
}, 60_000);
