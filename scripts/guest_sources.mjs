// The guest JavaScript that @islet/core and @islet/web embed as strings (packages/*/src/js/*.ts:
// `export const X_SOURCE = String.raw`…`` for extension modules, `/* js */ `(function …)``
// for core's bootstrap functions), minified at build time: what QuickJS evaluates in every
// sandbox is the largest part of the worker script. The sources stay as written in the repository,
// in Node (tsc's dist/) and in the unit tests; the browser bundles minify (scripts/build-packages.mjs's
// standalone worker, which the packed @islet/worker also starts, and the e2e harness's worker).
//
// What minifying keeps (the `unit-minified` Vitest project runs web's tests over the minified
// sources; packages/web/src/guest_errors.test.ts checks errors, stacks and names):
// - every name a program can see: functions and classes keep their `name` (keepNames), the
//   properties, methods, exports and error messages are strings and property keys, never touched;
// - the file a stack trace names (`ext:islet_url/11_url.js`): the specifier is the host's, not in
//   the source. Line numbers are not kept: a minified module is one line (or a few, where a
//   string literal became a template holding a newline), so a frame inside an ext: module reads
//   `ext:islet_url/11_url.js:1:<column>` (the function name still says where).
// Compression (`compress`) is off: it rewrites statements under assumptions (no getter has side
// effects, globals are the real ones) that hostile guest code may break, and saved 1 KB gzip;
// whitespace, comments and local names (mangling) are all that is removed, in every source
// (a template with substitutions too: minifyGuestSourceFile).
import { minifySync, parseSync } from "rolldown/utils";

/** Files whose template literals are guest sources. */
export const GUEST_SOURCE_FILE = /[\\/]packages[\\/](?:core|web)[\\/]src[\\/]js[\\/]\d\d_[a-z0-9_]+\.ts$/;

const HOLE = "__islet_hole_";

/** Minifies one guest source: an ES module, or (`expression`) a function expression. */
export function minifyGuestSource(source, { expression = false, where = "guest source" } = {}) {
  // A function expression is minified as a module's default export, so nothing drops it as unused.
  const input = expression ? `export default (${source}\n);` : source;
  const result = minifySync(`${where}.js`, input, {
    module: true,
    compress: false,
    mangle: { toplevel: true, keepNames: true },
    codegen: { removeWhitespace: true },
  });
  if (result.errors.length > 0)
    throw new Error(`${where}: cannot minify: ${result.errors.map((e) => e.message).join("; ")}`);
  let code = result.code.trim();
  if (expression) {
    const head = /^export default\s*/.exec(code);
    if (head === null || !code.endsWith(";")) throw new Error(`${where}: unexpected minified shape`);
    code = code.slice(head[0].length, -1);
  }
  return code;
}

function* nodesOf(node) {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const child of node) yield* nodesOf(child);
    return;
  }
  if (typeof node.type === "string") yield node;
  for (const [key, value] of Object.entries(node)) if (key !== "parent") yield* nodesOf(value);
}

const isStringRaw = (tag) =>
  tag?.type === "MemberExpression" &&
  !tag.computed &&
  tag.object?.type === "Identifier" &&
  tag.object.name === "String" &&
  tag.property?.name === "raw";

/**
 * `code` (a guest-source file) with each guest source replaced by its minified text. A
 * `String.raw` template's value is its raw text; a `/* js *\/` template's, its cooked text. A
 * template with substitutions (core's generated object makers, the console's handle cap) keeps
 * them: each `${…}` is an identifier no source declares (`__islet_hole_<n>__`) while minifying,
 * which the mangler leaves alone as a free name, and a `+` of the same expression after; each
 * placeholder must come out exactly once, in order, or the build fails. The inserted text is
 * code the minifier never saw: it may declare names of its own (core's `objectOf<n>`, which a
 * later substitution names), never refer to a name the template declares (those are mangled).
 */
export function minifyGuestSourceFile(code, id) {
  const { program, comments, errors } = parseSync(id, code, { lang: "ts", sourceType: "module" });
  if (errors.length > 0) throw new Error(`${id}: ${errors[0].message}`);
  const edits = [];
  for (const node of nodesOf(program)) {
    let template;
    let raw;
    if (node.type === "TaggedTemplateExpression" && isStringRaw(node.tag)) {
      template = node.quasi;
      raw = true;
    } else if (
      node.type === "TemplateLiteral" &&
      comments.some(
        (c) => c.value.trim() === "js" && c.end <= node.start && /^\s*$/.test(code.slice(c.end, node.start)),
      )
    ) {
      template = node;
      raw = false;
    } else continue;
    const target = raw ? node : template;
    const quasis = template.quasis.map((q) => (raw ? q.value.raw : q.value.cooked));
    const holes = template.expressions.map((e) => code.slice(e.start, e.end));
    const where = `${id.replace(/.*[\\/]packages[\\/]/, "")}:${code.slice(0, target.start).split("\n").length}`;
    if (quasis.some((q) => q.includes(HOLE)))
      throw new Error(`${where}: the source spells ${HOLE}, the placeholder name`);
    const source = quasis.reduce((all, q, i) => (i === 0 ? q : `${all}${HOLE}${i - 1}__${q}`), "");
    const minified = minifyGuestSource(source, { expression: source.trimStart().startsWith("(function"), where });
    const parts = minified.split(new RegExp(`${HOLE}(\\d+)__`));
    if (parts.length !== holes.length * 2 + 1 || parts.some((p, i) => i % 2 === 1 && Number(p) !== (i - 1) / 2))
      throw new Error(`${where}: a substitution was lost or moved while minifying`);
    const pieces = parts.map((p, i) => (i % 2 === 0 ? JSON.stringify(p) : `String(${holes[(i - 1) / 2]})`));
    edits.push({ start: target.start, end: target.end, text: `(${pieces.join(" + ")})` });
  }
  if (edits.length === 0) return null;
  let out = code;
  for (const { start, end, text } of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, start) + text + out.slice(end);
  return out;
}

/** A rolldown (and Vite) plugin: minifies the guest sources of the modules it bundles. */
export function minifyGuestSources() {
  return {
    name: "islet-minify-guest-sources",
    // Before Vite's own TypeScript transform, which drops the `/* js */` comments that mark
    // core's bootstrap sources.
    enforce: "pre",
    transform(code, id) {
      if (!GUEST_SOURCE_FILE.test(id)) return null;
      const out = minifyGuestSourceFile(code, id);
      return out === null ? null : { code: out, map: null };
    },
  };
}
