/**
 * URL and URLSearchParams (WHATWG URL). Parsing and every setter run on the
 * host's own WHATWG URL through ops (like Deno's op_url_parse); the guest keeps
 * the parts and the live binding between a URL and its searchParams.
 */
export const URL_SOURCE = String.raw`
import { primordials } from "ext:core/mod.js";
import { brandCheck, definePairIterable, requireArgs, toPairs, toUSVString, webidlInterface } from "ext:islet_web/00_webidl.js";
import { op_url_location, op_url_parse, op_url_parse_search, op_url_set, op_url_stringify_search } from "ext:core/ops";
const {
  ArrayIsArray, ArrayPrototypePush, ArrayPrototypeSplice, ObjectDefineProperty, ObjectKeys, SafeWeakMap, String, TypeError,
  FunctionPrototypeCall, ObjectGetOwnPropertyDescriptor, ReflectOwnKeys,
} = primordials;
const SymbolIterator = primordials.SymbolIterator;

// USVString conversion (WebIDL): lone surrogates become U+FFFD.
function usv(v) { return toUSVString(v, "URL"); }

// --- URLSearchParams ----------------------------------------------------------------
const paramsSlots = new SafeWeakMap();
const ps = brandCheck(paramsSlots, "URLSearchParams");
function update(s) {
  if (s.url === null) return;
  const serialized = op_url_stringify_search(s.list);
  const u = urlSlots.get(s.url);
  setParts(u, op_url_set(u.href, "search", serialized));
}
const internal = primordials.Symbol("internal");
class URLSearchParams {
  constructor(init = "", key = undefined) {
    const s = { __proto__: null, list: [], url: null };
    paramsSlots.set(this, s);
    if (key === internal) return;
    if (init !== null && (typeof init === "object" || typeof init === "function")) {
      s.list = toPairs(init, "URLSearchParams constructor", (x) => toUSVString(x, "URLSearchParams constructor"));
      return;
    }
    let q = usv(init);
    if (q[0] === "?") q = primordials.StringPrototypeSlice(q, 1);
    s.list = op_url_parse_search(q);
  }
  get size() { return ps(this, "size").list.length; }
  append(name, value) {
    requireArgs(arguments.length, 2, "URLSearchParams.prototype.append");
    const s = ps(this, "append");
    ArrayPrototypePush(s.list, [usv(name), usv(value)]);
    update(s);
  }
  delete(name, value = undefined) {
    requireArgs(arguments.length, 1, "URLSearchParams.prototype.delete");
    const s = ps(this, "delete");
    const n = usv(name), v = value === undefined ? undefined : usv(value);
    for (let i = s.list.length - 1; i >= 0; i--) {
      if (s.list[i][0] === n && (v === undefined || s.list[i][1] === v)) ArrayPrototypeSplice(s.list, i, 1);
    }
    update(s);
  }
  get(name) {
    requireArgs(arguments.length, 1, "URLSearchParams.prototype.get");
    const s = ps(this, "get"), n = usv(name);
    for (let i = 0; i < s.list.length; i++) if (s.list[i][0] === n) return s.list[i][1];
    return null;
  }
  getAll(name) {
    requireArgs(arguments.length, 1, "URLSearchParams.prototype.getAll");
    const s = ps(this, "getAll"), n = usv(name), out = [];
    for (let i = 0; i < s.list.length; i++) if (s.list[i][0] === n) ArrayPrototypePush(out, s.list[i][1]);
    return out;
  }
  has(name, value = undefined) {
    requireArgs(arguments.length, 1, "URLSearchParams.prototype.has");
    const s = ps(this, "has"), n = usv(name), v = value === undefined ? undefined : usv(value);
    for (let i = 0; i < s.list.length; i++) if (s.list[i][0] === n && (v === undefined || s.list[i][1] === v)) return true;
    return false;
  }
  set(name, value) {
    requireArgs(arguments.length, 2, "URLSearchParams.prototype.set");
    const s = ps(this, "set"), n = usv(name), v = usv(value);
    let found = false;
    for (let i = 0; i < s.list.length; i++) {
      if (s.list[i][0] !== n) continue;
      if (!found) { s.list[i][1] = v; found = true; } else { ArrayPrototypeSplice(s.list, i, 1); i--; }
    }
    if (!found) ArrayPrototypePush(s.list, [n, v]);
    update(s);
  }
  sort() {
    const s = ps(this, "sort");
    // Stable sort by name in UTF-16 code units (insertion sort keeps equal names in order).
    const list = s.list;
    for (let i = 1; i < list.length; i++) {
      const item = list[i];
      let j = i - 1;
      while (j >= 0 && list[j][0] > item[0]) { list[j + 1] = list[j]; j--; }
      list[j + 1] = item;
    }
    update(s);
  }
  toString() { return op_url_stringify_search(ps(this, "toString").list); }
}
definePairIterable(URLSearchParams, "URLSearchParams", ps, (s) => s.list);
ObjectDefineProperty(URLSearchParams.prototype, Symbol.toStringTag, { __proto__: null, value: "URLSearchParams", configurable: true });

// --- URL ----------------------------------------------------------------------------
const urlSlots = new SafeWeakMap();
const FIELDS = ["href", "protocol", "username", "password", "host", "hostname", "port", "pathname", "search", "hash", "origin"];
function setParts(u, joined) {
  // The host joins the fields with "\n" (which no serialized URL contains).
  let from = 0;
  for (let i = 0; i < FIELDS.length; i++) {
    let at = primordials.StringPrototypeIndexOf(joined, "\n", from);
    if (at < 0) at = joined.length;
    u[FIELDS[i]] = primordials.StringPrototypeSlice(joined, from, at);
    from = at + 1;
  }
}
// searchParams is made on first use; until then nothing is parsed twice.
function paramsOf(self, u) {
  if (u.searchParams === null) {
    const params = new URLSearchParams("", internal);
    const s = paramsSlots.get(params);
    s.list = op_url_parse_search(primordials.StringPrototypeSlice(u.search, 1));
    s.url = self;
    u.searchParams = params;
  }
  return u.searchParams;
}
const us = brandCheck(urlSlots, "URL");
function parse(url, base) {
  return op_url_parse(usv(url), base === undefined ? undefined : usv(base));
}
class URL {
  constructor(url, base = undefined) {
    requireArgs(arguments.length, 1, "URL constructor");
    const parts = parse(url, base);
    if (parts === null) {
      throw new TypeError("URL constructor: invalid URL " + primordials.JSONStringify(usv(url)) + (base === undefined ? "" : " with base " + primordials.JSONStringify(usv(base))));
    }
    const u = { __proto__: null, searchParams: null };
    setParts(u, parts);
    urlSlots.set(this, u);
  }
  static canParse(url, base = undefined) {
    requireArgs(arguments.length, 1, "URL.canParse");
    return parse(url, base) !== null;
  }
  static parse(url, base = undefined) {
    requireArgs(arguments.length, 1, "URL.parse");
    if (parse(url, base) === null) return null;
    return base === undefined ? new URL(url) : new URL(url, base);
  }
  get searchParams() { return paramsOf(this, us(this, "searchParams")); }
  get origin() { return us(this, "origin").origin; }
  toString() { return us(this, "toString").href; }
  toJSON() { return us(this, "toJSON").href; }
}
for (const field of ["href", "protocol", "username", "password", "host", "hostname", "port", "pathname", "search", "hash"]) {
  ObjectDefineProperty(URL.prototype, field, { __proto__: null,
    get() { return us(this, field)[field]; },
    set(value) {
      requireArgs(arguments.length, 1, "URL.prototype." + field + " setter");
      const u = us(this, field);
      const v = usv(value);
      if (field === "href") {
        const parts = op_url_parse(v, undefined);
        if (parts === null) throw new TypeError("URL.prototype.href setter: invalid URL " + primordials.JSONStringify(v));
        setParts(u, parts);
      } else {
        setParts(u, op_url_set(u.href, field, v));
      }
      if ((field === "href" || field === "search") && u.searchParams !== null) {
        paramsSlots.get(u.searchParams).list = op_url_parse_search(primordials.StringPrototypeSlice(u.search, 1));
      }
    },
    enumerable: true, configurable: true,
  });
}
ObjectDefineProperty(URL.prototype, Symbol.toStringTag, { __proto__: null, value: "URL", configurable: true });

webidlInterface(URL);
webidlInterface(URLSearchParams);
ObjectDefineProperty(primordials.globalThis, "URL", { __proto__: null, value: URL, writable: true, configurable: true, enumerable: false });
ObjectDefineProperty(primordials.globalThis, "URLSearchParams", { __proto__: null, value: URLSearchParams, writable: true, configurable: true, enumerable: false });
// --- location (HTML §8.1.x WorkerLocation): the sandbox's base URL, when web({ location }) gave one ---
const LOCATION_HREF = op_url_location();
const locationParts = LOCATION_HREF === null ? null : parseURL(LOCATION_HREF);
let constructingLocation = false;
class WorkerLocation {
  constructor() { if (!constructingLocation) throw new TypeError("WorkerLocation: illegal constructor"); }
  get href() { return locationParts.href; }
  get origin() { return locationParts.origin; }
  get protocol() { return locationParts.protocol; }
  get host() { return locationParts.host; }
  get hostname() { return locationParts.hostname; }
  get port() { return locationParts.port; }
  get pathname() { return locationParts.pathname; }
  get search() { return locationParts.search; }
  get hash() { return locationParts.hash; }
  toString() { return locationParts.href; }
}
ObjectDefineProperty(WorkerLocation.prototype, Symbol.toStringTag, { __proto__: null, value: "WorkerLocation", configurable: true });
webidlInterface(WorkerLocation);
if (locationParts !== null) {
  constructingLocation = true;
  const location = new WorkerLocation();
  constructingLocation = false;
  ObjectDefineProperty(primordials.globalThis, "WorkerLocation", { __proto__: null, value: WorkerLocation, writable: true, configurable: true, enumerable: false });
  ObjectDefineProperty(primordials.globalThis, "location", { __proto__: null, get: () => location, enumerable: true, configurable: true });
}
/** The base URL relative URLs resolve against ("the API base URL"), or undefined when the sandbox has none. */
function baseURL() { return LOCATION_HREF === null ? undefined : LOCATION_HREF; }

/** The parts of a parsed URL (href, username, password, …) or null, for platform code: URL.prototype's getters may be replaced. */
function parseURL(url, base = undefined) {
  const joined = parse(url, base);
  if (joined === null) return null;
  const u = { __proto__: null, searchParams: null };
  setParts(u, joined);
  return u;
}
function isURLSearchParams(v) { return v !== null && typeof v === "object" && paramsSlots.has(v); }
function serializeSearchParams(params) { return op_url_stringify_search(paramsSlots.get(params).list); }
export { baseURL, isURLSearchParams, parseURL, serializeSearchParams, URL, URLSearchParams };
`;
