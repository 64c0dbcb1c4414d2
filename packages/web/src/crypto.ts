/**
 * `islet_crypto`: crypto and navigator. Randomness and digests come from the
 * host's Web Crypto (`globalThis.crypto`), never from the guest's Math.random.
 */
import { defineExtension, type Extension, op } from "@islet/core";
import { CRYPTO_SOURCE } from "./js/12_crypto.ts";

export interface NavigatorOptions {
  /** Default: `Islet/0.1 (QuickJS)`. */
  userAgent?: string;
  /** Default: the host's `navigator.hardwareConcurrency`, else 1. */
  hardwareConcurrency?: number;
  /** Default: `["en-US"]`. */
  languages?: string[];
}

const DIGESTS = new Set(["SHA-1", "SHA-256", "SHA-384", "SHA-512"]);

export function cryptoExtension(options: NavigatorOptions = {}): Extension {
  const hostNavigator = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  const info = {
    userAgent: options.userAgent ?? "Islet/0.1 (QuickJS)",
    hardwareConcurrency: options.hardwareConcurrency ?? hostNavigator?.hardwareConcurrency ?? 1,
    languages: options.languages ?? ["en-US"],
  };
  if (typeof info.userAgent !== "string") throw new TypeError("web({ navigator: { userAgent } }): must be a string");
  if (!Number.isInteger(info.hardwareConcurrency) || info.hardwareConcurrency < 1) {
    throw new TypeError("web({ navigator: { hardwareConcurrency } }): must be a positive integer");
  }
  if (
    !Array.isArray(info.languages) ||
    info.languages.length === 0 ||
    info.languages.some((l) => typeof l !== "string")
  ) {
    throw new TypeError("web({ navigator: { languages } }): must be a non-empty array of strings");
  }
  return defineExtension({
    name: "islet_crypto",
    deps: ["islet_web"],
    ops: {
      op_crypto_random: op.sync((_s, n: unknown) => {
        if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 65536) {
          throw new RangeError(`op_crypto_random: byte count must be an integer in 0..65536, got ${String(n)}`);
        }
        return crypto.getRandomValues(new Uint8Array(n));
      }),
      op_crypto_random_uuid: op.sync(() => crypto.randomUUID()),
      op_crypto_digest: op.async(async (_s, algorithm: unknown, data: unknown) => {
        if (typeof algorithm !== "string" || !DIGESTS.has(algorithm)) {
          throw new TypeError(`op_crypto_digest: unsupported algorithm ${String(algorithm)}`);
        }
        if (!(data instanceof Uint8Array)) throw new TypeError("op_crypto_digest: data must be bytes");
        return await crypto.subtle.digest(algorithm, data);
      }),
      op_navigator_info: op.sync(() => info),
    },
    esm: { "ext:islet_crypto/12_crypto.js": CRYPTO_SOURCE },
    esmEntryPoints: ["ext:islet_crypto/12_crypto.js"],
  });
}
