/**
 * Loop metering: an edit to the QuickJS wasm binary so that no loop inside
 * the engine can outrun the host's limits.
 *
 * QuickJS asks its interrupt handler (the CPU and wall-clock limits) only
 * between bytecodes. A built-in that loops in C without running guest code —
 * `Array.prototype.join` over a sparse array of length 2^32 − 1,
 * `indexOf` on `{ length: 2 ** 53 - 1 }` — never asks, and would hold the
 * host's thread for hours. So every `loop` in the module's code starts by
 * counting down a fuel global; when it reaches zero the loop calls the host
 * (through the function table), which refills the fuel or, when the call is
 * past its limit and QuickJS did not stop it, throws: the throw unwinds the
 * wasm stack, and the runtime, whose C state it leaves half-updated, is
 * discarded.
 *
 * The edit only appends — a function type, two mutable globals (the fuel and
 * the table slot of the host function) and their exports — and inserts the
 * countdown after each `loop` instruction's block type, so no index in the
 * module moves. Function bodies are decoded instruction by instruction (wasm
 * 1.0 plus the extensions emscripten emits: sign extension, saturating
 * truncation, bulk memory, reference types, tail calls); an opcode it does not
 * know leaves the module unmetered rather than guessed at.
 */
import { concatBytes, leb, readLeb, rewriteSections } from "./wasm_binary.ts";
import { FUEL_EXPORT, FUEL_SLOT_EXPORT } from "./wasm_hooks.ts";

/** Why a body could not be decoded. */
class Undecodable extends Error {}

/** `i32.const 0x7fffffff`. */
const I32_MAX = [0x41, 0xff, 0xff, 0xff, 0xff, 0x07];

const VALTYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f]);

/** The offset after the LEB128 number (signed or not) at `p`. */
function skipLeb(code: Uint8Array, p: number): number {
  while ((code[p++] as number) & 0x80);
  return p;
}

/** Reads past one instruction's immediates; returns the offset after them. */
function skipImmediates(code: Uint8Array, op: number, at: number): number {
  if (op >= 0x45 && op <= 0xc4) return at; // numeric
  if (op >= 0x20 && op <= 0x26) return skipLeb(code, at); // locals, globals, tables
  if (op >= 0x28 && op <= 0x3e) return skipLeb(code, skipLeb(code, at)); // memarg: align, offset
  if (op === 0x41 || op === 0x42) return skipLeb(code, at);
  if (op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x19 || op === 0x1a || op === 0x1b) return at;
  if ((op >= 0x02 && op <= 0x04) || op === 0x06) {
    // block type: empty, a value type, or a type index (s33)
    const b = code[at] as number;
    return b === 0x40 || VALTYPES.has(b) ? at + 1 : skipLeb(code, at);
  }
  if ((op >= 0x07 && op <= 0x09) || op === 0x18) return skipLeb(code, at); // catch, throw, rethrow, delegate
  if (op === 0x0c || op === 0x0d || op === 0x10 || op === 0x12) return skipLeb(code, at);
  if (op === 0x0e) {
    const [n, len] = readLeb(code, at);
    let p = at + len;
    for (let i = 0; i <= n; i++) p = skipLeb(code, p);
    return p;
  }
  if (op === 0x11 || op === 0x13) return skipLeb(code, skipLeb(code, at));
  if (op === 0x1c) {
    const [n, len] = readLeb(code, at);
    return at + len + n;
  }
  if (op === 0x3f || op === 0x40) return skipLeb(code, at);
  if (op === 0x43) return at + 4;
  if (op === 0x44) return at + 8;
  if (op === 0xd0) return at + 1;
  if (op === 0xd1) return at;
  if (op === 0xd2) return skipLeb(code, at);
  if (op === 0xfc) {
    const [sub, len] = readLeb(code, at);
    const p = at + len;
    if (sub <= 7) return p;
    if (sub === 8 || sub === 10 || sub === 12 || sub === 14) return skipLeb(code, skipLeb(code, p));
    if (sub === 9 || sub === 11 || sub === 13 || (sub >= 15 && sub <= 17)) return skipLeb(code, p);
  }
  throw new Undecodable(`opcode 0x${op.toString(16)}`);
}

/** A `br_table` this wide is a switch over bytecodes: the loop around it is an interpreter's dispatch. */
const DISPATCH_TARGETS = 128;

/**
 * One function body (its bytes after the size) with the countdown after every
 * `loop` — except a dispatch loop ({@link DISPATCH_TARGETS}): QuickJS's
 * interpreter asks the interrupt handler at every backward jump and call, so
 * the loop that runs bytecodes needs no meter, and is the hottest one there
 * is. Every other loop is metered, leaf loops too: a leaf loop is bounded by
 * the heap, but one inside another (BigInt arithmetic, a naive substring
 * search) is quadratic in it.
 */
function meterBody(body: Uint8Array, countdown: Uint8Array): Uint8Array {
  let [groups, at] = readLeb(body, 0);
  for (; groups > 0; groups--) at = skipLeb(body, at) + 1; // count, type
  const starts: number[] = [];
  const skipped = new Set<number>();
  // The open blocks: for a loop, its index in `starts`; -1 for block, if, try.
  const open: number[] = [];
  while (at < body.length) {
    const op = body[at] as number;
    const next = skipImmediates(body, op, at + 1);
    if (op === 0x03) {
      open.push(starts.length);
      starts.push(next);
    } else if (op === 0x02 || op === 0x04 || op === 0x06) open.push(-1);
    else if (op === 0x0b) open.pop();
    else if (op === 0x0e && readLeb(body, at + 1)[0] >= DISPATCH_TARGETS) {
      const loop = open.findLast((i) => i >= 0);
      if (loop !== undefined) skipped.add(loop);
    }
    at = next;
  }
  if (at !== body.length) throw new Undecodable("a body ends inside an instruction");
  const metered = starts.filter((_, i) => !skipped.has(i));
  if (metered.length === 0) return body;
  const out = new Uint8Array(body.length + metered.length * countdown.length);
  let copied = 0;
  let written = 0;
  for (const p of metered) {
    out.set(body.subarray(copied, p), written);
    written += p - copied;
    out.set(countdown, written);
    written += countdown.length;
    copied = p;
  }
  out.set(body.subarray(copied), written);
  return out;
}

