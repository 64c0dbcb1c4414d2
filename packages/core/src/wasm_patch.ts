/**
 * The edits to the QuickJS wasm binary before it is compiled
 * ({@link prepareQuickJSWasm}): export its function table as `__islet_table`
 * — with the table, the runtime can install QuickJS's promise-rejection
 * tracker (quickjs-emscripten 0.32 does not expose one), which is how
 * unhandled rejections are found the way Deno finds them — and meter its loops
 * (wasm_fuel.ts), so that no built-in can outrun the limits.
 */
import { leb, readLeb, rewriteSections } from "./wasm_binary.ts";
import { meterLoops, meterLoopsInSteps } from "./wasm_fuel.ts";
import { TABLE_EXPORT } from "./wasm_hooks.ts";

/** Returns a copy of `bytes` whose export section also exports table 0; unchanged if already patched. */
export function exportFunctionTable(bytes: Uint8Array): Uint8Array {
  const name = [...new TextEncoder().encode(TABLE_EXPORT)];
  let patched = false;
  let already = false;
  const result = rewriteSections(bytes, (id, body) => {
    if (id !== 7 || patched) return undefined;
    patched = true;
    const [count, countLength] = readLeb(body, 0);
    const entries = body.subarray(countLength);
    if (new TextDecoder().decode(entries).includes(TABLE_EXPORT)) {
      already = true;
      return undefined;
    }
    const extra = [...leb(name.length), ...name, 0x01, 0x00]; // kind table, index 0
    const content = leb(count + 1);
    const out = new Uint8Array(content.length + entries.length + extra.length);
    out.set(content, 0);
    out.set(entries, content.length);
    out.set(extra, content.length + entries.length);
    return out;
  });
  if (!patched) throw new Error("wasm patch: no export section");
  return already ? bytes : result;
}

/**
 * The bytes to compile for a QuickJS build: the variant's `.wasm` with its
 * function table exported and its loops metered. Pages that compile QuickJS
 * themselves compile these bytes; an unprepared module still works, without
 * unhandled-rejection tracking and without limits inside built-ins.
 */
export function prepareQuickJSWasm(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return meterLoops(exportFunctionTable(bytes)) as Uint8Array<ArrayBuffer>;
}

/** How long {@link prepareQuickJSWasmInSlices} works before it lets the thread do something else. */
const SLICE_MS = 8;

/**
 * {@link prepareQuickJSWasm} for a page's main thread: the same bytes, made in
 * slices of a few milliseconds with a task boundary between them, so the page
 * stays responsive (no long task) while its first sandbox starts.
 */
export async function prepareQuickJSWasmInSlices(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const steps = meterLoopsInSteps(exportFunctionTable(bytes));
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value as Uint8Array<ArrayBuffer>;
    if (performance.now() - sliceStart >= SLICE_MS) {
      await nextTask();
      sliceStart = performance.now();
    }
  }
}

/** Resolves in a later task (not a microtask): `scheduler.yield()` where there is one, else a timer. */
function nextTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === "function") return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}
