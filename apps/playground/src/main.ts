/**
 * The playground page: wires the editor, console, settings and status bar to
 * one sandbox at a time. Stop interrupts the run; a sandbox that does not
 * settle quickly is terminated and replaced by a fresh one.
 */
import "./styles.css";
import type { Extension } from "@codemirror/state";
import { ISLET_GLOBALS_DTS } from "@islet/web/islet_dts";
import { renderAvailable } from "./available.ts";
import { globalsCompletionSource, PLAYGROUND_DTS } from "./completions.ts";
import { ConsolePanel } from "./console_panel.ts";
import { ENTRY, FileEditor } from "./editor.ts";
import { EXAMPLES, exampleFiles } from "./examples.ts";
import { openSandbox, type PermissionRequest, type Sandbox, type SandboxStatus } from "./sandbox_client.ts";
import {
  decodeHash,
  encodeProject,
  type ImportMap,
  isShareHash,
  loadAutosave,
  type Project,
  saveAutosave,
  toImportMap,
} from "./share.ts";
import { Toast } from "./toast.ts";
import { TsClient } from "./ts/client.ts";
import { tsExtensions } from "./ts/codemirror.ts";
import type { Diagnostic, Files } from "./ts/protocol.ts";
import { compileForRun } from "./ts/run_compile.ts";

const $ = <T extends HTMLElement>(sel: string) => document.querySelector<T>(sel)!;

