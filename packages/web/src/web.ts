/**
 * `islet_web`: DOMException, timers, events, abort, encoding, base64,
 * structuredClone, MessageChannel, performance, Readable/Writable/TransformStream and Blob. Host halves of its ops live here; guest
 * files are numbered by layer in ./js and never import a higher number.
 */
import { defineExtension, type Extension, type OpState, op, type Resource } from "@islet/core";
import { compressionOps } from "./compression.ts";
import { WEBIDL_SOURCE } from "./js/00_webidl.ts";
import { DOM_EXCEPTION_SOURCE } from "./js/01_dom_exception.ts";
import { TIMERS_SOURCE } from "./js/02_timers.ts";
import { EVENT_SOURCE } from "./js/03_event.ts";
import { ABORT_SOURCE } from "./js/04_abort.ts";
import { ENCODING_SOURCE } from "./js/05_encoding.ts";
import { BASE64_SOURCE } from "./js/06_base64.ts";
import { MESSAGE_PORT_SOURCE } from "./js/07_message_port.ts";
import { STRUCTURED_CLONE_SOURCE } from "./js/07_structured_clone.ts";
import { PERFORMANCE_SOURCE } from "./js/08_performance.ts";
import { BLOB_SOURCE } from "./js/09_blob.ts";
import { COMPRESSION_STREAM_SOURCE } from "./js/09_compression_stream.ts";
import { ENCODING_STREAM_SOURCE } from "./js/09_encoding_stream.ts";
import { STREAMS_SOURCE } from "./js/09_streams.ts";
import { WRITABLE_STREAM_SOURCE } from "./js/09_writable_stream.ts";
import { GLOBAL_SOURCE } from "./js/99_global.ts";

class DecoderResource implements Resource {
  readonly name = "textDecoder";
  constructor(
    readonly decoder: Decoder,
    readonly fatal: boolean,
  ) {}
}

/**
 * The error a failed decode reports. Only a fatal decoder rejects data, and it
 * does so with a TypeError (Encoding §"decode" with error mode "fatal"); that one
 * says the data is invalid. Anything else (a bad argument, an engine error) keeps
 * its own class and message.
 */
function decodeError(e: unknown, fatal: unknown, encoding: string): unknown {
  if (fatal === true && e instanceof TypeError) {
    return new TypeError(`TextDecoder.prototype.decode: the ${encoding} data is invalid`);
  }
  return e;
}

function bytesArg(value: unknown, where: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new TypeError(`${where}: expected bytes, got ${typeof value}`);
}

interface Decoder {
  readonly encoding: string;
  decode(bytes: Uint8Array, options?: { stream?: boolean }): string;
}

// WHATWG index-windows-1252 for 0x80..0x9F (the rest is Latin-1). Node's TextDecoder
// decodes "windows-1252" as ISO-8859-1, which is wrong for these 32 bytes.
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const windows1252: Decoder = {
  encoding: "windows-1252",
  decode(bytes) {
    let out = "";
    for (let i = 0; i < bytes.length; i += 8192) {
      const chunk = bytes.subarray(i, i + 8192);
      const units = new Uint16Array(chunk.length);
      for (let j = 0; j < chunk.length; j++) {
        const b = chunk[j] as number;
        units[j] = b >= 0x80 && b < 0xa0 ? (WINDOWS_1252_HIGH[b - 0x80] as number) : b;
      }
      out += String.fromCharCode(...units);
    }
    return out;
  },
};

function makeDecoder(encoding: unknown, fatal: unknown, ignoreBOM: unknown, where: string): Decoder {
  if (typeof encoding !== "string") throw new TypeError(`${where}: encoding must be a string`);
  if (encoding === "windows-1252") return windows1252;
  return new TextDecoder(encoding, { fatal: fatal === true, ignoreBOM: ignoreBOM === true });
}

const encoder = new TextEncoder();
const timeOrigin = performance.timeOrigin + performance.now();
const originOffset = performance.now();

