/**
 * Type declarations of the sandbox's global scope, for editors and the
 * playground (load next to TypeScript's `lib.es2024`, without the DOM lib).
 * `islet_dts.test.ts` checks that every global the runtime defines is declared.
 */
export const ISLET_GLOBALS_DTS = /* ts */ `// Globals of an Islet sandbox (@islet/web).
type BufferSource = ArrayBufferView | ArrayBuffer;
type TimerHandler = string | ((...args: any[]) => void);

interface Console {
  log(...data: any[]): void; info(...data: any[]): void; debug(...data: any[]): void;
  warn(...data: any[]): void; error(...data: any[]): void; trace(...data: any[]): void;
  assert(condition?: boolean, ...data: any[]): void; dir(item?: any, options?: { depth?: number }): void; dirxml(...data: any[]): void;
  table(tabularData?: any, properties?: string[]): void;
  group(...data: any[]): void; groupCollapsed(...data: any[]): void; groupEnd(): void;
  time(label?: string): void; timeLog(label?: string, ...data: any[]): void; timeEnd(label?: string): void;
  count(label?: string): void; countReset(label?: string): void; clear(): void;
}
declare var console: Console;

declare function setTimeout(handler: TimerHandler, timeout?: number, ...args: any[]): number;
declare function setInterval(handler: TimerHandler, timeout?: number, ...args: any[]): number;
declare function clearTimeout(id?: number): void;
declare function clearInterval(id?: number): void;
declare function queueMicrotask(callback: () => void): void;
declare function reportError(e: any): void;
declare function structuredClone<T = any>(value: T, options?: { transfer?: never[] }): T;
declare function atob(data: string): string;
declare function btoa(data: string): string;

interface DOMException extends Error {
  readonly name: string; readonly message: string; readonly code: number;
  readonly INDEX_SIZE_ERR: 1; readonly DOMSTRING_SIZE_ERR: 2; readonly HIERARCHY_REQUEST_ERR: 3; readonly WRONG_DOCUMENT_ERR: 4;
  readonly INVALID_CHARACTER_ERR: 5; readonly NO_DATA_ALLOWED_ERR: 6; readonly NO_MODIFICATION_ALLOWED_ERR: 7; readonly NOT_FOUND_ERR: 8;
  readonly NOT_SUPPORTED_ERR: 9; readonly INUSE_ATTRIBUTE_ERR: 10; readonly INVALID_STATE_ERR: 11; readonly SYNTAX_ERR: 12;
  readonly INVALID_MODIFICATION_ERR: 13; readonly NAMESPACE_ERR: 14; readonly INVALID_ACCESS_ERR: 15; readonly VALIDATION_ERR: 16;
  readonly TYPE_MISMATCH_ERR: 17; readonly SECURITY_ERR: 18; readonly NETWORK_ERR: 19; readonly ABORT_ERR: 20;
  readonly URL_MISMATCH_ERR: 21; readonly QUOTA_EXCEEDED_ERR: 22; readonly TIMEOUT_ERR: 23; readonly INVALID_NODE_TYPE_ERR: 24;
  readonly DATA_CLONE_ERR: 25;
}
declare var DOMException: {
  prototype: DOMException;
  new (message?: string, options?: string | { name?: string; cause?: unknown }): DOMException;
  readonly INDEX_SIZE_ERR: 1; readonly DOMSTRING_SIZE_ERR: 2; readonly HIERARCHY_REQUEST_ERR: 3; readonly WRONG_DOCUMENT_ERR: 4;
  readonly INVALID_CHARACTER_ERR: 5; readonly NO_DATA_ALLOWED_ERR: 6; readonly NO_MODIFICATION_ALLOWED_ERR: 7; readonly NOT_FOUND_ERR: 8;
  readonly NOT_SUPPORTED_ERR: 9; readonly INUSE_ATTRIBUTE_ERR: 10; readonly INVALID_STATE_ERR: 11; readonly SYNTAX_ERR: 12;
  readonly INVALID_MODIFICATION_ERR: 13; readonly NAMESPACE_ERR: 14; readonly INVALID_ACCESS_ERR: 15; readonly VALIDATION_ERR: 16;
  readonly TYPE_MISMATCH_ERR: 17; readonly SECURITY_ERR: 18; readonly NETWORK_ERR: 19; readonly ABORT_ERR: 20;
  readonly URL_MISMATCH_ERR: 21; readonly QUOTA_EXCEEDED_ERR: 22; readonly TIMEOUT_ERR: 23; readonly INVALID_NODE_TYPE_ERR: 24;
  readonly DATA_CLONE_ERR: 25;
};

interface EventInit { bubbles?: boolean; cancelable?: boolean; composed?: boolean }
interface Event {
  readonly type: string; readonly target: EventTarget | null; readonly srcElement: EventTarget | null;
  readonly currentTarget: EventTarget | null; readonly eventPhase: number; readonly bubbles: boolean;
  readonly cancelable: boolean; readonly composed: boolean; readonly defaultPrevented: boolean;
  readonly isTrusted: boolean; readonly timeStamp: number; returnValue: boolean; cancelBubble: boolean;
  composedPath(): EventTarget[]; stopPropagation(): void; stopImmediatePropagation(): void; preventDefault(): void;
  initEvent(type: string, bubbles?: boolean, cancelable?: boolean): void;
  readonly NONE: 0; readonly CAPTURING_PHASE: 1; readonly AT_TARGET: 2; readonly BUBBLING_PHASE: 3;
}
declare var Event: { prototype: Event; new (type: string, eventInitDict?: EventInit): Event; readonly NONE: 0; readonly CAPTURING_PHASE: 1; readonly AT_TARGET: 2; readonly BUBBLING_PHASE: 3 };
interface EventListener { (evt: Event): void }
interface EventListenerObject { handleEvent(object: Event): void }
type EventListenerOrEventListenerObject = EventListener | EventListenerObject;
interface AddEventListenerOptions { capture?: boolean; once?: boolean; passive?: boolean; signal?: AbortSignal }
interface EventTarget {
  addEventListener(type: string, callback: EventListenerOrEventListenerObject | null, options?: AddEventListenerOptions | boolean): void;
  removeEventListener(type: string, callback: EventListenerOrEventListenerObject | null, options?: { capture?: boolean } | boolean): void;
  dispatchEvent(event: Event): boolean;
}
declare var EventTarget: { prototype: EventTarget; new (): EventTarget };
interface CustomEvent<T = any> extends Event { readonly detail: T; initCustomEvent(type: string, bubbles?: boolean, cancelable?: boolean, detail?: T): void }
declare var CustomEvent: { prototype: CustomEvent; new <T>(type: string, eventInitDict?: EventInit & { detail?: T }): CustomEvent<T> };
interface ErrorEvent extends Event { readonly message: string; readonly filename: string; readonly lineno: number; readonly colno: number; readonly error: any }
declare var ErrorEvent: { prototype: ErrorEvent; new (type: string, eventInitDict?: EventInit & { message?: string; filename?: string; lineno?: number; colno?: number; error?: any }): ErrorEvent };
interface PromiseRejectionEvent extends Event { readonly promise: Promise<any>; readonly reason: any }
declare var PromiseRejectionEvent: { prototype: PromiseRejectionEvent; new (type: string, eventInitDict: EventInit & { promise: Promise<any>; reason?: any }): PromiseRejectionEvent };
declare function addEventListener(type: "error", listener: (event: ErrorEvent) => void, options?: AddEventListenerOptions | boolean): void;
declare function addEventListener(type: "unhandledrejection", listener: (event: PromiseRejectionEvent) => void, options?: AddEventListenerOptions | boolean): void;
declare var onerror: ((message: string, filename: string, lineno: number, colno: number, error: any) => any) | null;
declare var onunhandledrejection: ((event: PromiseRejectionEvent) => any) | null;
declare function addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: AddEventListenerOptions | boolean): void;
declare function removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: { capture?: boolean } | boolean): void;
declare function dispatchEvent(event: Event): boolean;

interface AbortSignal extends EventTarget { readonly aborted: boolean; readonly reason: any; onabort: ((this: AbortSignal, ev: Event) => any) | null; throwIfAborted(): void }
declare var AbortSignal: { prototype: AbortSignal; abort(reason?: any): AbortSignal; timeout(milliseconds: number): AbortSignal; any(signals: Iterable<AbortSignal>): AbortSignal };
interface AbortController { readonly signal: AbortSignal; abort(reason?: any): void }
declare var AbortController: { prototype: AbortController; new (): AbortController };

interface TextEncoder { readonly encoding: "utf-8"; encode(input?: string): Uint8Array; encodeInto(source: string, destination: Uint8Array): { read: number; written: number } }
declare var TextEncoder: { prototype: TextEncoder; new (): TextEncoder };
interface TextDecoder { readonly encoding: string; readonly fatal: boolean; readonly ignoreBOM: boolean; decode(input?: BufferSource, options?: { stream?: boolean }): string }
declare var TextDecoder: { prototype: TextDecoder; new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder };

interface URLSearchParams {
  readonly size: number;
  append(name: string, value: string): void; delete(name: string, value?: string): void; get(name: string): string | null;
  getAll(name: string): string[]; has(name: string, value?: string): boolean; set(name: string, value: string): void; sort(): void;
  forEach(callbackfn: (value: string, key: string, parent: URLSearchParams) => void, thisArg?: any): void;
  keys(): IterableIterator<string>; values(): IterableIterator<string>; entries(): IterableIterator<[string, string]>;
  [Symbol.iterator](): IterableIterator<[string, string]>; toString(): string;
}
declare var URLSearchParams: { prototype: URLSearchParams; new (init?: string[][] | Record<string, string> | string | URLSearchParams): URLSearchParams };
interface URL {
  href: string; protocol: string; username: string; password: string; host: string; hostname: string; port: string;
  pathname: string; search: string; hash: string; readonly origin: string; readonly searchParams: URLSearchParams;
  toString(): string; toJSON(): string;
}
declare var URL: { prototype: URL; new (url: string | URL, base?: string | URL): URL; canParse(url: string | URL, base?: string | URL): boolean; parse(url: string | URL, base?: string | URL): URL | null };

interface PerformanceEntry { readonly name: string; readonly entryType: string; readonly startTime: number; readonly duration: number; toJSON(): any }
declare var PerformanceEntry: { prototype: PerformanceEntry };
interface PerformanceMark extends PerformanceEntry { readonly detail: any }
declare var PerformanceMark: { prototype: PerformanceMark; new (markName: string, markOptions?: { detail?: any; startTime?: number }): PerformanceMark };
interface PerformanceMeasure extends PerformanceEntry { readonly detail: any }
declare var PerformanceMeasure: { prototype: PerformanceMeasure };
interface Performance extends EventTarget {
  readonly timeOrigin: number; now(): number;
  mark(markName: string, markOptions?: { detail?: any; startTime?: number }): PerformanceMark;
  measure(measureName: string, startOrMeasureOptions?: string | { start?: string | number; end?: string | number; duration?: number; detail?: any }, endMark?: string): PerformanceMeasure;
  getEntries(): PerformanceEntry[]; getEntriesByType(type: string): PerformanceEntry[]; getEntriesByName(name: string, type?: string): PerformanceEntry[];
  clearMarks(markName?: string): void; clearMeasures(measureName?: string): void; toJSON(): any;
}
declare var Performance: { prototype: Performance };
declare var performance: Performance;

type AlgorithmIdentifier = string | { name: string };
interface SubtleCrypto { digest(algorithm: AlgorithmIdentifier, data: BufferSource): Promise<ArrayBuffer> }
declare var SubtleCrypto: { prototype: SubtleCrypto };
interface Crypto { readonly subtle: SubtleCrypto; getRandomValues<T extends ArrayBufferView | null>(array: T): T; randomUUID(): \`\${string}-\${string}-\${string}-\${string}-\${string}\` }
declare var Crypto: { prototype: Crypto };
declare var crypto: Crypto;
interface Navigator { readonly userAgent: string; readonly hardwareConcurrency: number; readonly language: string; readonly languages: readonly string[] }
declare var Navigator: { prototype: Navigator };
declare var navigator: Navigator;
declare var self: typeof globalThis;
interface WorkerLocation {
  readonly href: string; readonly origin: string; readonly protocol: string; readonly host: string; readonly hostname: string;
  readonly port: string; readonly pathname: string; readonly search: string; readonly hash: string; toString(): string;
}
declare var WorkerLocation: { prototype: WorkerLocation } | undefined;
/** The sandbox's base URL: present only when the host gave one (web({ location })). */
declare var location: WorkerLocation | undefined;

interface QueuingStrategy<R = any> { highWaterMark?: number; size?: (chunk: R) => number }
interface UnderlyingDefaultSource<R = any> {
  start?: (controller: ReadableStreamDefaultController<R>) => any;
  pull?: (controller: ReadableStreamDefaultController<R>) => void | PromiseLike<void>;
  cancel?: (reason?: any) => void | PromiseLike<void>;
}
interface ReadableStreamDefaultController<R = any> {
  readonly desiredSize: number | null; close(): void; enqueue(chunk?: R): void; error(e?: any): void;
}
declare var ReadableStreamDefaultController: { prototype: ReadableStreamDefaultController };
type ReadableStreamReadResult<T> = { done: false; value: T } | { done: true; value: undefined };
interface ReadableStreamDefaultReader<R = any> {
  readonly closed: Promise<undefined>; read(): Promise<ReadableStreamReadResult<R>>; releaseLock(): void; cancel(reason?: any): Promise<void>;
}
declare var ReadableStreamDefaultReader: { prototype: ReadableStreamDefaultReader; new <R = any>(stream: ReadableStream<R>): ReadableStreamDefaultReader<R> };
interface UnderlyingByteSource {
  type: "bytes"; autoAllocateChunkSize?: number;
  start?: (controller: ReadableByteStreamController) => any;
  pull?: (controller: ReadableByteStreamController) => void | PromiseLike<void>;
  cancel?: (reason?: any) => void | PromiseLike<void>;
}
interface ReadableByteStreamController {
  readonly byobRequest: ReadableStreamBYOBRequest | null; readonly desiredSize: number | null;
  close(): void; enqueue(chunk: ArrayBufferView): void; error(e?: any): void;
}
declare var ReadableByteStreamController: { prototype: ReadableByteStreamController };
interface ReadableStreamBYOBRequest { readonly view: ArrayBufferView | null; respond(bytesWritten: number): void; respondWithNewView(view: ArrayBufferView): void }
declare var ReadableStreamBYOBRequest: { prototype: ReadableStreamBYOBRequest };
type ReadableStreamBYOBReadResult<T extends ArrayBufferView> = { done: false; value: T } | { done: true; value: T | undefined };
interface ReadableStreamBYOBReader {
  readonly closed: Promise<undefined>; read<T extends ArrayBufferView>(view: T, options?: { min?: number }): Promise<ReadableStreamBYOBReadResult<T>>;
  releaseLock(): void; cancel(reason?: any): Promise<void>;
}
declare var ReadableStreamBYOBReader: { prototype: ReadableStreamBYOBReader; new (stream: ReadableStream<Uint8Array>): ReadableStreamBYOBReader };
interface ReadableStream<R = any> {
  readonly locked: boolean; cancel(reason?: any): Promise<void>; getReader(options: { mode: "byob" }): ReadableStreamBYOBReader;
  getReader(options?: { mode?: undefined }): ReadableStreamDefaultReader<R>;
  tee(): [ReadableStream<R>, ReadableStream<R>]; values(options?: { preventCancel?: boolean }): AsyncIterableIterator<R>;
  [Symbol.asyncIterator](options?: { preventCancel?: boolean }): AsyncIterableIterator<R>;
  pipeTo(destination: WritableStream<R>, options?: StreamPipeOptions): Promise<void>;
  pipeThrough<T>(transform: ReadableWritablePair<T, R>, options?: StreamPipeOptions): ReadableStream<T>;
}
interface StreamPipeOptions { preventAbort?: boolean; preventCancel?: boolean; preventClose?: boolean; signal?: AbortSignal }
interface ReadableWritablePair<R = any, W = any> { readable: ReadableStream<R>; writable: WritableStream<W> }
interface UnderlyingSink<W = any> {
  start?: (controller: WritableStreamDefaultController) => any;
  write?: (chunk: W, controller: WritableStreamDefaultController) => void | PromiseLike<void>;
  close?: () => void | PromiseLike<void>;
  abort?: (reason?: any) => void | PromiseLike<void>;
}
interface WritableStreamDefaultController { readonly signal: AbortSignal; error(e?: any): void }
declare var WritableStreamDefaultController: { prototype: WritableStreamDefaultController };
interface WritableStreamDefaultWriter<W = any> {
  readonly closed: Promise<undefined>; readonly desiredSize: number | null; readonly ready: Promise<undefined>;
  abort(reason?: any): Promise<void>; close(): Promise<void>; releaseLock(): void; write(chunk?: W): Promise<void>;
}
declare var WritableStreamDefaultWriter: { prototype: WritableStreamDefaultWriter; new <W = any>(stream: WritableStream<W>): WritableStreamDefaultWriter<W> };
interface WritableStream<W = any> { readonly locked: boolean; abort(reason?: any): Promise<void>; close(): Promise<void>; getWriter(): WritableStreamDefaultWriter<W> }
declare var WritableStream: { prototype: WritableStream; new <W = any>(underlyingSink?: UnderlyingSink<W>, strategy?: QueuingStrategy<W>): WritableStream<W> };
interface TransformStreamDefaultController<O = any> { readonly desiredSize: number | null; enqueue(chunk?: O): void; error(reason?: any): void; terminate(): void }
declare var TransformStreamDefaultController: { prototype: TransformStreamDefaultController };
interface Transformer<I = any, O = any> {
  start?: (controller: TransformStreamDefaultController<O>) => any;
  transform?: (chunk: I, controller: TransformStreamDefaultController<O>) => void | PromiseLike<void>;
  flush?: (controller: TransformStreamDefaultController<O>) => void | PromiseLike<void>;
  cancel?: (reason?: any) => void | PromiseLike<void>;
}
interface TransformStream<I = any, O = any> { readonly readable: ReadableStream<O>; readonly writable: WritableStream<I> }
declare var TransformStream: {
  prototype: TransformStream;
  new <I = any, O = any>(transformer?: Transformer<I, O>, writableStrategy?: QueuingStrategy<I>, readableStrategy?: QueuingStrategy<O>): TransformStream<I, O>;
};
declare var ReadableStream: {
  prototype: ReadableStream; new (underlyingSource: UnderlyingByteSource, strategy?: { highWaterMark?: number }): ReadableStream<Uint8Array>;
  new <R = any>(underlyingSource?: UnderlyingDefaultSource<R>, strategy?: QueuingStrategy<R>): ReadableStream<R>;
  from<R>(asyncIterable: AsyncIterable<R> | Iterable<R | PromiseLike<R>>): ReadableStream<R>;
};
interface MessageEventInit<T = any> extends EventInit { data?: T; origin?: string; lastEventId?: string; source?: MessagePort | null; ports?: MessagePort[] }
interface MessageEvent<T = any> extends Event {
  readonly data: T; readonly origin: string; readonly lastEventId: string; readonly source: MessagePort | null; readonly ports: readonly MessagePort[];
}
declare var MessageEvent: { prototype: MessageEvent; new <T>(type: string, eventInitDict?: MessageEventInit<T>): MessageEvent<T> };
interface StructuredSerializeOptions { transfer?: any[] }
interface MessagePort extends EventTarget {
  onmessage: ((this: MessagePort, ev: MessageEvent) => any) | null; onmessageerror: ((this: MessagePort, ev: MessageEvent) => any) | null;
  postMessage(message: any, transfer: any[]): void; postMessage(message: any, options?: StructuredSerializeOptions): void; start(): void; close(): void;
}
declare var MessagePort: { prototype: MessagePort };
interface MessageChannel { readonly port1: MessagePort; readonly port2: MessagePort }
declare var MessageChannel: { prototype: MessageChannel; new (): MessageChannel };
interface GenericTransformStream<I = any, O = any> { readonly readable: ReadableStream<O>; readonly writable: WritableStream<I> }
interface TextEncoderStream extends GenericTransformStream<string, Uint8Array> { readonly encoding: "utf-8" }
declare var TextEncoderStream: { prototype: TextEncoderStream; new (): TextEncoderStream };
interface TextDecoderStream extends GenericTransformStream<BufferSource, string> { readonly encoding: string; readonly fatal: boolean; readonly ignoreBOM: boolean }
declare var TextDecoderStream: { prototype: TextDecoderStream; new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoderStream };
type CompressionFormat = "deflate" | "deflate-raw" | "gzip";
interface CompressionStream extends GenericTransformStream<BufferSource, Uint8Array> {}
declare var CompressionStream: { prototype: CompressionStream; new (format: CompressionFormat): CompressionStream };
interface DecompressionStream extends GenericTransformStream<BufferSource, Uint8Array> {}
declare var DecompressionStream: { prototype: DecompressionStream; new (format: CompressionFormat): DecompressionStream };
interface CountQueuingStrategy { readonly highWaterMark: number; readonly size: (chunk?: any) => 1 }
declare var CountQueuingStrategy: { prototype: CountQueuingStrategy; new (init: { highWaterMark: number }): CountQueuingStrategy };
interface ByteLengthQueuingStrategy { readonly highWaterMark: number; readonly size: (chunk: ArrayBufferView) => number }
declare var ByteLengthQueuingStrategy: { prototype: ByteLengthQueuingStrategy; new (init: { highWaterMark: number }): ByteLengthQueuingStrategy };
type BlobPart = BufferSource | Blob | string;
interface Blob {
  readonly size: number; readonly type: string; slice(start?: number, end?: number, contentType?: string): Blob;
  text(): Promise<string>; arrayBuffer(): Promise<ArrayBuffer>; bytes(): Promise<Uint8Array>; stream(): ReadableStream<Uint8Array>;
}
declare var Blob: { prototype: Blob; new (blobParts?: BlobPart[], options?: { type?: string; endings?: "transparent" | "native" }): Blob };
interface File extends Blob { readonly name: string; readonly lastModified: number; readonly webkitRelativePath: string }
declare var File: {
  prototype: File;
  new (fileBits: BlobPart[], fileName: string, options?: { type?: string; endings?: "transparent" | "native"; lastModified?: number }): File;
};

type HeadersInit = [string, string][] | Record<string, string> | Headers;
interface Headers {
  append(name: string, value: string): void; delete(name: string): void; get(name: string): string | null; getSetCookie(): string[];
  has(name: string): boolean; set(name: string, value: string): void;
  forEach(callbackfn: (value: string, key: string, parent: Headers) => void, thisArg?: any): void;
  keys(): IterableIterator<string>; values(): IterableIterator<string>; entries(): IterableIterator<[string, string]>;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}
declare var Headers: { prototype: Headers; new (init?: HeadersInit): Headers };
type BodyInit = string | BufferSource | URLSearchParams | Blob | ReadableStream<Uint8Array>;
interface Body {
  readonly body: ReadableStream<Uint8Array> | null; readonly bodyUsed: boolean; blob(): Promise<Blob>;
  arrayBuffer(): Promise<ArrayBuffer>; bytes(): Promise<Uint8Array>; text(): Promise<string>; json(): Promise<any>;
}
type RequestRedirect = "follow" | "error" | "manual";
interface RequestInit {
  method?: string; headers?: HeadersInit; body?: BodyInit | null; redirect?: RequestRedirect; signal?: AbortSignal | null; duplex?: "half";
  mode?: "same-origin" | "no-cors" | "cors"; credentials?: "omit" | "same-origin" | "include";
  cache?: "default" | "no-store" | "reload" | "no-cache" | "force-cache" | "only-if-cached"; referrer?: string; referrerPolicy?: string;
  integrity?: string; keepalive?: boolean; priority?: "high" | "low" | "auto"; window?: null;
}
interface Request extends Body {
  readonly url: string; readonly method: string; readonly headers: Headers; readonly redirect: RequestRedirect;
  readonly signal: AbortSignal | null; readonly duplex: "half"; clone(): Request;
  readonly mode: "navigate" | "same-origin" | "no-cors" | "cors"; readonly credentials: "omit" | "same-origin" | "include";
  readonly cache: "default" | "no-store" | "reload" | "no-cache" | "force-cache" | "only-if-cached"; readonly referrer: string;
  readonly referrerPolicy: string; readonly integrity: string; readonly keepalive: boolean; readonly destination: string;
  readonly isReloadNavigation: boolean; readonly isHistoryNavigation: boolean;
}
declare var Request: { prototype: Request; new (input: string | URL | Request, init?: RequestInit): Request };
interface ResponseInit { status?: number; statusText?: string; headers?: HeadersInit }
interface Response extends Body {
  readonly status: number; readonly statusText: string; readonly ok: boolean; readonly headers: Headers;
  readonly url: string; readonly redirected: boolean; readonly type: "basic" | "default" | "error"; clone(): Response;
}
declare var Response: {
  prototype: Response; new (body?: BodyInit | null, init?: ResponseInit): Response;
  error(): Response; redirect(url: string | URL, status?: number): Response; json(data: any, init?: ResponseInit): Response;
};
/** Needs the "net" permission for every host the request reaches, redirects included. */
declare function fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
`;