function countOf(body: Uint8Array | undefined): [count: number, rest: Uint8Array] {
  if (body === undefined) return [0, new Uint8Array(0)];
  const [n, len] = readLeb(body, 0);
  return [n, body.subarray(len)];
}

/** A vector section's contents: the new count, the old entries, the appended ones. */
const section = (count: number, rest: Uint8Array, extra: number[]): Uint8Array =>
  concatBytes([new Uint8Array(leb(count)), rest, new Uint8Array(extra)]);

/** Imported globals come first in the global index space. */
function importedGlobals(imports: Uint8Array | undefined): number {
  const [n, rest] = countOf(imports);
  let at = 0;
  let globals = 0;
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < 2; s++) {
      const [l, len] = readLeb(rest, at);
      at += len + l;
    }
    const kind = rest[at++] as number;
    if (kind === 0x00) at += readLeb(rest, at)[1];
    else if (kind === 0x01) {
      at++; // reftype
      const flags = rest[at++] as number;
      at += readLeb(rest, at)[1];
      if (flags & 1) at += readLeb(rest, at)[1];
    } else if (kind === 0x02) {
      const flags = rest[at++] as number;
      at += readLeb(rest, at)[1];
      if (flags & 1) at += readLeb(rest, at)[1];
    } else if (kind === 0x03) {
      at += 2;
      globals++;
    } else at += readLeb(rest, at)[1]; // tag
  }
  return globals;
}

const name = (s: string): number[] => {
  const bytes = [...new TextEncoder().encode(s)];
  return [...leb(bytes.length), ...bytes];
};

/**
 * Returns `bytes` with every loop metered (see the file header), or `bytes`
 * unchanged when it is already metered or its code holds an instruction this
 * decoder does not know.
 */
export function meterLoops(bytes: Uint8Array): Uint8Array {
  const steps = meterLoopsInSteps(bytes);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Function bodies metered between two pauses of {@link meterLoopsInSteps}. */
const BODIES_PER_STEP = 64;

/**
 * {@link meterLoops} in steps: the generator pauses every few dozen function
 * bodies and returns the result when done, so a page can spread the work
 * (for QuickJS, ~40 ms of CPU on a cold page) over several tasks.
 */
export function* meterLoopsInSteps(bytes: Uint8Array): Generator<void, Uint8Array, void> {
  const sections = new Map<number, Uint8Array>();
  rewriteSections(bytes, (id, body) => {
    if (id !== 0) sections.set(id, body);
    return undefined;
  });
  const exports = sections.get(7);
  if (exports === undefined || new TextDecoder().decode(exports).includes(FUEL_EXPORT)) return bytes;
  const [types] = countOf(sections.get(1));
  const [definedGlobals] = countOf(sections.get(6));
  const fuel = importedGlobals(sections.get(2)) + definedGlobals;
  const slot = fuel + 1;
  // fuel -= 1; if (fuel == 0) { if (slot) call_indirect (type () → ()) table 0 [slot]; else fuel = MAX }
  // biome-ignore format: a few instructions per line
  const countdown = new Uint8Array([
    0x23, ...leb(fuel), 0x41, 0x01, 0x6b, 0x24, ...leb(fuel),
    0x23, ...leb(fuel), 0x45, 0x04, 0x40,
    0x23, ...leb(slot), 0x04, 0x40,
    0x23, ...leb(slot), 0x11, ...leb(types), 0x00,
    0x05, ...I32_MAX, 0x24, ...leb(fuel),
    0x0b,
    0x0b,
  ]);
  let code: Uint8Array;
  try {
    const [n, rest] = countOf(sections.get(10));
    const bodies: Uint8Array[] = [];
    let at = 0;
    for (let i = 0; i < n; i++) {
      if (i % BODIES_PER_STEP === BODIES_PER_STEP - 1) yield;
      const [size, len] = readLeb(rest, at);
      const metered = meterBody(rest.subarray(at + len, at + len + size), countdown);
      bodies.push(new Uint8Array(leb(metered.length)), metered);
      at += len + size;
    }
    code = concatBytes([new Uint8Array(leb(n)), ...bodies]);
  } catch (error) {
    if (error instanceof Undecodable) return bytes;
    throw error;
  }
  return rewriteSections(bytes, (id, body) => {
    if (id === 1) return section(types + 1, countOf(body)[1], [0x60, 0x00, 0x00]);
    if (id === 6) {
      // Full fuel and no slot: until the host installs its function, an empty tank only refills.
      return section(definedGlobals + 2, countOf(body)[1], [
        0x7f,
        0x01,
        ...I32_MAX,
        0x0b,
        0x7f,
        0x01,
        0x41,
        0x00,
        0x0b,
      ]);
    }
    if (id === 7) {
      const [count, rest] = countOf(body);
      return section(count + 2, rest, [
        ...name(FUEL_EXPORT),
        0x03,
        ...leb(fuel),
        ...name(FUEL_SLOT_EXPORT),
        0x03,
        ...leb(slot),
      ]);
    }
    if (id === 10) return code;
    return undefined;
  });
}
