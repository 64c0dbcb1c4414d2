// Types of worker_payload.mjs (for e2e/packaging.spec.ts).
export interface PayloadPart {
  file: string;
  raw: number;
  gzip: number;
}
export function gzipSize(file: string): { raw: number; gzip: number };
/** The worker side of a standalone build: the wasm, what loads at start, what loads on first use. */
export function workerPayload(dir: string): { wasm: PayloadPart; atStart: PayloadPart[]; lazy: PayloadPart[] };