document.querySelector("#app")!.innerHTML = `
<header class="toolbar">
  <h1 class="brand"><span aria-hidden="true">◆</span> Islet <span class="sub">playground</span></h1>
  <label class="examples"><span class="visually-hidden">Examples</span>
    <select id="examples" aria-label="Examples">
      <option value="">Examples…</option>
      ${EXAMPLES.map((e) => `<option value="${e.id}">${e.title}</option>`).join("")}
    </select>
  </label>
  <span class="run-group">
    <button id="run" class="primary" type="button" title="Run (Ctrl/Cmd+Enter)">▶ Run</button>
    <button id="stop" type="button" title="Stop the running program" disabled>■ Stop</button>
  </span>
  <span class="spacer"></span>
  <a class="docs-link" href="../docs/" title="Runnable code blocks on a docs page (@islet/embed)">Docs demo</a>
  <button id="available-toggle" type="button" aria-haspopup="dialog">What's available</button>
  <button id="share" type="button" title="Copy a link with this program">Share</button>
  <button id="settings-toggle" type="button" aria-expanded="false" aria-controls="settings">Settings</button>
  <button id="theme" type="button" aria-label="Toggle dark theme" title="Toggle theme">◐</button>
</header>
<main class="layout">
  <section class="editor-pane" aria-label="Editor">
    <div id="tabs" class="tabs" role="tablist" aria-label="Files"></div>
    <div id="editor" class="editor"></div>
    <section id="problems" class="problems" aria-label="Problems">
      <h2 class="problems-title">Problems <span id="problems-count" class="count">…</span></h2>
      <ul id="problems-list" class="problems-list"></ul>
    </section>
  </section>
  <div id="console-slot" class="console-pane"></div>
  <aside id="settings" class="settings" hidden aria-label="Settings">
    <h2>Permissions</h2>
    <label for="allowlist">Network allowlist <small>(one host[:port] per line)</small></label>
    <textarea id="allowlist" rows="3" spellcheck="false"></textarea>
    <label for="host-allow">Host functions allowed <small>(others prompt)</small></label>
    <input id="host-allow" type="text" spellcheck="false" autocomplete="off">
    <p class="hint">Available: ${Object.keys({ getTodos: 0, notify: 0 }).join(", ")}. Anything not listed is asked about in a prompt.</p>
    <h2>Limits</h2>
    <div class="limits">
      <label>Memory (MB) <input id="limit-memory" type="number" min="8" max="1024" step="8" value="64" aria-describedby="limit-error"></label>
      <label>CPU (ms) <input id="limit-cpu" type="number" min="50" max="600000" step="50" value="10000" aria-describedby="limit-error"></label>
    </div>
    <p id="limit-error" class="field-error" role="alert"></p>
    <p class="hint">Changes apply to the next run.</p>
    <h2>npm packages</h2>
    <form id="package-form" class="package-form">
      <label for="package-name">Package <small>(mapped to an ES-module CDN)</small></label>
      <div class="package-row">
        <input id="package-name" type="text" spellcheck="false" autocomplete="off" placeholder="lodash-es">
        <button type="submit">Add</button>
      </div>
      <label for="package-cdn">CDN</label>
      <input id="package-cdn" type="url" spellcheck="false" autocomplete="off" value="https://esm.sh/">
    </form>
    <label for="import-map">Import map <small>(JSON)</small></label>
    <textarea id="import-map" rows="4" spellcheck="false" aria-describedby="import-map-error"></textarea>
    <p id="import-map-error" class="field-error" role="alert"></p>
    <p class="hint">Imports from a CDN go through the network allowlist (or its prompt).</p>
    <h2>Resources</h2>
    <table class="resources"><thead><tr><th scope="col">rid</th><th scope="col">name</th></tr></thead>
      <tbody id="resources"><tr><td colspan="2" class="empty">none open</td></tr></tbody></table>
  </aside>
</main>
<footer class="statusbar">
  <span id="status-state" class="state state-idle" role="status">idle</span>
  <span id="status-elapsed" aria-live="off">0 ms</span>
  <span id="status-memory" aria-live="off">memory —</span>
  <span id="status-note" class="note" role="status"></span>
</footer>
<div id="toast" class="toast" role="status" hidden><span id="toast-text"></span><button id="toast-action" type="button">Undo</button><button id="toast-close" type="button" aria-label="Dismiss">×</button></div>
<dialog id="available-dialog" aria-labelledby="available-title">
  <h2 id="available-title" class="dialog-title">What's available in the sandbox</h2>
  <div id="available-body"></div>
  <form method="dialog" class="dialog-buttons"><button class="primary">Close</button></form>
</dialog>
<dialog id="permission-dialog" aria-labelledby="permission-title">
  <form method="dialog">
    <h2 id="permission-title" class="dialog-title">Permission request</h2>
    <p>The sandbox asks for <strong id="permission-kind"></strong> access to <code id="permission-target"></code>.</p>
    <label><input type="checkbox" id="permission-remember"> Add to the allowlist</label>
    <div class="dialog-buttons">
      <button value="deny" id="permission-deny">Deny</button>
      <button value="allow" id="permission-allow" class="primary">Allow</button>
    </div>
  </form>
</dialog>
<dialog id="name-dialog" aria-labelledby="name-title">
  <form method="dialog">
    <h2 id="name-title" class="dialog-title">File name</h2>
    <input id="name-input" type="text" spellcheck="false" autocomplete="off" aria-labelledby="name-title">
    <div class="dialog-buttons">
      <button type="button" id="name-cancel">Cancel</button>
      <button value="ok" class="primary">OK</button>
    </div>
  </form>
</dialog>
`;

// --- theme ---------------------------------------------------------------
const THEME_KEY = "islet-playground:theme";
const prefersDark = matchMedia("(prefers-color-scheme: dark)").matches;
let dark = (localStorage.getItem(THEME_KEY) ?? (prefersDark ? "dark" : "light")) === "dark";

const toast = new Toast($("#toast"), $("#toast-text"), $<HTMLButtonElement>("#toast-action"), $("#toast-close"));
const DTS = ISLET_GLOBALS_DTS + PLAYGROUND_DTS;

// --- editor --------------------------------------------------------------
const nameDialog = $<HTMLDialogElement>("#name-dialog");
const askName = (title: string, initial: string) =>
  new Promise<string | undefined>((resolve) => {
    $("#name-title").textContent = title;
    const input = $<HTMLInputElement>("#name-input");
    input.value = initial;
    nameDialog.returnValue = "";
    nameDialog.addEventListener(
      "close",
      () => resolve(nameDialog.returnValue === "ok" ? input.value.trim() || undefined : undefined),
      { once: true },
    );
    nameDialog.showModal();
    input.select();
  });

