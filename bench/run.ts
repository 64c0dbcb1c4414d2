/**
 * `pnpm bench`: every benchmark, printed side by side as Islet vs. raw
 * quickjs-emscripten, measured in one run on this machine.
 */
import { existsSync } from "node:fs";
import { coreBench, type Row } from "./core.ts";

const rows: Row[] = [...(await coreBench())];
for (const extra of ["./modules.ts", "./web.ts", "./snapshot.ts"]) {
  if (!existsSync(new URL(extra, import.meta.url))) continue;
  const mod = (await import(extra)) as Record<string, () => Promise<Row[]>>;
  for (const fn of Object.values(mod)) if (typeof fn === "function") rows.push(...(await fn()));
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(3));
console.log("\nIslet vs. raw quickjs-emscripten (release-sync build), same process, same run\n");
console.log(
  `${"benchmark".padEnd(72)} ${"islet".padStart(10)} ${"raw".padStart(10)} ${"ratio".padStart(8)}  unit      target`,
);
for (const r of rows) {
  const ratio = r.raw > 0 ? r.islet / r.raw : Number.NaN;
  console.log(
    `${r.name.padEnd(72)} ${fmt(r.islet).padStart(10)} ${fmt(r.raw).padStart(10)} ${`${fmt(ratio)}×`.padStart(8)}  ${r.unit.padEnd(9)} ${r.target ?? ""}`,
  );
}
