/**
 * A newcomer's view of the packages, for packaging.spec.ts: `pnpm pack` each
 * @islet/* package (its prepack builds dist/), then make apps in a temporary
 * directory outside the repository — no workspace, no links — that install
 * those tarballs the way `npm install @islet/worker` would.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
const requireFromRoot = createRequire(join(REPO, "package.json"));
/** The workspace's own Vite and TypeScript, run against the temporary apps (nothing to download). */
export const VITE_BIN = join(dirname(requireFromRoot.resolve("vite/package.json")), "bin/vite.js");
export const TSC_BIN = requireFromRoot.resolve("typescript/bin/tsc");

export const PACKAGES = ["core", "web", "worker"] as const;
export type PackageName = (typeof PACKAGES)[number];

/** The child processes' environment, without the settings pnpm passes to the scripts it runs (the workspace's). */
export function consumerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(npm|pnpm)_/i.test(key) && key !== "INIT_CWD" && key !== "FORCE_COLOR") env[key] = value;
  env.NO_COLOR = "1"; // Playwright's runner sets FORCE_COLOR; outputs here are compared as text
  return env;
}

export function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, env: consumerEnv(), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
}

/** `run`, without blocking: the tests go on while an install runs. */
export function runAsync(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: consumerEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(stdout);
      else
        reject(new Error(`${cmd} ${args.join(" ")} (in ${cwd}) failed with exit code ${code}\n${stdout}\n${stderr}`));
    });
  });
}

export interface Packed {
  /** The temporary directory everything lives in. */
  dir: string;
  tarballs: Record<PackageName, string>;
}

/** Packs core, web and worker (in dependency order: each one's build compiles against the previous dist/). */
export function packAll(): Packed {
  const dir = mkdtempSync(join(tmpdir(), "islet-packaging-"));
  const out = join(dir, "tarballs");
  mkdirSync(out);
  const tarballs = {} as Record<PackageName, string>;
  for (const name of PACKAGES) {
    const printed = run("pnpm", ["pack", "--pack-destination", out], join(REPO, "packages", name));
    const tgz = printed
      .trim()
      .split("\n")
      .map((l) => l.trim())
      .findLast((l) => l.endsWith(".tgz"));
    if (tgz === undefined) throw new Error(`pnpm pack printed no tarball for @islet/${name}:\n${printed}`);
    tarballs[name] = tgz;
  }
  return { dir, tarballs };
}

/**
 * A fresh app in `packed.dir/<name>` depending on `deps` from the tarballs,
 * installed with pnpm or npm. The
 * packed packages depend on each other by version ("@islet/core": "0.1.0"),
 * which no registry has yet: overrides point those at the tarballs too.
 */
export function makeApp(
  packed: Packed,
  name: string,
  deps: PackageName[],
  files: Record<string, string>,
  devDependencies: Record<string, string> = {},
  installer: "pnpm" | "npm" = "pnpm",
): string {
  const app = writeApp(packed, name, deps, files, devDependencies);
  const [cmd, args] = installCommand(installer);
  run(cmd, args, app);
  return app;
}

/** {@link makeApp} with the install running in the background: resolves with the app once installed. */
export function makeAppAsync(
  packed: Packed,
  name: string,
  deps: PackageName[],
  files: Record<string, string>,
  devDependencies: Record<string, string> = {},
  installer: "pnpm" | "npm" = "pnpm",
): Promise<string> {
  const app = writeApp(packed, name, deps, files, devDependencies);
  const [cmd, args] = installCommand(installer);
  return runAsync(cmd, args, app).then(() => app);
}

function installCommand(installer: "pnpm" | "npm"): [string, string[]] {
  // npm satisfies "@islet/core": "0.1.0" with the tarball installed beside it (and ignores pnpm.overrides);
  // pnpm's store already holds every third-party package the workspace installed.
  return installer === "npm"
    ? ["npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"]]
    : ["pnpm", ["install", "--prefer-offline", "--no-frozen-lockfile", "--ignore-workspace", "--reporter=silent"]];
}

/** The app's package.json and files, in `packed.dir/<name>`; nothing installed yet. */
function writeApp(
  packed: Packed,
  name: string,
  deps: PackageName[],
  files: Record<string, string>,
  devDependencies: Record<string, string>,
): string {
  const app = join(packed.dir, name);
  mkdirSync(app, { recursive: true });
  const tarball = (n: PackageName) => `file:${packed.tarballs[n]}`;
  const pkg = {
    name: `islet-consumer-${name}`,
    private: true,
    type: "module",
    dependencies: Object.fromEntries(deps.map((n) => [`@islet/${n}`, tarball(n)])),
    devDependencies,
    pnpm: { overrides: Object.fromEntries(PACKAGES.map((n) => [`@islet/${n}`, tarball(n)])) },
  };
  writeFileSync(join(app, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(app, file, ".."), { recursive: true });
    writeFileSync(join(app, file), text);
  }
  return app;
}

/** The fenced code block that follows `<!-- packaging-test: name -->` in the root README. */
export function readmeBlock(name: string): string {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const at = readme.indexOf(`<!-- packaging-test: ${name} -->`);
  if (at < 0) throw new Error(`README.md has no "packaging-test: ${name}" block`);
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(readme.slice(at));
  if (block === null) throw new Error(`README.md: no code block after "packaging-test: ${name}"`);
  return block[1] as string;
}

/** A devDependency at the version the workspace uses (so the store already has it). */
export function workspaceVersion(name: string): Record<string, string> {
  const root = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));
  return { [name]: root.devDependencies[name] };
}

/** The strict options a careful consumer compiles with (issue 13). */
export const STRICT_CONSUMER = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: false,
  noEmit: true,
  target: "ES2022",
  isolatedModules: true,
};