// Cancel is not a submit button, so Enter in the name field means OK.
$("#name-cancel").addEventListener("click", () => nameDialog.close("cancel"));

// --- TypeScript: the language service loads in a worker after first paint ---
const tsClient = new TsClient();
const globalsFallback = globalsCompletionSource(DTS);
const languageSupport = (name: string): Extension[] =>
  tsExtensions(name, {
    client: tsClient,
    project: (): { files: Files; mapped: string[] } => ({
      files: editor.files(),
      mapped: Object.keys(importMap.imports),
    }),
    diagnostics: showProblems,
    jump: (file, offset) => void editor.jumpToOffset(file, offset),
    fallback: globalsFallback,
  });

/** The Problems list: every file's type errors, each a link to its place. Never blocks Run. */
function showProblems(all: Diagnostic[]) {
  $("#problems-count").textContent = String(all.length);
  $("#problems").classList.toggle("has-problems", all.length > 0);
  $("#problems-list").replaceChildren(
    ...all.slice(0, 100).map((d) => {
      const li = document.createElement("li");
      li.className = `problem severity-${d.severity}`;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "loc";
      button.textContent = `${d.file}:${d.line}:${d.column}`;
      button.addEventListener("click", () => editor.jumpToOffset(d.file, d.from));
      li.append(button, ` ${d.message} `);
      const code = document.createElement("span");
      code.className = "code";
      code.textContent = `ts(${d.code})`;
      li.append(code);
      return li;
    }),
  );
}

const editor = new FileEditor(
  $("#editor"),
  $("#tabs"),
  languageSupport,
  {
    run: () => void run(),
    change: () => persistSoon(),
    removed: (name, undo) => toast.show(`Deleted ${name}`, { label: "Undo", run: undo }),
  },
  askName,
);

function applyTheme() {
  document.documentElement.dataset.theme = dark ? "dark" : "light";
  editor.setDark(dark);
}
applyTheme();
$("#theme").addEventListener("click", () => {
  dark = !dark;
  localStorage.setItem(THEME_KEY, dark ? "dark" : "light");
  applyTheme();
});

const consolePanel = new ConsolePanel((file, line, col) => {
  if (!editor.jump(file, line, col)) setNote(`${file} is not open in the editor`);
});
$("#console-slot").append(consolePanel.element);

// --- settings ------------------------------------------------------------
const allowlist = $<HTMLTextAreaElement>("#allowlist");
const hostAllow = $<HTMLInputElement>("#host-allow");
const memoryInput = $<HTMLInputElement>("#limit-memory");
const cpuInput = $<HTMLInputElement>("#limit-cpu");
const importMapInput = $<HTMLTextAreaElement>("#import-map");
allowlist.value = localStorage.getItem("islet-playground:net") ?? location.host;
hostAllow.value = localStorage.getItem("islet-playground:host") ?? "getTodos";
memoryInput.value = localStorage.getItem("islet-playground:memory") ?? memoryInput.value;
cpuInput.value = localStorage.getItem("islet-playground:cpu") ?? cpuInput.value;
let settingsDirty = false;
function saveSettings() {
  settingsDirty = true;
  localStorage.setItem("islet-playground:net", allowlist.value);
  localStorage.setItem("islet-playground:host", hostAllow.value);
  if (limitsError() === undefined) {
    localStorage.setItem("islet-playground:memory", memoryInput.value);
    localStorage.setItem("islet-playground:cpu", cpuInput.value);
  }
  persistSoon();
}
for (const el of [allowlist, hostAllow, memoryInput, cpuInput]) el.addEventListener("change", saveSettings);
const settingsToggle = $("#settings-toggle");
const settings = $("#settings");
function showSettings(show: boolean) {
  settings.hidden = !show;
  settingsToggle.setAttribute("aria-expanded", String(show));
}
settingsToggle.addEventListener("click", () => {
  showSettings(settings.hidden);
  if (!settings.hidden) allowlist.focus();
});
const words = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
const netList = () => words(allowlist.value);
const hostList = () => words(hostAllow.value);

