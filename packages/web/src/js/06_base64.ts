/** atob / btoa (HTML §8.3) with forgiving-base64 decode (Infra §4.5). */
export const BASE64_SOURCE = String.raw`
import { primordials } from "ext:core/mod.js";
import { DOMException } from "ext:islet_web/01_dom_exception.js";
import { requireArgs } from "ext:islet_web/00_webidl.js";
const { String, StringFromCharCode, StringPrototypeCharCodeAt, StringPrototypeCharAt } = primordials;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const VALUE = new primordials.Int16Array(128);
for (let i = 0; i < 128; i++) VALUE[i] = -1;
for (let i = 0; i < 64; i++) VALUE[StringPrototypeCharCodeAt(ALPHABET, i)] = i;

function btoa(data) {
  requireArgs(arguments.length, 1, "btoa");
  const s = String(data);
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (StringPrototypeCharCodeAt(s, i) > 255) {
      throw new DOMException("btoa: the string contains a character outside Latin1 at index " + i, "InvalidCharacterError");
    }
  }
  for (let i = 0; i < s.length; i += 3) {
    const a = StringPrototypeCharCodeAt(s, i), b = i + 1 < s.length ? StringPrototypeCharCodeAt(s, i + 1) : -1;
    const c = i + 2 < s.length ? StringPrototypeCharCodeAt(s, i + 2) : -1;
    out += StringPrototypeCharAt(ALPHABET, a >> 2);
    out += StringPrototypeCharAt(ALPHABET, ((a & 3) << 4) | (b < 0 ? 0 : b >> 4));
    out += b < 0 ? "=" : StringPrototypeCharAt(ALPHABET, ((b & 15) << 2) | (c < 0 ? 0 : c >> 6));
    out += c < 0 ? "=" : StringPrototypeCharAt(ALPHABET, c & 63);
  }
  return out;
}

function atob(data) {
  requireArgs(arguments.length, 1, "atob");
  const input = String(data);
  // Step 1: remove ASCII whitespace (TAB, LF, FF, CR, SPACE).
  let s = "";
  for (let i = 0; i < input.length; i++) {
    const c = StringPrototypeCharCodeAt(input, i);
    if (c !== 9 && c !== 10 && c !== 12 && c !== 13 && c !== 32) s += StringPrototypeCharAt(input, i);
  }
  const bad = (why) => new DOMException("atob: the string to be decoded is not correctly encoded (" + why + ")", "InvalidCharacterError");
  // Steps 2-3: strip one or two trailing "=" when the length is a multiple of 4; then length % 4 == 1 fails.
  if (s.length % 4 === 0) {
    if (s.length > 0 && StringPrototypeCharCodeAt(s, s.length - 1) === 61) s = primordials.StringPrototypeSlice(s, 0, -1);
    if (s.length > 0 && StringPrototypeCharCodeAt(s, s.length - 1) === 61) s = primordials.StringPrototypeSlice(s, 0, -1);
  }
  if (s.length % 4 === 1) throw bad("length");
  let out = "";
  let buffer = 0, bits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = StringPrototypeCharCodeAt(s, i);
    const v = c < 128 ? VALUE[c] : -1;
    if (v < 0) throw bad("invalid character at index " + i);
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += StringFromCharCode((buffer >> bits) & 255);
    }
  }
  return out;
}
export { atob, btoa };
`;
