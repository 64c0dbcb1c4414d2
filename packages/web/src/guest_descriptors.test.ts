/**
 * Every property-descriptor literal in guest code (the platform's JS that runs
 * in the sandbox, in the same realm as user code) has a null prototype.
 *
 * Invariant: a descriptor literal `{ value: v }` inherits from Object.prototype
 * unless written `{ __proto__: null, value: v }`; once guest code sets
 * `Object.prototype.get = f`, the inherited `get` turns every such descriptor
 * into an invalid one and `defineProperty` throws — `new DOMException()` and
 * `AbortController.prototype.abort` broke that way. This test parses each
 * guest source and fails on any descriptor literal that is not null-prototype.
 */
import { readdirSync } from "node:fs";
import ts from "typescript";
import { describe, expect, test } from "vitest";

/** Every exported guest source string (an export named *_SOURCE) in core's and web's js folders, by "file#EXPORT". */
async function guestSources(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const dir of [new URL("../../core/src/js/", import.meta.url), new URL("./js/", import.meta.url)]) {
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith(".ts") || file.endsWith(".test.ts")) continue;
      const mod = (await import(new URL(file, dir).href)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (typeof value === "string" && name.endsWith("_SOURCE")) out.set(`${file}#${name}`, value);
      }
    }
  }
  return out;
}

const DEFINE_ONE = new Set(["ObjectDefineProperty", "defineProperty", "ReflectDefineProperty"]);
const DEFINE_MANY = new Set(["ObjectDefineProperties", "defineProperties", "ObjectCreate"]);

function calleeName(call: ts.CallExpression): string | undefined {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) {
    // Object.create / Object.defineProperty / Reflect.defineProperty spelled out.
    if (e.name.text === "create")
      return ts.isIdentifier(e.expression) && e.expression.text === "Object" ? "ObjectCreate" : undefined;
    return e.name.text;
  }
  return undefined;
}

function isNullProto(literal: ts.ObjectLiteralExpression): boolean {
  return literal.properties.some(
    (p) =>
      ts.isPropertyAssignment(p) &&
      (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
      p.name.text === "__proto__" &&
      p.initializer.kind === ts.SyntaxKind.NullKeyword,
  );
}

/** Descriptor literals that inherit from Object.prototype, as "line: text", and how many calls were checked. */
function scan(source: string): { bad: string[]; checked: number } {
  const file = ts.createSourceFile("guest.js", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const bad: string[] = [];
  let checked = 0;
  const report = (node: ts.Node) => {
    const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
    bad.push(`${line + 1}: ${node.getText(file).slice(0, 80)}`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      if (name !== undefined && DEFINE_ONE.has(name)) {
        checked++;
        const d = node.arguments[2];
        if (d !== undefined && ts.isObjectLiteralExpression(d) && !isNullProto(d)) report(d);
      } else if (name !== undefined && DEFINE_MANY.has(name)) {
        checked++;
        const map = node.arguments[1];
        if (map !== undefined && ts.isObjectLiteralExpression(map)) {
          for (const p of map.properties) {
            if (
              ts.isPropertyAssignment(p) &&
              ts.isObjectLiteralExpression(p.initializer) &&
              !isNullProto(p.initializer)
            ) {
              report(p.initializer);
            }
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { bad, checked };
}

describe("guest descriptor literals", () => {
  test("the scanner flags an inheriting descriptor and accepts a null-prototype one", () => {
    const sample = `ObjectDefineProperty(o, "a", { value: 1 });
      Object.defineProperty(o, "b", { __proto__: null, value: 2 });
      primordials.ObjectDefineProperties(o, { c: { get() {} }, d: { __proto__: null, value: 3 } });
      Object.create(p, { e: { value: 4 } });`;
    const { bad, checked } = scan(sample);
    expect(checked).toBe(4);
    expect(bad).toEqual(["1: { value: 1 }", "3: { get() {} }", "4: { value: 4 }"]);
  });

  test("every descriptor literal in core and web guest code is null-prototype", async () => {
    const sources = await guestSources();
    expect(sources.size).toBeGreaterThan(14);
    let checked = 0;
    const bad: string[] = [];
    for (const [name, source] of sources) {
      const r = scan(source);
      checked += r.checked;
      for (const b of r.bad) bad.push(`${name}:${b}`);
    }
    expect(bad).toEqual([]);
    // The scan really looked at the platform's defineProperty calls.
    expect(checked).toBeGreaterThan(60);
  });
});
