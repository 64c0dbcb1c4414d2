/**
 * Installs islet_web's interfaces on the global scope (WebIDL: interface objects
 * and operations are writable, configurable, non-enumerable properties).
 */
export const GLOBAL_SOURCE = String.raw`
import { primordials } from "ext:core/mod.js";
import { DOMException } from "ext:islet_web/01_dom_exception.js";
import { clearInterval, clearTimeout, queueMicrotask, setInterval, setTimeout } from "ext:islet_web/02_timers.js";
import { CustomEvent, ErrorEvent, Event, EventTarget, makeGlobalEventTarget, PromiseRejectionEvent, reportError } from "ext:islet_web/03_event.js";
import { AbortController, AbortSignal } from "ext:islet_web/04_abort.js";
import { TextDecoder, TextEncoder } from "ext:islet_web/05_encoding.js";
import { atob, btoa } from "ext:islet_web/06_base64.js";
import { structuredClone } from "ext:islet_web/07_structured_clone.js";
import { MessageChannel, MessageEvent, MessagePort } from "ext:islet_web/07_message_port.js";
import { performance, Performance, PerformanceEntry, PerformanceMark, PerformanceMeasure } from "ext:islet_web/08_performance.js";
import {
  ByteLengthQueuingStrategy, CountQueuingStrategy, ReadableByteStreamController, ReadableStream, ReadableStreamBYOBReader,
  ReadableStreamBYOBRequest, ReadableStreamDefaultController, ReadableStreamDefaultReader,
} from "ext:islet_web/09_streams.js";
import {
  TransformStream, TransformStreamDefaultController, WritableStream, WritableStreamDefaultController, WritableStreamDefaultWriter,
} from "ext:islet_web/09_writable_stream.js";
import { TextDecoderStream, TextEncoderStream } from "ext:islet_web/09_encoding_stream.js";
import { CompressionStream, DecompressionStream } from "ext:islet_web/09_compression_stream.js";
import { Blob, File } from "ext:islet_web/09_blob.js";
import { webidlInterface } from "ext:islet_web/00_webidl.js";
const { ObjectDefineProperty } = primordials;
const global = primordials.globalThis;

// WebIDL attributes and operations are enumerable (class syntax makes them not).
for (const C of [
  Event, EventTarget, CustomEvent, ErrorEvent, PromiseRejectionEvent, AbortController, AbortSignal, TextEncoder, TextDecoder,
  Performance, PerformanceEntry, PerformanceMark, PerformanceMeasure, ReadableStream, ReadableStreamDefaultReader,
  ReadableStreamDefaultController, CountQueuingStrategy, ByteLengthQueuingStrategy, WritableStream, WritableStreamDefaultWriter,
  WritableStreamDefaultController, TransformStream, TransformStreamDefaultController, TextEncoderStream, TextDecoderStream,
  CompressionStream, DecompressionStream, MessageChannel, MessagePort, MessageEvent, ReadableByteStreamController,
  ReadableStreamBYOBReader, ReadableStreamBYOBRequest,
]) webidlInterface(C);

export function expose(values) {
  for (const name of primordials.ObjectKeys(values)) {
    ObjectDefineProperty(global, name, { __proto__: null, value: values[name], writable: true, configurable: true, enumerable: false });
  }
}
expose({
  DOMException, Event, EventTarget, CustomEvent, ErrorEvent, PromiseRejectionEvent, AbortController, AbortSignal,
  TextEncoder, TextDecoder, setTimeout, setInterval, clearTimeout, clearInterval, queueMicrotask, reportError,
  atob, btoa, structuredClone, MessageChannel, MessagePort, MessageEvent, Performance, PerformanceEntry, PerformanceMark, PerformanceMeasure,
  ReadableStream, ReadableStreamDefaultReader, ReadableStreamDefaultController, ReadableByteStreamController,
  ReadableStreamBYOBReader, ReadableStreamBYOBRequest, CountQueuingStrategy,
  ByteLengthQueuingStrategy, WritableStream, WritableStreamDefaultWriter, WritableStreamDefaultController, TransformStream,
  TransformStreamDefaultController, TextEncoderStream, TextDecoderStream, CompressionStream, DecompressionStream, Blob, File,
  addEventListener: EventTarget.prototype.addEventListener,
  removeEventListener: EventTarget.prototype.removeEventListener,
  dispatchEvent: EventTarget.prototype.dispatchEvent,
});
ObjectDefineProperty(global, "performance", { __proto__: null, value: performance, writable: true, configurable: true, enumerable: true });
ObjectDefineProperty(global, "self", { __proto__: null, value: global, writable: true, configurable: true, enumerable: true });
makeGlobalEventTarget();
`;
