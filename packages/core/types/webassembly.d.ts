// The part of the WebAssembly JS API that @islet/core uses. Core is compiled
// without DOM/WebWorker libs (it runs in Node and in workers); packages that
// use those libs get the full declarations from them instead of this file.
declare namespace WebAssembly {
  type Module = {};
  var Module: { prototype: Module; new (bytes: BufferSource): Module };
  interface Memory {
    readonly buffer: ArrayBuffer;
  }
  var Memory: { prototype: Memory; new (descriptor: { initial: number; maximum?: number; shared?: boolean }): Memory };
  interface Table {
    readonly length: number;
    grow(delta: number): number;
    set(index: number, value: unknown): void;
  }
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  type Imports = Record<string, Record<string, unknown>>;
  var Instance: { prototype: Instance; new (module: Module, imports?: Imports): Instance };
  function compile(bytes: BufferSource): Promise<Module>;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;
}
type BufferSource = ArrayBufferView | ArrayBuffer;