export function webExtension(): Extension {
  return defineExtension({
    name: "islet_web",
    ops: {
      op_encoding_normalize_label: op.sync((_s: OpState, label: unknown) => {
        if (typeof label !== "string") throw new TypeError("TextDecoder: label must be a string");
        try {
          return new TextDecoder(label).encoding;
        } catch {
          throw new RangeError(`TextDecoder constructor: the encoding label "${label}" is not supported`);
        }
      }),
      op_encoding_encode: op.sync((_s: OpState, text: unknown) => encoder.encode(String(text))),
      op_encoding_encode_into: op.sync((_s: OpState, text: unknown, length: unknown) => {
        if (typeof length !== "number" || !Number.isInteger(length) || length < 0) {
          throw new TypeError(
            "TextEncoder.prototype.encodeInto: the destination length must be a non-negative integer",
          );
        }
        const source = String(text);
        // UTF-8 needs at most 3 bytes per UTF-16 unit: never allocate more than that.
        const dest = new Uint8Array(Math.min(length, source.length * 3));
        const { read, written } = encoder.encodeInto(source, dest);
        return { bytes: dest.subarray(0, written), read, written };
      }),
      op_encoding_decode: op.sync(
        (_s: OpState, bytes: unknown, encoding: unknown, fatal: unknown, ignoreBOM: unknown) => {
          const decoder = makeDecoder(encoding, fatal, ignoreBOM, "TextDecoder.prototype.decode");
          const input = bytesArg(bytes, "TextDecoder.prototype.decode");
          try {
            return decoder.decode(input);
          } catch (e) {
            throw decodeError(e, fatal, decoder.encoding);
          }
        },
      ),
      op_encoding_decoder_new: op.sync((state: OpState, encoding: unknown, fatal: unknown, ignoreBOM: unknown) =>
        state.resourceTable.add(
          new DecoderResource(makeDecoder(encoding, fatal, ignoreBOM, "TextDecoder"), fatal === true),
        ),
      ),
      op_encoding_decode_stream: op.sync((state: OpState, rid: unknown, bytes: unknown, stream: unknown) => {
        const resource = state.resourceTable.get(rid as number);
        if (!(resource instanceof DecoderResource)) throw new TypeError("TextDecoder: bad decoder resource");
        const more = stream === true;
        const input = bytesArg(bytes, "TextDecoder.prototype.decode");
        let text: string;
        try {
          text = resource.decoder.decode(input, { stream: more });
        } catch (e) {
          state.resourceTable.close(rid as number);
          throw decodeError(e, resource.fatal, resource.decoder.encoding);
        }
        if (!more) state.resourceTable.close(rid as number);
        return text;
      }),
      ...compressionOps,
      op_perf_now: op.sync(() => performance.now() - originOffset),
      op_perf_time_origin: op.sync(() => timeOrigin),
    },
    esm: {
      "ext:islet_web/00_webidl.js": WEBIDL_SOURCE,
      "ext:islet_web/01_dom_exception.js": DOM_EXCEPTION_SOURCE,
      "ext:islet_web/02_timers.js": TIMERS_SOURCE,
      "ext:islet_web/03_event.js": EVENT_SOURCE,
      "ext:islet_web/04_abort.js": ABORT_SOURCE,
      "ext:islet_web/05_encoding.js": ENCODING_SOURCE,
      "ext:islet_web/06_base64.js": BASE64_SOURCE,
      "ext:islet_web/07_structured_clone.js": STRUCTURED_CLONE_SOURCE,
      "ext:islet_web/07_message_port.js": MESSAGE_PORT_SOURCE,
      "ext:islet_web/08_performance.js": PERFORMANCE_SOURCE,
      "ext:islet_web/09_streams.js": STREAMS_SOURCE,
      "ext:islet_web/09_writable_stream.js": WRITABLE_STREAM_SOURCE,
      "ext:islet_web/09_encoding_stream.js": ENCODING_STREAM_SOURCE,
      "ext:islet_web/09_compression_stream.js": COMPRESSION_STREAM_SOURCE,
      "ext:islet_web/09_blob.js": BLOB_SOURCE,
      "ext:islet_web/99_global.js": GLOBAL_SOURCE,
    },
    esmEntryPoints: ["ext:islet_web/99_global.js"],
  });
}