/** The limits as typed, or the message saying what is wrong with them. */
function limitsError(): string | undefined {
  const check = (input: HTMLInputElement, what: string, unit: string) => {
    const n = Number(input.value);
    const [min, max] = [Number(input.min), Number(input.max)];
    const bad = input.value.trim() === "" || !Number.isInteger(n) || n < min || n > max;
    input.setAttribute("aria-invalid", String(bad));
    return bad ? `${what} must be a whole number from ${min} to ${max} ${unit}.` : undefined;
  };
  const errors = [check(memoryInput, "Memory", "MB"), check(cpuInput, "CPU time", "ms")].filter(Boolean);
  return errors.length > 0 ? errors.join(" ") : undefined;
}
for (const input of [memoryInput, cpuInput]) {
  input.addEventListener("input", () => {
    $("#limit-error").textContent = limitsError() ?? "";
  });
}

// The import map: the JSON in the textarea is the source of truth; a valid edit is kept.
let importMap: ImportMap = { imports: {} };
function showImportMap() {
  importMapInput.value = JSON.stringify(importMap, null, 2);
  importMapInput.setAttribute("aria-invalid", "false");
  $("#import-map-error").textContent = "";
}
importMapInput.addEventListener("input", () => {
  let parsed: unknown;
  let error = "";
  try {
    parsed = JSON.parse(importMapInput.value);
  } catch (e) {
    error = `Not JSON: ${(e as Error).message}`;
  }
  const map = error ? undefined : toImportMap(parsed);
  if (!error && !map) error = 'Expected { "imports": { "name": "https://…" } }';
  importMapInput.setAttribute("aria-invalid", String(error !== ""));
  $("#import-map-error").textContent = error;
  if (map) {
    importMap = map;
    persistSoon();
  }
});
function addPackage(name: string): void {
  const cdn = $<HTMLInputElement>("#package-cdn").value.trim() || "https://esm.sh/";
  const base = cdn.endsWith("/") ? cdn : `${cdn}/`;
  importMap = { imports: { ...importMap.imports, [name]: `${base}${name}`, [`${name}/`]: `${base}${name}/` } };
  showImportMap();
  persistSoon();
  setNote(`Mapped "${name}" to ${base}${name}`);
}
$("#package-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const input = $<HTMLInputElement>("#package-name");
  const name = input.value.trim();
  if (!/^(@[\w.-]+\/)?[\w.-]+$/.test(name)) {
    $("#import-map-error").textContent = `"${name}" is not an npm package name.`;
    return;
  }
  addPackage(name);
  input.value = "";
});

// --- the project: files + import map + settings, autosaved and in share links ----
function currentProject(): Project {
  return {
    files: editor.files(),
    importMap,
    settings: {
      net: allowlist.value,
      host: hostAllow.value,
      memoryMb: Number(memoryInput.value),
      cpuMs: Number(cpuInput.value),
    },
  };
}
function loadProject(project: Project) {
  editor.load({ ...project.files });
  importMap = project.importMap ?? { imports: {} };
  showImportMap();
  const s = project.settings;
  if (s) {
    if (s.net !== undefined) allowlist.value = s.net;
    if (s.host !== undefined) hostAllow.value = s.host;
    if (s.memoryMb !== undefined) memoryInput.value = String(s.memoryMb);
    if (s.cpuMs !== undefined) cpuInput.value = String(s.cpuMs);
    $("#limit-error").textContent = limitsError() ?? "";
    settingsDirty = true;
  }
}

let persistTimer: ReturnType<typeof setTimeout> | undefined;
/**
 * Autosave, and — when the page was opened from a share link — the link in
 * the address bar follows the edits, so a reload never goes back to the
 * shared version and loses work.
 */
