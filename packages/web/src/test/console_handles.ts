import { JsRuntime } from "@islet/core";
import { expect } from "vitest";
import { type ConsoleValue, web } from "../index.ts";

/** The value of `v`'s entry `key`. */
export const entry = (v: ConsoleValue, key: string): ConsoleValue | undefined =>
  v.entries?.find((e) => e.key === key)?.value;

/** Follows `key` down from `v` while the preview has it; the node where it stops. */
export function descend(v: ConsoleValue, key: string): ConsoleValue {
  let n = v;
  for (let next = entry(n, key); next !== undefined; next = entry(n, key)) n = next;
  return n;
}

/**
 * A runtime without an output budget where `count` logs each keep one object
 * (the 7th level of a chain): the handle of each log, in order.
 */
export async function logMany(
  count: number,
): Promise<{ runtime: JsRuntime; at: (i: number) => string; length: number }> {
  const handles: string[] = [];
  const runtime = await JsRuntime.create({
    extensions: web({
      console: {
        maxBytes: Number.POSITIVE_INFINITY,
        maxLines: Number.POSITIVE_INFINITY,
        sink: (e) => handles.push(descend(e.values![0]!, "o").handle!),
      },
    }),
  });
  runtime.executeScript(
    "many.js",
    `for (let i = 0; i < ${count}; i++) { let o = { i }; for (let d = 0; d < 6; d++) o = { o }; console.log(o); }`,
  );
  expect(handles).toHaveLength(count);
  return { runtime, at: (i) => handles[i]!, length: handles.length };
}
