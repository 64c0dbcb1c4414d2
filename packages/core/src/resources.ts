import { BadResource } from "./errors.ts";

/**
 * Something the guest holds by integer id (a rid): a response body, a file, a
 * socket. The table owns it; `close()` is called exactly once.
 */
export interface Resource {
  /** Shown by `runtime.resources()` and the guest's `op_resources`. */
  readonly name: string;
  close?(): void;
}

// biome-ignore lint/suspicious/noExplicitAny: resource classes take any constructor arguments
type ResourceClass<T extends Resource> = abstract new (...args: any[]) => T;

/**
 * Integer handles for host resources (deno_core's `ResourceTable`).
 * Invariant: a rid is never reused, so a stale rid can never reach a newer
 * resource; any rid not currently open is a `BadResource`.
 */
export class ResourceTable {
  readonly #resources = new Map<number, Resource>();
  #nextRid = 3; // 0-2 are left free, as in Deno (stdio)

  constructor(private readonly maxResources = Number.POSITIVE_INFINITY) {}

  add(resource: Resource): number {
    if (this.#resources.size >= this.maxResources) {
      resource.close?.();
      throw new RangeError(
        `Too many open resources: the sandbox allows ${this.maxResources}; close the ones it no longer uses`,
      );
    }
    const rid = this.#nextRid++;
    this.#resources.set(rid, resource);
    return rid;
  }

  has(rid: number): boolean {
    return this.#resources.has(rid);
  }

  /** The resource under `rid`, checked against `type` when given. */
  get<T extends Resource = Resource>(rid: number, type?: ResourceClass<T>): T {
    const resource = this.#resources.get(rid);
    if (resource === undefined) throw new BadResource(`Bad resource ID: ${describeRid(rid)}`);
    if (type !== undefined && !(resource instanceof type)) {
      throw new BadResource(`Bad resource ID: ${rid} is a ${resource.name}, not a ${type.name}`);
    }
    return resource as T;
  }

  /** Removes the resource without closing it (the caller takes ownership). */
  take<T extends Resource = Resource>(rid: number, type?: ResourceClass<T>): T {
    const resource = this.get(rid, type);
    this.#resources.delete(rid);
    return resource;
  }

  close(rid: number): void {
    const resource = this.take(rid);
    resource.close?.();
  }

  list(): { rid: number; name: string }[] {
    return [...this.#resources].map(([rid, r]) => ({ rid, name: r.name }));
  }

  get size(): number {
    return this.#resources.size;
  }

  /** Closes every resource; errors from individual `close()` calls are collected, not thrown midway. */
  closeAll(): unknown[] {
    const errors: unknown[] = [];
    for (const rid of [...this.#resources.keys()]) {
      try {
        this.close(rid);
      } catch (error) {
        errors.push(error);
      }
    }
    return errors;
  }
}

function describeRid(rid: unknown): string {
  return typeof rid === "number" ? String(rid) : `${typeof rid} ${String(rid)}`;
}
