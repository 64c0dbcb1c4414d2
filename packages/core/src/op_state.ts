import type { ResourceTable } from "./resources.ts";

/**
 * A typed key into {@link OpState}. Create one per kind of state, usually at
 * module level: `const TodoStore = new StateKey<Store>("todo.store")`.
 * A class can serve as its own key too (`state.put(TodoStore, new TodoStore())`).
 */
export class StateKey<T> {
  declare readonly __type?: T;
  constructor(readonly description: string) {}
}

// biome-ignore lint/suspicious/noExplicitAny: a class key accepts any constructor signature
type ClassKey<T> = abstract new (...args: any[]) => T;
export type Key<T> = StateKey<T> | ClassKey<T>;

function describe(key: Key<unknown>): string {
  return key instanceof StateKey ? key.description : key.name;
}

/** Per-runtime store that ops read and write (deno_core's `OpState`). */
export class OpState {
  readonly #values = new Map<Key<unknown>, unknown>();
  constructor(readonly resourceTable: ResourceTable) {}

  put<T>(key: Key<T>, value: T): void {
    this.#values.set(key, value);
  }

  has(key: Key<unknown>): boolean {
    return this.#values.has(key);
  }

  /** Returns the value for `key`; throws if nothing was put there (a bug in an extension). */
  get<T>(key: Key<T>): T {
    if (!this.#values.has(key)) {
      throw new Error(`OpState.get: nothing stored under "${describe(key)}"`);
    }
    return this.#values.get(key) as T;
  }

  tryGet<T>(key: Key<T>): T | undefined {
    return this.#values.get(key) as T | undefined;
  }

  delete(key: Key<unknown>): boolean {
    return this.#values.delete(key);
  }
}