function persistNow() {
  clearTimeout(persistTimer);
  const project = currentProject();
  saveAutosave(project);
  if (isShareHash(location.hash)) history.replaceState(null, "", encodeProject(project));
}
function persistSoon() {
  clearTimeout(persistTimer);
  persistTimer = setTimeout(persistNow, 300);
}
addEventListener("pagehide", persistNow);

loadProject(decodeHash(location.hash) ?? loadAutosave() ?? { files: EXAMPLES[0]!.files });
window.addEventListener("hashchange", () => {
  const project = decodeHash(location.hash);
  if (!project) return;
  const before = currentProject();
  loadProject(project);
  toast.show("Opened the shared program", { label: "Undo", run: () => loadProject(before) });
});

// --- permission prompt ---------------------------------------------------
const permissionDialog = $<HTMLDialogElement>("#permission-dialog");
let promptQueue = Promise.resolve();
/**
 * One dialog at a time; a prompt whose `signal` aborts (the run that asked was
 * stopped or hit a limit, the sandbox was replaced) closes its dialog, or is
 * dropped unasked if it was still waiting in line.
 */
function askPermission(request: PermissionRequest, { signal }: { signal: AbortSignal }): Promise<boolean> {
  const answer = promptQueue.then(
    () =>
      new Promise<boolean>((resolve) => {
        if (signal.aborted) return resolve(false);
        $("#permission-kind").textContent = request.kind;
        $("#permission-target").textContent = request.target;
        $<HTMLInputElement>("#permission-remember").checked = false;
        permissionDialog.returnValue = "";
        const cancel = () => {
          permissionDialog.removeEventListener("close", closed);
          permissionDialog.close("");
          consolePanel.note("warn", `Cancelled the prompt for ${request.kind} ${request.target}: the run ended`);
          resolve(false);
        };
        const closed = () => {
          signal.removeEventListener("abort", cancel);
          const allowed = permissionDialog.returnValue === "allow";
          if (allowed && $<HTMLInputElement>("#permission-remember").checked) {
            if (request.kind === "net") allowlist.value = [...netList(), request.target].join("\n");
            if (request.kind === "host") hostAllow.value = [...hostList(), request.target].join(", ");
            saveSettings();
          }
          consolePanel.note(
            allowed ? "info" : "warn",
            `${allowed ? "Allowed" : "Denied"} ${request.kind} ${request.target}`,
          );
          resolve(allowed);
        };
        permissionDialog.addEventListener("close", closed, { once: true });
        signal.addEventListener("abort", cancel, { once: true });
        permissionDialog.showModal();
        $("#permission-deny").focus();
      }),
  );
  promptQueue = answer.then(() => undefined);
  return answer;
}

// --- host API (the "plugin" example) -------------------------------------
const hostTodos = async () => {
  const res = await fetch(new URL("api/todos.json", location.href));
  return (await res.json()) as { id: number; title: string; done: boolean }[];
};
const host = {
  getTodos: hostTodos,
  notify: async (message: string) => {
    setNote(`host notified: ${String(message)}`);
    return true;
  },
};

// --- sandbox lifecycle ---------------------------------------------------
let sandbox: Promise<Sandbox> | undefined;
let running = false;
let runStarted = 0;
let elapsedTimer: ReturnType<typeof setInterval> | undefined;
/** Maps positions in the compiled files of the current run back to the editor's. */
let remap = (text: string) => text;

function fresh(): Promise<Sandbox> {
  settingsDirty = false;
  // Values the console's preview cut off are read from the sandbox that logged them (stale once it is replaced).
  const inspect = (handle: string) => s.then((sb) => sb.inspect(handle));
  const s = openSandbox({
    permissions: { net: netList(), host: hostList() },
    limits: {
      memoryBytes: Number(memoryInput.value) * 1024 * 1024,
      cpuMs: Number(cpuInput.value),
      wallMs: Number(cpuInput.value) + 5000,
    },
    host,
    onConsole: (entry) => consolePanel.add({ ...entry, text: remap(entry.text), inspect }),
    onStatus: (st) => {
      if (sandbox === s) showStatus(st);
    },
    onPermissionRequest: askPermission,
  });
  s.catch((e) => consolePanel.note("error", `Could not start the sandbox: ${e}`));
  return s;
}

