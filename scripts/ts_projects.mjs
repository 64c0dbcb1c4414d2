// The TypeScript projects `pnpm typecheck` and `pnpm test` check: the references of
// the root tsconfig.json (one list), each checked on its own with `tsc -p <project> --noEmit`
// (the projects are not `composite`, so `tsc -b` cannot build them).
import { existsSync, readFileSync } from "node:fs";

export function tsProjects() {
  const root = JSON.parse(readFileSync(new URL("../tsconfig.json", import.meta.url), "utf8"));
  return root.references.map((r) => r.path).filter((p) => existsSync(`${p}/tsconfig.json`));
}
