/**
 * TypeScript and JSX stripped by sucrase, for modules/graph.ts (which caches
 * the output). Loaded on the first `.ts`/`.tsx`/`.jsx` module (in the worker's
 * bundle, with sucrase's chunk): a plain JavaScript program never loads it.
 */
import { transform } from "sucrase";
import type { JsxOptions } from "./graph.ts";

/** `source` without its types (and, for tsx/jsx, with JSX compiled); a SyntaxError names `url`, line and column. */
export function transpile(
  url: string,
  source: string,
  type: "ts" | "tsx" | "jsx",
  jsx: JsxOptions | undefined,
): string {
  const transforms: ("typescript" | "jsx")[] =
    type === "ts" ? ["typescript"] : type === "tsx" ? ["typescript", "jsx"] : ["jsx"];
  try {
    return transform(source, {
      transforms,
      disableESTransforms: true,
      filePath: url,
      ...(jsx?.factory ? { jsxPragma: jsx.factory } : {}),
      ...(jsx?.fragment ? { jsxFragmentPragma: jsx.fragment } : {}),
    }).code;
  } catch (error) {
    // sucrase reports "message (line:column)"; make it name the file.
    const message = (error as Error).message;
    const at = /\((\d+):(\d+)\)\s*$/.exec(message);
    const where = at ? `${url}:${at[1]}:${Number(at[2]) + 1}` : url;
    throw new SyntaxError(`${message.replace(/\s*\(\d+:\d+\)\s*$/, "")} at ${where}`);
  }
}
