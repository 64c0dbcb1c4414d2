/**
 * Reading and rewriting a WebAssembly binary at the level of its sections:
 * what the load-time edits to the QuickJS module (wasm_patch.ts, wasm_fuel.ts)
 * share.
 */

/** An unsigned LEB128 number at `offset`: its value and how many bytes it takes. */
export function readLeb(bytes: Uint8Array, offset: number): [value: number, length: number] {
  let value = 0;
  let shift = 0;
  let length = 0;
  for (;;) {
    const byte = bytes[offset + length];
    if (byte === undefined) throw new Error("wasm patch: truncated LEB128");
    value += (byte & 0x7f) * 2 ** shift;
    length++;
    if ((byte & 0x80) === 0) return [value, length];
    shift += 7;
    if (length > 5) throw new Error("wasm patch: malformed LEB128");
  }
}

/** `value` as unsigned LEB128. */
export function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/**
 * A copy of the module in which each section `edit` returns new contents for
 * (the bytes after the section's size) is replaced; the others are kept as
 * they are, in order.
 */
export function rewriteSections(
  bytes: Uint8Array,
  edit: (id: number, contents: Uint8Array) => Uint8Array | undefined,
): Uint8Array {
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new Error("wasm patch: not a WebAssembly binary");
  }
  const out: (Uint8Array | number[])[] = [bytes.subarray(0, 8)];
  let offset = 8;
  while (offset < bytes.length) {
    const id = bytes[offset] as number;
    const [size, sizeLength] = readLeb(bytes, offset + 1);
    const start = offset + 1 + sizeLength;
    const end = start + size;
    if (end > bytes.length) throw new Error("wasm patch: a section runs past the end of the module");
    const replaced = edit(id, bytes.subarray(start, end));
    if (replaced === undefined) out.push(bytes.subarray(offset, end));
    else out.push([id, ...leb(replaced.length)], replaced);
    offset = end;
  }
  return concatBytes(out);
}

/** The parts, one after another, in one new array. */
export function concatBytes(parts: readonly (Uint8Array | number[])[]): Uint8Array {
  const result = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    result.set(p, at);
    at += p.length;
  }
  return result;
}

/** A module (version 1) from its sections' ids and contents; each section's size is filled in. */
export function wasmModule(...sections: [id: number, contents: readonly number[]][]): Uint8Array<ArrayBuffer> {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  return new Uint8Array([
    ...header,
    ...sections.flatMap(([id, contents]) => [id, ...leb(contents.length), ...contents]),
  ]);
}
