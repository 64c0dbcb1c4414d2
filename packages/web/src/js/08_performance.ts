/** performance: now(), timeOrigin, mark(), measure(), getEntries*, clear* (High Resolution Time, User Timing). */
export const PERFORMANCE_SOURCE = String.raw`
import { primordials } from "ext:core/mod.js";
import { brandCheck, EMPTY_DICT, requireArgs } from "ext:islet_web/00_webidl.js";
import { op_perf_now, op_perf_time_origin } from "ext:core/ops";
import { DOMException } from "ext:islet_web/01_dom_exception.js";
import { EventTarget } from "ext:islet_web/03_event.js";
import { structuredClone } from "ext:islet_web/07_structured_clone.js";
const { ArrayPrototypeFilter, ArrayPrototypePush, ArrayPrototypeSort, ObjectDefineProperty, SafeWeakMap, String, TypeError } = primordials;
const illegal = primordials.Symbol("illegal");
const entrySlots = new SafeWeakMap();
const es = brandCheck(entrySlots, "PerformanceEntry");
class PerformanceEntry {
  constructor(key = undefined, name = "", entryType = "", startTime = 0, duration = 0, detail = null) {
    if (key !== illegal) throw new TypeError("PerformanceEntry: illegal constructor");
    entrySlots.set(this, { name, entryType, startTime, duration, detail });
  }
  get name() { return es(this, "name").name; }
  get entryType() { return es(this, "entryType").entryType; }
  get startTime() { return es(this, "startTime").startTime; }
  get duration() { return es(this, "duration").duration; }
  toJSON() { const s = es(this, "toJSON"); return { name: s.name, entryType: s.entryType, startTime: s.startTime, duration: s.duration, detail: s.detail }; }
}
class PerformanceMark extends PerformanceEntry {
  constructor(name, options = undefined) {
    requireArgs(arguments.length, 1, "PerformanceMark constructor");
    const o = options ?? EMPTY_DICT;
    let startTime = op_perf_now();
    if (o.startTime !== undefined) {
      startTime = +o.startTime;
      if (!(startTime >= 0)) throw new TypeError("PerformanceMark constructor: startTime must be a non-negative number, got " + String(o.startTime));
    }
    super(illegal, String(name), "mark", startTime, 0, o.detail === undefined ? null : structuredClone(o.detail));
  }
  get detail() { return es(this, "detail").detail; }
}
class PerformanceMeasure extends PerformanceEntry {
  get detail() { return es(this, "detail").detail; }
}
for (const [C, n] of [[PerformanceEntry, "PerformanceEntry"], [PerformanceMark, "PerformanceMark"], [PerformanceMeasure, "PerformanceMeasure"]]) {
  ObjectDefineProperty(C.prototype, Symbol.toStringTag, { __proto__: null, value: n, configurable: true });
}

const entries = [];
const timeOrigin = op_perf_time_origin();
function markTime(name, where) {
  if (typeof name === "number") return name;
  for (let i = entries.length - 1; i >= 0; i--) {
    const s = entrySlots.get(entries[i]);
    if (s.entryType === "mark" && s.name === name) return s.startTime;
  }
  throw new DOMException(where + ": the mark '" + name + "' does not exist", "SyntaxError");
}
class Performance extends EventTarget {
  constructor(key = undefined) {
    if (key !== illegal) throw new TypeError("Performance: illegal constructor");
    super();
  }
  get timeOrigin() { return timeOrigin; }
  now() { return op_perf_now(); }
  mark(markName, markOptions = undefined) {
    requireArgs(arguments.length, 1, "Performance.prototype.mark");
    const mark = new PerformanceMark(markName, markOptions);
    ArrayPrototypePush(entries, mark);
    return mark;
  }
  measure(measureName, startOrOptions = undefined, endMark = undefined) {
    requireArgs(arguments.length, 1, "Performance.prototype.measure");
    let start = 0, end = op_perf_now(), detail = null;
    if (startOrOptions !== null && typeof startOrOptions === "object") {
      if (endMark !== undefined) throw new TypeError("Performance.prototype.measure: endMark cannot be combined with an options object");
      const o = startOrOptions;
      if (o.start !== undefined && o.end !== undefined && o.duration !== undefined) {
        throw new TypeError("Performance.prototype.measure: start, end and duration cannot all be given");
      }
      if (o.start !== undefined) start = markTime(o.start, "Performance.prototype.measure");
      if (o.end !== undefined) end = markTime(o.end, "Performance.prototype.measure");
      if (o.duration !== undefined) {
        if (o.start !== undefined) end = start + +o.duration; else start = end - +o.duration;
      }
      if (o.detail !== undefined) detail = structuredClone(o.detail);
    } else {
      if (startOrOptions !== undefined) start = markTime(String(startOrOptions), "Performance.prototype.measure");
      if (endMark !== undefined) end = markTime(String(endMark), "Performance.prototype.measure");
    }
    const m = new PerformanceMeasure(illegal, String(measureName), "measure", start, end - start, detail);
    ArrayPrototypePush(entries, m);
    return m;
  }
  getEntries() { return sorted(entries); }
  getEntriesByType(type) { const t = String(type); return sorted(ArrayPrototypeFilter(entries, (e) => entrySlots.get(e).entryType === t)); }
  getEntriesByName(name, type = undefined) {
    const n = String(name);
    return sorted(ArrayPrototypeFilter(entries, (e) => { const s = entrySlots.get(e); return s.name === n && (type === undefined || s.entryType === String(type)); }));
  }
  clearMarks(name = undefined) { clear("mark", name); }
  clearMeasures(name = undefined) { clear("measure", name); }
  toJSON() { return { timeOrigin }; }
}
ObjectDefineProperty(Performance.prototype, Symbol.toStringTag, { __proto__: null, value: "Performance", configurable: true });
function sorted(list) {
  const copy = primordials.ArrayPrototypeSlice(list);
  return ArrayPrototypeSort(copy, (a, b) => entrySlots.get(a).startTime - entrySlots.get(b).startTime);
}
function clear(type, name) {
  for (let i = entries.length - 1; i >= 0; i--) {
    const s = entrySlots.get(entries[i]);
    if (s.entryType === type && (name === undefined || s.name === String(name))) primordials.ArrayPrototypeSplice(entries, i, 1);
  }
}
const performance = new Performance(illegal);
export { Performance, PerformanceEntry, PerformanceMark, PerformanceMeasure, performance };
`;
