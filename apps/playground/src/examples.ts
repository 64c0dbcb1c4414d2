/** The examples menu: each is a set of files with `main.ts` as the entry. */
export interface Example {
  id: string;
  title: string;
  files: Record<string, string>;
  /** Hosts the example needs on the network allowlist (the page's own host for local fetches). */
  needsNet?: boolean;
}

/** The example's files with `{{BASE}}` replaced by the page's own base URL. */
export function exampleFiles(example: Example, base: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, source] of Object.entries(example.files)) out[name] = source.replaceAll("{{BASE}}", base);
  return out;
}

export const EXAMPLES: Example[] = [
  {
    id: "hello",
    title: "Hello world",
    files: {
      "main.ts": `console.log("Hello from Islet!");
console.info({ runtime: "QuickJS", sandboxed: true });
console.group("A group");
console.warn("warnings are yellow");
console.error("errors are red");
console.groupEnd();
`,
    },
  },
  {
    id: "timers",
    title: "Timers and promises",
    files: {
      "main.ts": `const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

console.log("start");
setTimeout(() => console.log("timeout after 50 ms"), 50);
Promise.resolve().then(() => console.log("microtask runs first"));
await sleep(100);
console.log("slept 100 ms");
const results = await Promise.all([sleep(10).then(() => 1), sleep(20).then(() => 2)]);
console.log("Promise.all:", results);
`,
    },
  },
  {
    id: "fetch",
    title: "Fetch from an allowed host",
    needsNet: true,
    files: {
      "main.ts": `// The playground's own server is on the network allowlist (see Settings).
const res = await fetch("{{BASE}}api/todos.json");
const todos: { title: string; done: boolean }[] = await res.json();
console.log(res.status, todos.length, "todos");
for (const todo of todos) console.log(todo.done ? "✔" : "☐", todo.title);
`,
    },
  },
  {
    id: "modules",
    title: "Modules across files (TypeScript)",
    files: {
      "main.ts": `import { area, type Shape } from "./shapes.ts";
import { format } from "./format.ts";

const shapes: Shape[] = [
  { kind: "circle", r: 1 },
  { kind: "square", side: 2 },
];
for (const s of shapes) console.log(format(s.kind, area(s)));
`,
      "shapes.ts": `export type Shape = { kind: "circle"; r: number } | { kind: "square"; side: number };

export function area(shape: Shape): number {
  return shape.kind === "circle" ? Math.PI * shape.r ** 2 : shape.side ** 2;
}
`,
      "format.ts": `export const format = (name: string, value: number): string => \`\${name}: \${value.toFixed(2)}\`;
`,
    },
  },
  {
    id: "plugin",
    title: "Plugin calling a host API",
    files: {
      "main.ts": `// The page gives the guest exactly two functions; nothing else of the page is
// reachable. getTodos is allowed in Settings, notify asks you first.
import { getTodos, notify } from "islet:host";

const todos = await getTodos();
const open = todos.filter((t) => !t.done);
console.log("open todos:", open.map((t) => t.title));
const ok = await notify(\`\${open.length} todos left\`);
console.log("host answered:", ok);
`,
    },
  },
  {
    id: "loop",
    title: "Infinite loop (press Stop)",
    files: {
      "main.ts": `console.log("Spinning forever. Press Stop (or wait for the CPU limit).");
let i = 0;
while (true) {
  i++;
}
`,
    },
  },
  {
    id: "bomb",
    title: "Memory bomb (contained)",
    files: {
      "main.ts": `// Allocates until the sandbox's fixed memory runs out. The run ends with
// MemoryLimitExceeded, which guest code cannot catch; the page stays fine,
// and the next run works.
const hoard: string[][] = [];
try {
  while (true) hoard.push(new Array(1_000_000).fill("x".repeat(16)));
} catch (e) {
  console.error("never reached:", String(e));
}
`,
    },
  },
];
