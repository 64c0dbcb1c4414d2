// Types of guest_sources.mjs (for the TypeScript configs that import it).
import type { Plugin } from "vite";

/** Files whose template literals are guest sources. */
export const GUEST_SOURCE_FILE: RegExp;
/** Minifies one guest source: an ES module, or (`expression`) a function expression. */
export function minifyGuestSource(source: string, options?: { expression?: boolean; where?: string }): string;
/** `code` (a guest-source file) with each guest source replaced by its minified text; null when it has none. */
export function minifyGuestSourceFile(code: string, id: string): string | null;
/** A rolldown (and Vite) plugin: minifies the guest sources of the modules it bundles. */
export function minifyGuestSources(): Plugin;
