/**
 * The page's side of the language-service worker (worker.ts). The page calls
 * start() once it is idle after first paint; calls made before that wait, so
 * neither the editor nor Run waits for TypeScript to load.
 */
import type { LanguageService, Reply, Request } from "./protocol.ts";

type Method = keyof LanguageService;

export class TsClient {
  #worker: Worker | undefined;
  #next = 1;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #ready = false;
  #whenReady: Promise<void>;
  #markReady!: () => void;
  #markFailed!: (e: Error) => void;

  constructor() {
    this.#whenReady = new Promise((resolve, reject) => {
      this.#markReady = resolve;
      this.#markFailed = reject;
    });
    this.#whenReady.catch(() => {}); // reported to whoever awaits it
  }

  /** True once TypeScript has loaded in the worker. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Loads the worker (once); resolves when it answers. */
  start(): Promise<void> {
    if (this.#worker) return this.#whenReady;
    const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "islet-typescript" });
    this.#worker = worker;
    worker.onmessage = (event: MessageEvent<Reply>) => {
      const reply = event.data;
      if (reply.id === 0) {
        this.#ready = true;
        this.#markReady();
        return;
      }
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#pending.delete(reply.id);
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(new Error(`TypeScript worker: ${reply.error}`));
    };
    worker.onerror = (event) => {
      const error = new Error(`TypeScript worker failed to load: ${event.message || "unknown error"}`);
      this.#markFailed(error);
      for (const p of this.#pending.values()) p.reject(error);
      this.#pending.clear();
    };
    return this.#whenReady;
  }

  async call<M extends Method>(
    method: M,
    ...args: Parameters<LanguageService[M]>
  ): Promise<ReturnType<LanguageService[M]>> {
    await this.start();
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#worker!.postMessage({ id, method, args } as Request);
    });
  }
}