function showStatus(st: Partial<SandboxStatus>, override?: string) {
  const state = override ?? st.state ?? "idle";
  const el = $("#status-state");
  // Only a change is written: the region is live, and a rewrite is announced again.
  if (el.textContent !== state) el.textContent = state;
  el.className = `state state-${state}`;
  if (st.memoryUsed) $("#status-memory").textContent = `memory ${formatBytes(st.memoryUsed)}`;
  if (st.elapsedMs && !running) $("#status-elapsed").textContent = `${Math.round(st.elapsedMs)} ms`;
}

function formatBytes(n: number) {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

function setNote(text: string) {
  $("#status-note").textContent = text;
}

function setRunning(on: boolean) {
  running = on;
  if (!on && typeScriptWanted) startTypeScript();
  $<HTMLButtonElement>("#run").disabled = on;
  $<HTMLButtonElement>("#stop").disabled = !on;
  clearInterval(elapsedTimer);
  if (on) {
    runStarted = performance.now();
    elapsedTimer = setInterval(() => {
      $("#status-elapsed").textContent = `${Math.round(performance.now() - runStarted)} ms`;
    }, 100);
  }
}

/** The core's message for an unmapped bare import names the specifier. */
const BARE_IMPORT = /(?:Relative import path|import of) "([^"./][^"]*)" not prefixed with/;

/** After an unmapped bare import: say how to fix it, with a button that does. */
function bareImportHint(message: string) {
  const m = BARE_IMPORT.exec(message);
  if (!m) return;
  const specifier = m[1]!;
  const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;
  consolePanel.hint(
    `"${specifier}" is an npm package, and the sandbox has no node_modules. Map it to an ES-module CDN in Settings → npm packages (import map), or:`,
    {
      label: `Map ${name} to ${$<HTMLInputElement>("#package-cdn").value || "https://esm.sh/"}${name}`,
      run: () => addPackage(name),
    },
  );
}

async function run() {
  if (running) return;
  const bad = limitsError();
  if (bad) {
    showSettings(true);
    $("#limit-error").textContent = bad;
    setNote("Fix the limits in Settings to run");
    return;
  }
  running = true; // before the first await: a second Run (click, key) is a no-op
  if (!sandbox || settingsDirty) {
    if (sandbox) (await sandbox.catch(() => undefined))?.terminate();
    sandbox = fresh();
  }
  let sb: Sandbox;
  try {
    sb = await sandbox;
  } catch {
    running = false;
    sandbox = undefined; // the error is already in the console; the next Run tries again
    return;
  }
  persistNow();
  consolePanel.clear();
  setNote("");
  setRunning(true);
  showStatus({ state: "running" });
  let compiled: Awaited<ReturnType<typeof compileForRun>>;
  try {
    compiled = await compileForRun(tsClient, editor.files(), ENTRY);
  } catch (e) {
    // Without the compiler the sandbox's own transpiler still strips types.
    consolePanel.note("warn", `TypeScript is unavailable (${(e as Error).message}); running with type stripping only`);
    compiled = { files: editor.files(), entry: ENTRY, remap: (t) => t };
  }
  remap = compiled.remap;
  const imports = Object.keys(importMap.imports).length > 0 ? importMap : undefined;
  const result = await sb.run({ files: compiled.files, entry: compiled.entry, fresh: true, importMap: imports });
  if (sandbox === undefined || sb !== (await sandbox.catch(() => undefined))) return; // stopped and replaced meanwhile
  setRunning(false);
  $("#status-elapsed").textContent = `${Math.round(result.durationMs ?? performance.now() - runStarted)} ms`;
  if (result.ok) {
    if (result.value !== undefined) consolePanel.note("info", `← ${String(result.value)}`);
    showStatus(sb.status(), "idle");
  } else {
    const { name, message, stack } = result.error;
    // How the run ended is the host's word (result.reason), never the guest's error name:
    // a guest that throws its own error named "Interrupted" is an ordinary exception.
    // Frames of the host's own bundle (http(s) URLs) say nothing about the guest's program.
    const guestStack = (stack ?? "")
      .split("\n")
      .filter((line) => !/\bhttps?:\/\//.test(line))
      .join("\n");
    const header = `${name}: ${message}`;
    consolePanel.note("error", remap(guestStack.includes(message) ? guestStack : `${header}\n${guestStack}`.trim()));
    bareImportHint(message);
    const ended = result.reason === "interrupted" || result.reason === "terminated" ? result.reason : "idle";
    showStatus(sb.status(), ended);
  }
  refreshResources();
}

async function stop() {
  if (!running || !sandbox) return;
  const sb = await sandbox;
  // A guest in a tight loop never yields to a message, so Stop kills the
  // worker outright and a fresh sandbox (same settings) takes its place.
  sb.terminate();
  sandbox = fresh();
  setRunning(false);
  $("#status-elapsed").textContent = `${Math.round(performance.now() - runStarted)} ms`;
  showStatus({ state: "terminated" });
  consolePanel.note("warn", "Stopped: the sandbox was terminated and replaced.");
  editor.view.focus();
}

async function refreshResources() {
  if (settings.hidden || !sandbox) return;
  const list = await (await sandbox).resources().catch(() => []);
  const body = $("#resources");
  if (list.length === 0) {
    body.innerHTML = `<tr><td colspan="2" class="empty">none open</td></tr>`;
    return;
  }
  body.replaceChildren(
    ...list.map((r) => {
      const tr = document.createElement("tr");
      const a = document.createElement("td");
      a.textContent = String(r.rid);
      const b = document.createElement("td");
      b.textContent = r.name;
      tr.append(a, b);
      return tr;
    }),
  );
}
setInterval(refreshResources, 1000);

$("#run").addEventListener("click", () => void run());
$("#stop").addEventListener("click", () => void stop());
document.addEventListener("keydown", (e) => {
  // The editor's own Mod-Enter binding already ran (and prevented default).
  if ((e.ctrlKey || e.metaKey) && e.key === "Enter" && !e.defaultPrevented) {
    e.preventDefault();
    void run();
  }
  if (e.key === "Escape" && running && !permissionDialog.open && !nameDialog.open) void stop();
});

$<HTMLSelectElement>("#examples").addEventListener("change", (e) => {
  const select = e.target as HTMLSelectElement;
  const example = EXAMPLES.find((x) => x.id === select.value);
  select.value = "";
  if (!example) return;
  const before = currentProject();
  const hash = location.hash;
  loadProject({ files: exampleFiles(example, new URL("./", location.href).href), importMap });
  history.replaceState(null, "", location.pathname + location.search);
  persistNow();
  consolePanel.clear();
  toast.show(`Loaded example: ${example.title}`, {
    label: "Undo",
    run: () => {
      loadProject(before);
      if (hash) history.replaceState(null, "", hash);
      persistNow();
      editor.view.focus();
    },
  });
  editor.view.focus();
});

$("#share").addEventListener("click", async () => {
  history.replaceState(null, "", encodeProject(currentProject()));
  try {
    await navigator.clipboard.writeText(location.href);
    setNote("Link copied to the clipboard");
  } catch {
    setNote("Link is in the address bar");
  }
});

const availableDialog = $<HTMLDialogElement>("#available-dialog");
$("#available-toggle").addEventListener("click", () => {
  renderAvailable($("#available-body"), DTS);
  availableDialog.showModal();
});

sandbox = fresh();
editor.view.focus();
// After first paint, once the page is idle and no program is running (loading
// TypeScript takes a core for a second or two): TypeScript loads in its worker.
let typeScriptWanted = false;
function startTypeScript() {
  typeScriptWanted = true;
  if (!running) void tsClient.start().catch((e) => setNote(String(e)));
}
// A Run clicked right after the page shows goes first.
setTimeout(() => {
  if (typeof requestIdleCallback === "function") requestIdleCallback(startTypeScript, { timeout: 2000 });
  else startTypeScript();
}, 1500);
