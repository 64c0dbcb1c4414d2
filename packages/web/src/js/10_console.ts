/**
 * console and a Node-style `inspect` (WHATWG Console §2 "Logger", "Formatter").
 * Each call formats its text in the guest and sends one entry to the host sink
 * through `op_console_write`; once the host's output budget is spent the op
 * says so and later calls return without formatting anything until the host
 * starts a new budget (`op_console_spent` turns false again).
 * Objects whose preview was cut off are kept (bounded) so the host can read
 * them later by handle (`inspectHandle`, exposed to the host with
 * `core.exposeToHost`; see "handles" below).
 */
/** How many logged objects the console keeps for inspection at once (console.ts: inspectConsoleValue). */
export const MAX_CONSOLE_HANDLES = 10_000;

export const CONSOLE_SOURCE = String.raw`
import { core, primordials } from "ext:core/mod.js";
import { op_class_id, op_console_spent, op_console_write, op_perf_now, op_promise_result, op_promise_state } from "ext:core/ops";
const {
  ArrayIsArray, ArrayPrototypeJoin, ArrayPrototypePush, DatePrototypeGetTime, DatePrototypeToISOString, Error,
  FunctionPrototypeToString, JSONStringify, MapPrototypeGetSize, MapPrototypeForEach, MathMax, NumberIsNaN, NumberParseFloat,
  NumberParseInt, ObjectGetOwnPropertyDescriptor, ObjectGetOwnPropertySymbols, ObjectGetPrototypeOf, ObjectKeys,
  ObjectPrototypeHasOwnProperty, ObjectPrototypeToString, ObjectIs, RegExpPrototypeToString, SafeMap, SafeSet, SetPrototypeForEach,
  SetPrototypeGetSize, String, StringPrototypeIncludes, StringPrototypeRepeat, StringPrototypeReplace, StringPrototypeSlice,
  StringPrototypeSplit, SymbolPrototypeToString, TypedArrayPrototypeGetLength, TypedArrayPrototypeGetSymbolToStringTag,
  ArrayBufferPrototypeGetByteLength, Uint8Array, MapPrototypeGet, MapPrototypeSet, MapPrototypeDelete, MapPrototypeHas,
  NumberPrototypeToFixed, StringPrototypeCharCodeAt, StringPrototypePadStart, ArrayPrototypeMap, ArrayPrototypeIncludes,
} = primordials;
const RegExpTest = primordials.SafeRegExpTest;
const { isArrayBuffer, isBigIntObject, isBooleanObject, isDate, isMap, isNumberObject, isRegExp, isSet, isStringObject, isSymbolObject, typedArrayName } = primordials;
// Splits on a one-character string separator without String.prototype.split (which asks the separator for Symbol.split).
function splitOn(s, sep) {
  const out = [];
  let from = 0;
  for (;;) {
    const at = primordials.StringPrototypeIndexOf(s, sep, from);
    if (at < 0) { ArrayPrototypePush(out, StringPrototypeSlice(s, from)); return out; }
    ArrayPrototypePush(out, StringPrototypeSlice(s, from, at));
    from = at + 1;
  }
}
// A Proxy is told by its QuickJS class id (op_class_id reads it from memory): asking it
// anything else — its keys, descriptors, prototype, Symbol.toStringTag — would run its
// handler's traps, that is guest code. So a Proxy is shown as a leaf and never read.
const PROXY_CLASS = op_class_id(new Proxy({}, {}));
if (op_class_id(new Proxy([], {})) !== PROXY_CLASS || op_class_id({}) === PROXY_CLASS || op_class_id({}) === op_class_id([]))
  throw new Error("islet_console: cannot tell a Proxy by its class id (QuickJS's object layout is not the one op_class_id reads)");
function isProxy(v) { return op_class_id(v) === PROXY_CLASS; }
function proxyText(v) {
  if (typeof v === "function") return "Proxy [Function]";
  // IsArray looks through to the target without a trap; a revoked Proxy throws.
  try { return ArrayIsArray(v) ? "Proxy [Array]" : "Proxy [Object]"; } catch { return "Proxy [revoked]"; }
}
// A property as a data property of obj or of a prototype, read without running a getter or
// a Proxy trap: its value, or BLOCKED when the lookup meets an accessor or a Proxy first.
const BLOCKED = { __proto__: null };
const SymbolToStringTag = Symbol.toStringTag;
// The prototypes most lookups end in are the realm's own, never a Proxy: no op call for them.
const { ObjectPrototype, FunctionPrototype, ArrayPrototype, ErrorPrototype } = primordials;
function mayBeProxy(o) {
  return o !== ObjectPrototype && o !== FunctionPrototype && o !== ArrayPrototype && o !== ErrorPrototype && isProxy(o);
}
// obj itself is no Proxy (every caller checked); a prototype may be one.
function dataProperty(obj, key) {
  for (let o = obj; ; ) {
    const d = ObjectGetOwnPropertyDescriptor(o, key);
    if (d !== undefined) return ObjectPrototypeHasOwnProperty(d, "value") ? d.value : BLOCKED;
    o = ObjectGetPrototypeOf(o);
    if (o === null) return undefined;
    if (mayBeProxy(o)) return BLOCKED;
  }
}
// Whether proto is on obj's prototype chain (obj is no Proxy), without a getPrototypeOf trap:
// a Proxy on the chain ends the walk.
function inheritsFrom(obj, proto) {
  for (let o = ObjectGetPrototypeOf(obj); o !== null; o = ObjectGetPrototypeOf(o)) {
    if (o === proto) return true;
    if (mayBeProxy(o)) return false;
  }
  return false;
}
// Object.prototype.toString asks the value for Symbol.toStringTag: only once the lookup is known
// to meet no getter and no Proxy (nothing runs in between), else the tag is "Object".
function safeTag(obj) {
  if (dataProperty(obj, SymbolToStringTag) === BLOCKED) return "Object";
  try { return StringPrototypeSlice(ObjectPrototypeToString(obj), 8, -1); } catch { return "Object"; }
}
// A data property that is a string, else "" (never a getter, a trap or a conversion).
function stringProperty(obj, key) {
  const v = dataProperty(obj, key);
  return typeof v === "string" ? v : "";
}

const MAX_ARRAY = 100;
const MAX_STRING = 10000;
const BREAK_LENGTH = 80;
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

// Node's quote choice: single quotes, else double if the string has single ones, else backticks.
function quote(s) {
  let q = "'";
  if (StringPrototypeIncludes(s, "'")) {
    if (!StringPrototypeIncludes(s, '"')) q = '"';
    else if (!StringPrototypeIncludes(s, "\x60") && !StringPrototypeIncludes(s, "$" + "{")) q = "\x60";
  }
  let out = q;
  for (let i = 0; i < s.length; i++) {
    const c = StringPrototypeCharCodeAt(s, i);
    if (c === StringPrototypeCharCodeAt(q, 0)) out += "\\" + q;
    else if (c === 92) out += "\\\\";
    else if (c === 10) out += "\\n";
    else if (c === 13) out += "\\r";
    else if (c === 9) out += "\\t";
    else if (c < 32 || c === 127) out += "\\x" + StringPrototypePadStart(primordials.NumberPrototypeToString(c, 16), 2, "0");
    else out += s[i];
  }
  return out + q;
}
function keyString(k) {
  if (typeof k === "symbol") return "[" + SymbolPrototypeToString(k) + "]";
  return RegExpTest(IDENT, k) ? k : quote(k);
}
function formatNumber(n) { return ObjectIs(n, -0) ? "-0" : String(n); }
function primitive(v, nested) {
  switch (typeof v) {
    case "string": {
      if (!nested) return v;
      if (v.length > MAX_STRING) return quote(StringPrototypeSlice(v, 0, MAX_STRING)) + "... " + (v.length - MAX_STRING) + " more characters";
      return quote(v);
    }
    case "number": return formatNumber(v);
    case "bigint": return String(v) + "n";
    case "boolean": return v ? "true" : "false";
    case "undefined": return "undefined";
    case "symbol": return SymbolPrototypeToString(v);
  }
  return "null";
}
function constructorName(obj) {
  let proto = ObjectGetPrototypeOf(obj);
  while (proto !== null && !mayBeProxy(proto)) {
    const d = ObjectGetOwnPropertyDescriptor(proto, "constructor");
    if (d !== undefined && d.value === primordials.Object) return "Object";
    if (d !== undefined && typeof d.value === "function" && !isProxy(d.value)) {
      const name = stringProperty(d.value, "name");
      if (name !== "") return name;
    }
    proto = ObjectGetPrototypeOf(proto);
  }
  return null;
}
function tagOf(obj) { return safeTag(obj); }
function functionBase(fn) {
  let src = "";
  try { src = FunctionPrototypeToString(fn); } catch {}
  const name = stringProperty(fn, "name");
  if (StringPrototypeSlice(src, 0, 5) === "class") return "[class " + (name || "(anonymous)") + "]";
  const kind = tagOf(fn) === "AsyncFunction" ? "AsyncFunction" : tagOf(fn) === "GeneratorFunction" ? "GeneratorFunction" : tagOf(fn) === "AsyncGeneratorFunction" ? "AsyncGeneratorFunction" : "Function";
  return "[" + kind + (name ? ": " + name : " (anonymous)") + "]";
}
function errorText(err) {
  // Read as data properties: an error's getters and a name or message object's toString never run.
  const name = stringProperty(err, "name") || "Error";
  const message = stringProperty(err, "message");
  const stack = stringProperty(err, "stack");
  const head = message === "" ? name : name + ": " + message;
  // QuickJS stacks hold only the frames; V8's start with the header line.
  if (stack === "") return head;
  if (StringPrototypeSlice(stack, 0, head.length) === head) return stack;
  return head + "\n" + (stack[stack.length - 1] === "\n" ? StringPrototypeSlice(stack, 0, -1) : stack);
}

function inspect(value, options = undefined) {
  const ctx = { depth: options?.depth === undefined ? 2 : options.depth, seen: [], circular: new SafeMap() };
  const out = formatValue(ctx, value, 0, false);
  return out;
}
function formatValue(ctx, v, level, nested) {
  if (v === null || (typeof v !== "object" && typeof v !== "function")) return primitive(v, nested);
  if (ArrayPrototypeIncludes(ctx.seen, v)) {
    let idx = MapPrototypeGet(ctx.circular, v);
    if (idx === undefined) { idx = ctx.circular.size + 1; MapPrototypeSet(ctx.circular, v, idx); }
    return "[Circular *" + idx + "]";
  }
  const s = formatObject(ctx, v, level);
  const idx = MapPrototypeGet(ctx.circular, v);
  return idx === undefined ? s : "<ref *" + idx + "> " + s;
}
function ownEntries(ctx, obj, level, skipIndices) {
  const out = [];
  const keys = ObjectKeys(obj);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (skipIndices && RegExpTest(/^(0|[1-9][0-9]*)$/, k)) continue;
    ArrayPrototypePush(out, keyString(k) + ": " + propertyValue(ctx, obj, k, level));
  }
  const syms = ObjectGetOwnPropertySymbols(obj);
  for (let i = 0; i < syms.length; i++) {
    const d = ObjectGetOwnPropertyDescriptor(obj, syms[i]);
    if (d !== undefined && d.enumerable) ArrayPrototypePush(out, keyString(syms[i]) + ": " + propertyValue(ctx, obj, syms[i], level));
  }
  return out;
}
function propertyValue(ctx, obj, key, level) {
  const d = ObjectGetOwnPropertyDescriptor(obj, key);
  if (d === undefined) return "undefined";
  if (!ObjectPrototypeHasOwnProperty(d, "value")) return d.get && d.set ? "[Getter/Setter]" : d.get ? "[Getter]" : "[Setter]";
  return formatValue(ctx, d.value, level + 1, true);
}
function wrap(ctx, prefix, entries, open, close, level) {
  if (entries.length === 0) return prefix + open + close;
  // Node's isBelowBreakLength: entries + separators + (count + indentation + brace + prefix + 10) <= 80.
  let total = entries.length * 2 + level * 2 + open.length + prefix.length + 10;
  let multiline = false;
  for (let i = 0; i < entries.length; i++) {
    total += entries[i].length;
    if (StringPrototypeIncludes(entries[i], "\n")) multiline = true;
  }
  if (!multiline && (ctx.oneLine === true || total <= BREAK_LENGTH)) return prefix + open + " " + ArrayPrototypeJoin(entries, ", ") + " " + close;
  const pad = StringPrototypeRepeat("  ", level + 1);
  const lines = ArrayPrototypeMap(entries, (e) => pad + ArrayPrototypeJoin(splitOn(e, "\n"), "\n" + pad));
  return prefix + open + "\n" + ArrayPrototypeJoin(lines, ",\n") + "\n" + StringPrototypeRepeat("  ", level) + close;
}
function formatObject(ctx, obj, level) {
  if (isProxy(obj)) return proxyText(obj);
  const tag = tagOf(obj);
  if (typeof obj === "function") {
    const base = functionBase(obj);
    if (ObjectKeys(obj).length === 0 || level > ctx.depth) return base;
    return enter(ctx, obj, () => wrap(ctx, base + " ", ownEntries(ctx, obj, level, false), "{", "}", level));
  }
  const name = constructorName(obj);
  // The host reads a promise's state (QuickJS's class id is the brand: a Proxy or a
  // forged Symbol.toStringTag is no promise) without calling then: nothing changes.
  const promiseState = op_promise_state(obj);
  if (promiseState >= 0) {
    if (level > ctx.depth) return "[Promise]";
    const prefix = name === "Promise" ? "Promise " : name === null ? "[Promise: null prototype] " : name + " [Promise] ";
    return enter(ctx, obj, () => {
      const entries = [promiseText(ctx, obj, promiseState, level)];
      const own = ownEntries(ctx, obj, level, false);
      for (let i = 0; i < own.length; i++) ArrayPrototypePush(entries, own[i]);
      return wrap(ctx, prefix, entries, "{", "}", level);
    });
  }
  if (tag === "Error" || inheritsFrom(obj, primordials.ErrorPrototype)) {
    const text = errorText(obj);
    const extra = level > ctx.depth ? [] : enter(ctx, obj, () => ownEntries(ctx, obj, level, false));
    if (extra.length === 0) return level > 0 ? "[" + splitOn(text, "\n")[0] + "]" + (StringPrototypeIncludes(text, "\n") ? "" : "") : text;
    return wrap(ctx, text + " ", extra, "{", "}", level);
  }
  // The tag picks the one slot check worth running (each failing check throws inside).
  if (tag === "Date" && isDate(obj)) {
    const t = DatePrototypeGetTime(obj);
    return NumberIsNaN(t) ? "Invalid Date" : DatePrototypeToISOString(obj);
  }
  if (tag === "RegExp" && isRegExp(obj)) return RegExpPrototypeToString(obj);
  const boxed = tag === "Symbol" && isSymbolObject(obj) ? "Symbol" : tag === "Number" && isNumberObject(obj) ? "Number"
    : tag === "String" && isStringObject(obj) ? "String" : tag === "Boolean" && isBooleanObject(obj) ? "Boolean"
    : tag === "BigInt" && isBigIntObject(obj) ? "BigInt" : null;
  if (boxed !== null) return "[" + boxed + ": " + primitive(primordials[boxed + "PrototypeValueOf"](obj), true) + "]";
  if (tag === "WeakMap" || tag === "WeakSet" || tag === "WeakRef") return tag + " { <items unknown> }";
  const nullProto = ObjectGetPrototypeOf(obj) === null;
  if (ArrayIsArray(obj)) {
    const prefix = name === "Array" ? "" : (name === null ? "[Array(" + obj.length + "): null prototype] " : name + "(" + obj.length + ") ");
    if (level > ctx.depth) return "[Array]";
    return enter(ctx, obj, () => {
      const entries = [];
      const n = obj.length;
      let holes = 0;
      const shown = n > (ctx.maxArray ?? MAX_ARRAY) ? (ctx.maxArray ?? MAX_ARRAY) : n;
      for (let i = 0; i < shown; i++) {
        if (!ObjectPrototypeHasOwnProperty(obj, i)) { holes++; continue; }
        if (holes > 0) { ArrayPrototypePush(entries, "<" + holes + " empty item" + (holes > 1 ? "s" : "") + ">"); holes = 0; }
        ArrayPrototypePush(entries, propertyValue(ctx, obj, String(i), level));
      }
      if (holes > 0) ArrayPrototypePush(entries, "<" + holes + " empty item" + (holes > 1 ? "s" : "") + ">");
      if (n > (ctx.maxArray ?? MAX_ARRAY)) ArrayPrototypePush(entries, "... " + (n - (ctx.maxArray ?? MAX_ARRAY)) + " more item" + (n - (ctx.maxArray ?? MAX_ARRAY) > 1 ? "s" : ""));
      const rest = ownEntries(ctx, obj, level, true);
      for (let i = 0; i < rest.length; i++) ArrayPrototypePush(entries, rest[i]);
      return wrap(ctx, prefix, entries, "[", "]", level);
    });
  }
  if (typedArrayName(obj) !== undefined) {
    const len = TypedArrayPrototypeGetLength(obj);
    const tname = typedArrayName(obj);
    if (level > ctx.depth) return "[" + tname + "]";
    return enter(ctx, obj, () => {
      const entries = [];
      const shown = len > (ctx.maxArray ?? MAX_ARRAY) ? (ctx.maxArray ?? MAX_ARRAY) : len;
      for (let i = 0; i < shown; i++) ArrayPrototypePush(entries, primitive(obj[i], true));
      if (len > (ctx.maxArray ?? MAX_ARRAY)) ArrayPrototypePush(entries, "... " + (len - (ctx.maxArray ?? MAX_ARRAY)) + " more item" + (len - (ctx.maxArray ?? MAX_ARRAY) > 1 ? "s" : ""));
      return wrap(ctx, tname + "(" + len + ") ", entries, "[", "]", level);
    });
  }
  if (tag === "ArrayBuffer" && isArrayBuffer(obj)) {
    const bytes = new Uint8Array(obj);
    const hex = [];
    const byteLength = TypedArrayPrototypeGetLength(bytes);
    const shown = byteLength > 50 ? 50 : byteLength;
    for (let i = 0; i < shown; i++) ArrayPrototypePush(hex, StringPrototypePadStart(primordials.NumberPrototypeToString(bytes[i], 16), 2, "0"));
    const more = byteLength > 50 ? " ... " + (byteLength - 50) + " more bytes" : "";
    return "ArrayBuffer { [Uint8Contents]: <" + ArrayPrototypeJoin(hex, " ") + more + ">, byteLength: " + ArrayBufferPrototypeGetByteLength(obj) + " }";
  }
  if (tag === "Map" && isMap(obj)) {
    const size = MapPrototypeGetSize(obj);
    if (level > ctx.depth) return "[Map]";
    return enter(ctx, obj, () => {
      const entries = [];
      MapPrototypeForEach(obj, (v, k) => {
        if (entries.length < (ctx.maxArray ?? MAX_ARRAY)) ArrayPrototypePush(entries, formatValue(ctx, k, level + 1, true) + " => " + formatValue(ctx, v, level + 1, true));
      });
      if (size > (ctx.maxArray ?? MAX_ARRAY)) ArrayPrototypePush(entries, "... " + (size - (ctx.maxArray ?? MAX_ARRAY)) + " more items");
      return wrap(ctx, (name ?? "Map") + "(" + size + ") ", entries, "{", "}", level);
    });
  }
  if (tag === "Set" && isSet(obj)) {
    const size = SetPrototypeGetSize(obj);
    if (level > ctx.depth) return "[Set]";
    return enter(ctx, obj, () => {
      const entries = [];
      SetPrototypeForEach(obj, (v) => {
        if (entries.length < (ctx.maxArray ?? MAX_ARRAY)) ArrayPrototypePush(entries, formatValue(ctx, v, level + 1, true));
      });
      if (size > (ctx.maxArray ?? MAX_ARRAY)) ArrayPrototypePush(entries, "... " + (size - (ctx.maxArray ?? MAX_ARRAY)) + " more items");
      return wrap(ctx, (name ?? "Set") + "(" + size + ") ", entries, "{", "}", level);
    });
  }
  let prefix;
  if (nullProto) prefix = "[Object: null prototype] ";
  else if (name === "Object") prefix = tag === "Object" || tag === "Module" ? (tag === "Module" ? "[Module: null prototype] " : "") : "Object [" + tag + "] ";
  else if (name === null) prefix = "";
  else prefix = name + (tag !== "Object" && tag !== name ? " [" + tag + "] " : " ");
  if (level > ctx.depth) return "[" + (nullProto ? "Object: null prototype" : name ?? "Object") + "]";
  return enter(ctx, obj, () => wrap(ctx, prefix, ownEntries(ctx, obj, level, false), "{", "}", level));
}
// Node: Promise { <pending> }, Promise { 42 }, Promise { <rejected> Error: boom\n    at … }.
function isError(v) {
  return v !== null && typeof v === "object" && !isProxy(v) && (tagOf(v) === "Error" || inheritsFrom(v, primordials.ErrorPrototype));
}
function promiseText(ctx, promise, state, level) {
  if (state === 0) return "<pending>";
  const result = op_promise_result(promise);
  // A reason that is an error shows its whole text, stack included, as Node does.
  const text = state === 2 && isError(result) && !ArrayPrototypeIncludes(ctx.seen, result) ? errorText(result) : formatValue(ctx, result, level + 1, true);
  return state === 1 ? text : "<rejected> " + text;
}
function enter(ctx, obj, fn) {
  ArrayPrototypePush(ctx.seen, obj);
  try { return fn(); } finally { ctx.seen.length--; }
}

// At most this many %c segments an entry carries (later %c directives keep the last style),
// and this many characters of CSS each (the renderer keeps only a safe subset anyway).
const MAX_SEGMENTS = 64;
const MAX_CSS = 512;
// WHATWG Console "Formatter" plus Node's extras (%j, %o/%O as inspect). With \`styles\`
// (an object), %c splits the text into segments, each with the CSS its %c gave
// (Formatter: "%c: … apply the CSS"): styles.segments is [{ text, css }] covering the
// whole text, or stays undefined when the format string has no %c.
function format(args, styles = undefined) {
  if (args.length === 0) return "";
  const first = args[0];
  let text = "";
  let a = 1;
  let segments;
  let segmentStart = 0;
  let css = "";
  if (typeof first === "string") {
    let last = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (StringPrototypeCharCodeAt(first, i) !== 37) continue;
      const c = first[i + 1];
      if (c === "%") { text += StringPrototypeSlice(first, last, i) + "%"; last = i + 2; i++; continue; }
      if (a >= args.length) continue;
      let rep;
      switch (c) {
        case "s": { const v = args[a]; rep = typeof v === "string" ? v : typeof v === "bigint" ? String(v) + "n" : typeof v === "symbol" ? SymbolPrototypeToString(v) : (v !== null && typeof v === "object") ? inspect(v, { depth: 1 }) : primitive(v, false); break; }
        case "d": case "i": {
          const v = args[a];
          if (typeof v === "bigint") rep = String(v) + "n";
          else if (typeof v === "symbol" || (v !== null && typeof v === "object")) rep = "NaN";
          else rep = c === "d" ? formatNumber(+v) : formatNumber(NumberParseInt(String(v), 10));
          break;
        }
        case "f": { const v = args[a]; rep = typeof v === "symbol" ? "NaN" : formatNumber(NumberParseFloat(String(v))); break; }
        case "j": try { rep = JSONStringify(args[a]); } catch { rep = "[Circular]"; } break;
        case "o": rep = inspect(args[a], { depth: 4 }); break;
        case "O": rep = inspect(args[a]); break;
        case "c": {
          rep = "";
          if (styles === undefined) break;
          segments ??= [];
          const upTo = text.length + (i - last);
          if (segments.length < MAX_SEGMENTS - 1) {
            // The text so far, up to this directive, keeps the previous style.
            ArrayPrototypePush(segments, { __proto__: null, text: StringPrototypeSlice(text + StringPrototypeSlice(first, last, i), segmentStart), css });
            segmentStart = upTo;
            const v = args[a];
            // Only a string is CSS: converting anything else would run guest code (toString).
            css = typeof v === "string" ? StringPrototypeSlice(v, 0, MAX_CSS) : "";
          }
          break;
        }
        default: continue;
      }
      text += StringPrototypeSlice(first, last, i) + rep;
      last = i + 2;
      i++;
      a++;
    }
    text += StringPrototypeSlice(first, last);
  } else {
    text = formatValue({ depth: 2, seen: [], circular: new SafeMap() }, first, 0, false);
  }
  for (; a < args.length; a++) {
    const v = args[a];
    text += " " + (typeof v === "string" ? v : inspect(v));
  }
  if (segments !== undefined) {
    ArrayPrototypePush(segments, { __proto__: null, text: StringPrototypeSlice(text, segmentStart), css });
    // Segments without text say nothing.
    const kept = [];
    for (let i = 0; i < segments.length; i++) if (segments[i].text !== "") ArrayPrototypePush(kept, segments[i]);
    styles.segments = kept;
  }
  return text;
}

// --- structured values ------------------------------------------------------------------
// A JSON-safe preview tree of each argument, for pages that render expandable values
// (ConsoleValue in console.ts). Read with the same safe inspection as the text form:
// own keys and descriptors, never a getter. Bounded: nesting, entries per container,
// nodes and characters per call; what is cut is counted in "more" or marked "unexpanded".
const TREE_DEPTH = 6;
const TREE_NODES = 2000;
const TREE_CHARS = 65536;
function treeOf(args) {
  const ctx = { seen: [], nodes: 0, chars: 0 };
  const out = [];
  for (let i = 0; i < args.length; i++) ArrayPrototypePush(out, treeValue(ctx, args[i], 0, false));
  return out;
}
function treeFull(ctx) { return ctx.nodes >= TREE_NODES || ctx.chars >= TREE_CHARS; }
function node(ctx, type, text) {
  ctx.nodes++;
  ctx.chars += text.length;
  return { type, text };
}
// Adds entries one by one while the budget lasts; returns false once it is spent.
function addEntry(ctx, n, key, value) {
  if (treeFull(ctx)) { n.more = (n.more ?? 0) + 1; return false; }
  if (key !== undefined) ctx.chars += key.length;
  ArrayPrototypePush(n.entries, key === undefined ? { value } : { key, value });
  return true;
}
function treeProperty(ctx, obj, key, level) {
  const d = ObjectGetOwnPropertyDescriptor(obj, key);
  if (d === undefined) return node(ctx, "undefined", "undefined");
  if (!ObjectPrototypeHasOwnProperty(d, "value")) return node(ctx, "accessor", d.get && d.set ? "[Getter/Setter]" : d.get ? "[Getter]" : "[Setter]");
  return treeValue(ctx, d.value, level + 1, true);
}
function treeOwn(ctx, n, obj, level, skipIndices) {
  const keys = ObjectKeys(obj);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (skipIndices && RegExpTest(/^(0|[1-9][0-9]*)$/, k)) continue;
    if (treeFull(ctx)) { n.more = (n.more ?? 0) + 1; continue; }
    addEntry(ctx, n, keyString(k), treeProperty(ctx, obj, k, level));
  }
  const syms = ObjectGetOwnPropertySymbols(obj);
  for (let i = 0; i < syms.length; i++) {
    const d = ObjectGetOwnPropertyDescriptor(obj, syms[i]);
    if (d === undefined || !d.enumerable) continue;
    if (treeFull(ctx)) { n.more = (n.more ?? 0) + 1; continue; }
    addEntry(ctx, n, keyString(syms[i]), treeProperty(ctx, obj, syms[i], level));
  }
}
function treeValue(ctx, v, level, nested) {
  if (v === null || (typeof v !== "object" && typeof v !== "function")) {
    return node(ctx, v === null ? "null" : typeof v, primitive(v, nested));
  }
  if (ArrayPrototypeIncludes(ctx.seen, v)) return node(ctx, "circular", "[Circular]");
  if (isProxy(v)) return node(ctx, "other", proxyText(v));
  const tag = tagOf(v);
  if (typeof v === "function") {
    const n = node(ctx, "function", functionBase(v));
    if (ObjectKeys(v).length === 0) return n;
    return treeContainer(ctx, n, v, level, () => treeOwn(ctx, n, v, level, false));
  }
  const promiseState = op_promise_state(v);
  if (promiseState >= 0) {
    const name = constructorName(v);
    const n = node(ctx, "promise", name === "Promise" ? "Promise" : name === null ? "[Promise: null prototype]" : name + " [Promise]");
    return treeContainer(ctx, n, v, level, () => {
      addEntry(ctx, n, "[[PromiseState]]", node(ctx, "other", promiseState === 0 ? "pending" : promiseState === 1 ? "fulfilled" : "rejected"));
      if (promiseState > 0) addEntry(ctx, n, "[[PromiseResult]]", treeValue(ctx, op_promise_result(v), level + 1, true));
      treeOwn(ctx, n, v, level, false);
    });
  }
  if (tag === "Error" || inheritsFrom(v, primordials.ErrorPrototype)) {
    const text = errorText(v);
    const nl = primordials.StringPrototypeIndexOf(text, "\n");
    const n = node(ctx, "error", nl < 0 ? text : StringPrototypeSlice(text, 0, nl));
    return treeContainer(ctx, n, v, level, () => {
      if (nl >= 0) addEntry(ctx, n, "stack", node(ctx, "string", StringPrototypeSlice(text, nl + 1)));
      treeOwn(ctx, n, v, level, false);
      // Non-enumerable, so not among the own entries above.
      const extra = ["cause", "errors"];
      for (let i = 0; i < extra.length; i++) {
        const d = ObjectGetOwnPropertyDescriptor(v, extra[i]);
        if (d !== undefined && !d.enumerable) addEntry(ctx, n, extra[i], treeProperty(ctx, v, extra[i], level));
      }
    });
  }
  const name = constructorName(v);
  if (ArrayIsArray(v)) {
    const n = node(ctx, "array", (name === "Array" ? "Array" : name ?? "[Array: null prototype]") + "(" + v.length + ")");
    return treeContainer(ctx, n, v, level, () => {
      const len = v.length;
      const shown = len > MAX_ARRAY ? MAX_ARRAY : len;
      let holes = 0;
      for (let i = 0; i < shown; i++) {
        if (!ObjectPrototypeHasOwnProperty(v, i)) { holes++; continue; }
        if (holes > 0) { addEntry(ctx, n, undefined, node(ctx, "hole", "<" + holes + " empty item" + (holes > 1 ? "s" : "") + ">")); holes = 0; }
        if (!addEntry(ctx, n, String(i), treeProperty(ctx, v, String(i), level))) { n.more += shown - i - 1; break; }
      }
      if (holes > 0) addEntry(ctx, n, undefined, node(ctx, "hole", "<" + holes + " empty item" + (holes > 1 ? "s" : "") + ">"));
      if (len > MAX_ARRAY) n.more = (n.more ?? 0) + len - MAX_ARRAY;
      treeOwn(ctx, n, v, level, true);
    });
  }
  if (tag === "Map" && isMap(v)) {
    const size = MapPrototypeGetSize(v);
    const n = node(ctx, "map", (name ?? "Map") + "(" + size + ")");
    return treeContainer(ctx, n, v, level, () => {
      let i = 0;
      MapPrototypeForEach(v, (val, k) => {
        if (i++ >= MAX_ARRAY || treeFull(ctx)) { n.more = (n.more ?? 0) + 1; return; }
        const key = formatValue({ depth: 0, seen: [], circular: new SafeMap() }, k, 1, true);
        addEntry(ctx, n, key, treeValue(ctx, val, level + 1, true));
      });
    });
  }
  if (tag === "Set" && isSet(v)) {
    const size = SetPrototypeGetSize(v);
    const n = node(ctx, "set", (name ?? "Set") + "(" + size + ")");
    return treeContainer(ctx, n, v, level, () => {
      let i = 0;
      SetPrototypeForEach(v, (val) => {
        if (i++ >= MAX_ARRAY || treeFull(ctx)) { n.more = (n.more ?? 0) + 1; return; }
        addEntry(ctx, n, undefined, treeValue(ctx, val, level + 1, true));
      });
    });
  }
  if (typedArrayName(v) !== undefined || oneLine(v, tag)) {
    // Typed arrays, buffers, dates, regexps, boxed primitives, weak collections: their text form (bounded).
    return node(ctx, "other", formatValue({ depth: 0, seen: [], circular: new SafeMap() }, v, 0, true));
  }
  const n = node(ctx, "object", ObjectGetPrototypeOf(v) === null ? "[Object: null prototype]" : name ?? "Object");
  return treeContainer(ctx, n, v, level, () => treeOwn(ctx, n, v, level, false));
}
// The tag picks the one slot check worth running, as in formatObject.
function oneLine(v, tag) {
  switch (tag) {
    case "Date": return isDate(v);
    case "RegExp": return isRegExp(v);
    case "ArrayBuffer": return isArrayBuffer(v);
    case "Symbol": return isSymbolObject(v);
    case "Number": return isNumberObject(v);
    case "String": return isStringObject(v);
    case "Boolean": return isBooleanObject(v);
    case "BigInt": return isBigIntObject(v);
    case "WeakMap": case "WeakSet": case "WeakRef": return true;
  }
  return false;
}
function treeContainer(ctx, n, obj, level, fill) {
  n.entries = [];
  if (level >= TREE_DEPTH) { n.unexpanded = true; n.handle = keep(obj); return n; }
  // Nodes of this call's tree made before this container (it is one of them).
  const before = ctx.nodes - 1;
  ArrayPrototypePush(ctx.seen, obj);
  try { fill(); } finally { ctx.seen.length--; }
  // Cut short by the call's budget after other values used part of it: read on its own,
  // with the whole budget, it shows more, so it gets a handle too.
  if (n.more !== undefined && before > 0 && treeFull(ctx)) n.handle = keep(obj);
  return n;
}
// --- handles: what the preview cut off, opened later ------------------------------------
// DevTools keeps what a log showed so that its folded parts open on demand. Here
// the console keeps each object whose preview node was cut off at TREE_DEPTH, or
// whose entries the call's node budget cut after other values had used part of it
// (the node's "handle" is its number), and the host asks for one level more
// with inspectHandle (console.ts: inspectConsoleValue) — read the same way as
// the preview, so no getter runs. Bounded: at most MAX_HANDLES objects at
// once, the oldest forgotten first, so logging in a loop cannot keep the
// guest's whole history alive; the host empties the registry when a call
// starts (releaseConsoleValues) and a reset or dispose drops it with the heap.
// A number that is not kept (forgotten, released) answers null: stale.
const MAX_HANDLES = ${MAX_CONSOLE_HANDLES};
const handles = new SafeMap();
const handleOf = new SafeMap();
let nextHandle = 1;
let oldestHandle = 1;
function keep(obj) {
  const known = MapPrototypeGet(handleOf, obj);
  if (known !== undefined) return known;
  while (MapPrototypeGetSize(handles) >= MAX_HANDLES) {
    const old = MapPrototypeGet(handles, oldestHandle);
    if (old !== undefined) { MapPrototypeDelete(handles, oldestHandle); MapPrototypeDelete(handleOf, old); }
    oldestHandle++;
  }
  const id = nextHandle++;
  MapPrototypeSet(handles, id, obj);
  MapPrototypeSet(handleOf, obj, id);
  return id;
}
function releaseHandles() {
  primordials.MapPrototypeClear(handles);
  primordials.MapPrototypeClear(handleOf);
  oldestHandle = nextHandle;
}
// The kept object's preview tree, TREE_DEPTH levels down from it, as JSON; null when stale.
function inspectHandle(id) {
  const obj = typeof id === "number" ? MapPrototypeGet(handles, id) : undefined;
  if (obj === undefined) return null;
  return JSONStringify(treeValue({ seen: [], nodes: 0, chars: 0 }, obj, 0, true));
}
core.exposeToHost("islet_console.inspect", inspectHandle);
core.exposeToHost("islet_console.release", releaseHandles);

// Whether the entry's arguments are shown as values: some argument is an object and no
// format directive consumed arguments (the values then stand for the text one by one).
function structured(args) {
  if (args.length > 0 && typeof args[0] === "string" && StringPrototypeIncludes(args[0], "%")) return false;
  for (let i = 0; i < args.length; i++) if (args[i] !== null && (typeof args[i] === "object" || typeof args[i] === "function")) return true;
  return false;
}

// --- console.table ---------------------------------------------------------------------
// Node's console.table (lib/internal/console/constructor.js), read without running getters:
// an accessor shows as [Getter]. The text is Node's box-drawing table; the structured form
// (ConsoleEntry.table) has the same columns and one preview tree per cell.
const TABLE_ROWS = 1000;
const TABLE_COLUMNS = 256;
// A cell as Node's table inspects it: one line, arrays to 3 items, objects of more than 2 keys as [Object].
function cellText(v) {
  const big = v !== null && typeof v === "object" && !isProxy(v) && !ArrayIsArray(v) && ObjectKeys(v).length > 2;
  return formatValue({ depth: big ? -1 : 0, seen: [], circular: new SafeMap(), maxArray: 3, oneLine: true }, v, 0, true);
}
// An own property without running a getter: { value } or { accessor: "[Getter]" }.
function ownSlot(obj, key) {
  const d = ObjectGetOwnPropertyDescriptor(obj, key);
  if (d === undefined) return undefined;
  if (ObjectPrototypeHasOwnProperty(d, "value")) return { value: d.value };
  return { accessor: d.get && d.set ? "[Getter/Setter]" : d.get ? "[Getter]" : "[Setter]" };
}
const isPrimitive = (v) => v === null || (typeof v !== "object" && typeof v !== "function");
// What a table shows as one value, never reading into it: primitives and proxies.
const isOpaque = (v) => isPrimitive(v) || isProxy(v);
const INDEX_KEY = /^(0|[1-9][0-9]{0,8})$/;
// Columns in Node's order (its columns are keys of a plain object): index-like keys ascending, then the rest as first seen.
function columnOrder(keys) {
  const indices = [];
  const names = [];
  for (let i = 0; i < keys.length; i++) ArrayPrototypePush(RegExpTest(INDEX_KEY, keys[i]) ? indices : names, keys[i]);
  primordials.ArrayPrototypeSort(indices, (a, b) => NumberParseInt(a, 10) - NumberParseInt(b, 10));
  for (let i = 0; i < names.length; i++) ArrayPrototypePush(indices, names[i]);
  return indices;
}
// The table's columns and rows; a cell is undefined (empty), { index } (plain text), { value } or { accessor }.
function tableOf(data, properties) {
  let props;
  if (properties !== undefined) {
    if (!ArrayIsArray(properties)) throw new primordials.TypeError("console.table: properties must be an array of property names");
    props = [];
    for (let i = 0; i < properties.length; i++) {
      const slot = ownSlot(properties, String(i));
      const p = slot?.value;
      if (typeof p === "string" || typeof p === "number") ArrayPrototypePush(props, String(p));
    }
  }
  if (isMap(data) || isSet(data)) {
    // Node: "(iteration index)", Key (maps), Values; properties do not apply.
    const map = isMap(data);
    const rows = [];
    let i = 0;
    const add = (v, k) => { const r = [{ index: String(i++) }]; if (map) ArrayPrototypePush(r, { value: k }); ArrayPrototypePush(r, { value: v }); ArrayPrototypePush(rows, r); };
    if (map) MapPrototypeForEach(data, add); else SetPrototypeForEach(data, (v) => add(v));
    return { columns: map ? ["(iteration index)", "Key", "Values"] : ["(iteration index)", "Values"], rows };
  }
  const keys = ObjectKeys(data);
  const items = [];
  const seenColumns = new SafeSet();
  const found = [];
  let hasPrimitives = false;
  for (let i = 0; i < keys.length; i++) {
    const slot = ownSlot(data, keys[i]) ?? { value: undefined };
    ArrayPrototypePush(items, slot);
    const primitive = slot.accessor !== undefined || isOpaque(slot.value);
    if (props === undefined && primitive) { hasPrimitives = true; continue; }
    if (primitive) continue;
    const ks = props ?? ObjectKeys(slot.value);
    for (let j = 0; j < ks.length; j++) {
      if (!primordials.SetPrototypeHas(seenColumns, ks[j])) { primordials.SetPrototypeAdd(seenColumns, ks[j]); ArrayPrototypePush(found, ks[j]); }
    }
  }
  const cols = props ?? columnOrder(found);
  const columns = ["(index)"];
  for (let c = 0; c < cols.length; c++) ArrayPrototypePush(columns, cols[c]);
  if (hasPrimitives) ArrayPrototypePush(columns, "Values");
  const rows = [];
  for (let i = 0; i < items.length; i++) {
    const slot = items[i];
    const primitive = slot.accessor !== undefined || isOpaque(slot.value);
    const r = [{ index: keys[i] }];
    for (let c = 0; c < cols.length; c++) ArrayPrototypePush(r, primitive ? undefined : ownSlot(slot.value, cols[c]));
    if (hasPrimitives) ArrayPrototypePush(r, primitive ? slot : undefined);
    ArrayPrototypePush(rows, r);
  }
  return { columns, rows };
}
function tableText(t) {
  const texts = ArrayPrototypeMap(t.rows, (r) => ArrayPrototypeMap(r, (cell) =>
    cell === undefined ? "" : cell.index !== undefined ? cell.index : cell.accessor !== undefined ? cell.accessor : cellText(cell.value)));
  const widths = ArrayPrototypeMap(t.columns, (h) => h.length + 2);
  for (let r = 0; r < texts.length; r++) for (let c = 0; c < widths.length; c++) widths[c] = MathMax(widths[c], texts[r][c].length + 2);
  const line = (l, m, r) => l + ArrayPrototypeJoin(ArrayPrototypeMap(widths, (w) => StringPrototypeRepeat("─", w)), m) + r;
  const row = (cells) => "│" + ArrayPrototypeJoin(ArrayPrototypeMap(cells, (s, i) => " " + s + StringPrototypeRepeat(" ", widths[i] - s.length - 1)), "│") + "│";
  const out = [line("┌", "┬", "┐"), row(t.columns), line("├", "┼", "┤")];
  for (let r = 0; r < texts.length; r++) ArrayPrototypePush(out, row(texts[r]));
  ArrayPrototypePush(out, line("└", "┴", "┘"));
  return ArrayPrototypeJoin(out, "\n");
}
// The structured table: each cell a preview tree (null when empty), within the tree budget.
function tableTree(t) {
  // Wider than a page can show as a table: the text form alone.
  if (t.columns.length > TABLE_COLUMNS) return undefined;
  const ctx = { seen: [], nodes: 0, chars: 0 };
  const rows = [];
  let more = 0;
  for (let r = 0; r < t.rows.length; r++) {
    if (r >= TABLE_ROWS || treeFull(ctx)) { more = t.rows.length - r; break; }
    ArrayPrototypePush(rows, ArrayPrototypeMap(t.rows[r], (cell) =>
      cell === undefined ? null
        : cell.index !== undefined ? node(ctx, "other", cell.index)
        : cell.accessor !== undefined ? node(ctx, "accessor", cell.accessor)
        : treeValue(ctx, cell.value, 1, true)));
  }
  return more > 0 ? { columns: t.columns, rows, more } : { columns: t.columns, rows };
}

// --- the console namespace ----------------------------------------------------------------
let groupDepth = 0;
let silenced = false;
// Once silenced, ask the host again: the budget is per call, and a new call may have reset it.
function spent() { return silenced && (silenced = op_console_spent()); }
const counts = new SafeMap();
const timers = new SafeMap();
function write(level, text, values = undefined, segments = undefined, table = undefined) {
  if (spent()) return;
  // The host answers false once the output budget is spent; stop formatting from then on.
  const json = values === undefined ? undefined : JSONStringify(values);
  const styled = segments === undefined ? undefined : JSONStringify(segments);
  const tabular = table === undefined ? undefined : JSONStringify(table);
  if (op_console_write(level, text, groupDepth, json, styled, tabular) === false) silenced = true;
}
function emit(level, args) {
  if (spent()) return;
  const styles = { segments: undefined };
  const text = format(args, styles);
  write(level, text, structured(args) ? treeOf(args) : undefined, styles.segments);
}
function label(l) { return l === undefined ? "default" : String(l); }
function elapsed(l) {
  const ms = op_perf_now() - MapPrototypeGet(timers, l);
  return l + ": " + (ms < 1000 ? NumberPrototypeToFixed(ms, 3) + "ms" : NumberPrototypeToFixed(ms / 1000, 3) + "s");
}

const console = {
  log(...args) { emit("log", args); },
  info(...args) { emit("info", args); },
  debug(...args) { emit("debug", args); },
  warn(...args) { emit("warn", args); },
  error(...args) { emit("error", args); },
  trace(...args) {
    if (spent()) return;
    const stack = new Error().stack;
    const frames = splitOn(typeof stack === "string" ? stack : "", "\n");
    // Drop the frame of trace() itself.
    const rest = ArrayPrototypeJoin(primordials.ArrayPrototypeSlice(frames, 1), "\n");
    const msg = format(args);
    write("trace", "Trace" + (msg === "" ? "" : ": " + msg) + (rest === "" ? "" : "\n" + (rest[rest.length - 1] === "\n" ? StringPrototypeSlice(rest, 0, -1) : rest)));
  },
  assert(condition = false, ...data) {
    if (condition) return;
    if (data.length === 0) { write("error", "Assertion failed"); return; }
    if (typeof data[0] === "string") data[0] = "Assertion failed: " + data[0];
    else primordials.ArrayPrototypeUnshift(data, "Assertion failed:");
    emit("error", data);
  },
  dir(item, options = undefined) {
    if (spent()) return;
    const text = formatValue({ depth: options?.depth === undefined ? 2 : options.depth, seen: [], circular: new SafeMap() }, item, 0, true);
    write("log", text, structured([item]) ? treeOf([item]) : undefined);
  },
  dirxml(...args) { emit("log", args); },
  table(data, properties = undefined) {
    if (spent()) return;
    // Not tabular (a primitive): logged as console.log would.
    if (isOpaque(data)) { emit("log", [data]); return; }
    const t = tableOf(data, properties);
    write("log", tableText(t), undefined, undefined, tableTree(t));
  },
  group(...args) { if (args.length > 0) emit("log", args); groupDepth++; },
  groupCollapsed(...args) { if (args.length > 0) emit("log", args); groupDepth++; },
  groupEnd() { if (groupDepth > 0) groupDepth--; },
  count(l = undefined) {
    const k = label(l);
    const n = (MapPrototypeGet(counts, k) ?? 0) + 1;
    MapPrototypeSet(counts, k, n);
    write("info", k + ": " + n);
  },
  countReset(l = undefined) {
    const k = label(l);
    if (MapPrototypeHas(counts, k)) MapPrototypeSet(counts, k, 0);
    else write("warn", "Count for '" + k + "' does not exist");
  },
  time(l = undefined) {
    const k = label(l);
    if (MapPrototypeHas(timers, k)) { write("warn", "Timer '" + k + "' already exists"); return; }
    MapPrototypeSet(timers, k, op_perf_now());
  },
  timeLog(l = undefined, ...data) {
    const k = label(l);
    if (!MapPrototypeHas(timers, k)) { write("warn", "Timer '" + k + "' does not exist"); return; }
    write("info", elapsed(k) + (data.length === 0 ? "" : " " + format(data)));
  },
  timeEnd(l = undefined) {
    const k = label(l);
    if (!MapPrototypeHas(timers, k)) { write("warn", "Timer '" + k + "' does not exist"); return; }
    const text = elapsed(k);
    MapPrototypeDelete(timers, k);
    write("info", text);
  },
  clear() { groupDepth = 0; write("clear", ""); },
};
primordials.ObjectDefineProperty(console, Symbol.toStringTag, { __proto__: null, value: "console", configurable: true });

primordials.ObjectDefineProperty(primordials.globalThis, "console", { __proto__: null, value: console, writable: true, configurable: true, enumerable: false });
export { console, format, inspect, treeOf };
`;
