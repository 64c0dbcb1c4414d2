/**
 * TSX in the playground: unless a file brings its own `h`, JSX compiles to
 * calls of this tiny `h()`, which builds plain objects, so `console.log`
 * shows the tree. The module is handed to the sandbox as one more file.
 */
export const JSX_MODULE = "__islet_jsx.ts";

export const JSX_SOURCE = `export interface JsxElement { type: string; props: Record<string, unknown>; children: unknown[] }
export function h(type: string | ((props: Record<string, unknown>) => unknown), props: Record<string, unknown> | null, ...children: unknown[]): unknown {
  const flat = children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false && c !== true);
  if (typeof type === "function") return type({ ...(props ?? {}), children: flat });
  return { type, props: props ?? {}, children: flat };
}
export function Fragment(props: { children?: unknown[] }): unknown[] {
  return props.children ?? [];
}
`;

/** Types the editor needs for files that use the default `h` without importing it. */
export const JSX_DTS = `
declare namespace JSX {
  type Element = unknown;
  interface IntrinsicElements { [name: string]: Record<string, unknown> }
  interface ElementChildrenAttribute { children: {} }
}
declare function h(type: unknown, props: Record<string, unknown> | null, ...children: unknown[]): unknown;
declare function Fragment(props: { children?: unknown[] }): unknown[];
`;

/** The import a `.tsx`/`.jsx` file gets, on its first line (no line moves). */
export const JSX_IMPORT = `import { h, Fragment } from "./${JSX_MODULE}"; `;
