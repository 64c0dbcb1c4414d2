/**
 * The playground page: wires the editor, console, settings and status bar to
 * one sandbox at a time. Stop interrupts the run; a sandbox that does not
 * settle quickly is terminated and replaced by a fresh one.
 */
import "./styles.css";
import { ISLET_GLOBALS_DTS } from "@islet/web/islet_dts";
import { PLAYGROUND_DTS } from "./completions.ts";
import { ConsolePanel } from "./console_panel.ts";
import { ENTRY, FileEditor } from "./editor.ts";
import { EXAMPLES, exampleFiles } from "./examples.ts";
import { openSandbox, type PermissionRequest, type Sandbox, type SandboxStatus } from "./sandbox_client.ts";
import { decodeHash, encodeFiles, type Files, loadAutosave, saveAutosave } from "./share.ts";

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
  <button id="run" class="primary" type="button" title="Run (Ctrl/Cmd+Enter)">▶ Run</button>
  <button id="stop" type="button" title="Stop the running program" disabled>■ Stop</button>
  <span class="spacer"></span>
  <button id="share" type="button" title="Copy a link with this program">Share</button>
  <button id="settings-toggle" type="button" aria-expanded="false" aria-controls="settings">Settings</button>
  <button id="theme" type="button" aria-label="Toggle dark theme" title="Toggle theme">◐</button>
</header>
<main class="layout">
  <section class="editor-pane" aria-label="Editor">
    <div id="tabs" class="tabs" role="tablist" aria-label="Files"></div>
    <div id="editor" class="editor"></div>
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
      <label>Memory (MB) <input id="limit-memory" type="number" min="8" max="1024" step="8" value="64"></label>
      <label>CPU (ms) <input id="limit-cpu" type="number" min="50" max="600000" step="50" value="10000"></label>
    </div>
    <p class="hint">Changes apply to the next run.</p>
    <h2>Resources</h2>
    <table class="resources"><thead><tr><th scope="col">rid</th><th scope="col">name</th></tr></thead>
      <tbody id="resources"><tr><td colspan="2" class="empty">none open</td></tr></tbody></table>
  </aside>
</main>
<footer class="statusbar" role="status" aria-live="polite">
  <span id="status-state" class="state state-idle">idle</span>
  <span id="status-elapsed">0 ms</span>
  <span id="status-memory">memory —</span>
  <span id="status-note" class="note"></span>
</footer>
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

// --- editor --------------------------------------------------------------
let autosaveTimer: ReturnType<typeof setTimeout> | undefined;
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

const editor = new FileEditor(
  $("#editor"),
  $("#tabs"),
  ISLET_GLOBALS_DTS + PLAYGROUND_DTS,
  {
    run: () => void run(),
    change: () => {
      clearTimeout(autosaveTimer);
      autosaveTimer = setTimeout(() => saveAutosave(editor.files()), 300);
    },
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

const initial: Files = decodeHash(location.hash) ?? loadAutosave() ?? EXAMPLES[0]!.files;
editor.load({ ...initial });
window.addEventListener("hashchange", () => {
  const files = decodeHash(location.hash);
  if (files) editor.load({ ...files });
});

// --- settings ------------------------------------------------------------
const allowlist = $<HTMLTextAreaElement>("#allowlist");
allowlist.value = localStorage.getItem("islet-playground:net") ?? location.host;
const hostAllow = $<HTMLInputElement>("#host-allow");
hostAllow.value = localStorage.getItem("islet-playground:host") ?? "getTodos";
const memoryInput = $<HTMLInputElement>("#limit-memory");
const cpuInput = $<HTMLInputElement>("#limit-cpu");
let settingsDirty = false;
function saveSettings() {
  settingsDirty = true;
  localStorage.setItem("islet-playground:net", allowlist.value);
  localStorage.setItem("islet-playground:host", hostAllow.value);
}
for (const el of [allowlist, hostAllow, memoryInput, cpuInput]) el.addEventListener("change", saveSettings);
const settingsToggle = $("#settings-toggle");
const settings = $("#settings");
settingsToggle.addEventListener("click", () => {
  settings.hidden = !settings.hidden;
  settingsToggle.setAttribute("aria-expanded", String(!settings.hidden));
  if (!settings.hidden) allowlist.focus();
});
const words = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
const netList = () => words(allowlist.value);
const hostList = () => words(hostAllow.value);

// --- permission prompt ---------------------------------------------------
const permissionDialog = $<HTMLDialogElement>("#permission-dialog");
let promptQueue = Promise.resolve();
function askPermission(request: PermissionRequest): Promise<boolean> {
  const answer = promptQueue.then(
    () =>
      new Promise<boolean>((resolve) => {
        $("#permission-kind").textContent = request.kind;
        $("#permission-target").textContent = request.target;
        $<HTMLInputElement>("#permission-remember").checked = false;
        permissionDialog.returnValue = "";
        permissionDialog.addEventListener(
          "close",
          () => {
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
          },
          { once: true },
        );
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

function fresh(): Promise<Sandbox> {
  settingsDirty = false;
  const s = openSandbox({
    permissions: { net: netList(), host: hostList() },
    limits: {
      memoryBytes: Number(memoryInput.value) * 1024 * 1024,
      cpuMs: Number(cpuInput.value),
      wallMs: Number(cpuInput.value) + 5000,
    },
    host,
    onConsole: (entry) => consolePanel.add(entry),
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
  el.textContent = state;
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

async function run() {
  if (running) return;
  running = true; // before the first await: a second Run (click, key) is a no-op
  if (!sandbox || settingsDirty) {
    if (sandbox) (await sandbox).terminate();
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
  const files = editor.files();
  saveAutosave(files);
  consolePanel.clear();
  setNote("");
  setRunning(true);
  showStatus({ state: "running" });
  const result = await sb.run({ files, entry: ENTRY, fresh: true });
  if (sandbox === undefined || sb !== (await sandbox.catch(() => undefined))) return; // stopped and replaced meanwhile
  setRunning(false);
  $("#status-elapsed").textContent = `${Math.round(result.durationMs ?? performance.now() - runStarted)} ms`;
  if (result.ok) {
    if (result.value !== undefined) consolePanel.note("info", `← ${String(result.value)}`);
    showStatus(sb.status(), "idle");
  } else {
    const { name, message, stack } = result.error;
    const interrupted = name === "Interrupted";
    // Frames of the host's own bundle (http(s) URLs) say nothing about the guest's program.
    const guestStack = (stack ?? "")
      .split("\n")
      .filter((line) => !/\bhttps?:\/\//.test(line))
      .join("\n");
    const header = `${name}: ${message}`;
    consolePanel.note("error", guestStack.includes(message) ? guestStack : `${header}\n${guestStack}`.trim());
    showStatus(sb.status(), interrupted ? "interrupted" : sb.status().state === "terminated" ? "terminated" : "idle");
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
  editor.load(exampleFiles(example, new URL("./", location.href).href));
  saveAutosave(editor.files());
  history.replaceState(null, "", location.pathname + location.search);
  consolePanel.clear();
  setNote(`Loaded example: ${example.title}`);
  editor.view.focus();
});

$("#share").addEventListener("click", async () => {
  const hash = encodeFiles(editor.files());
  history.replaceState(null, "", hash);
  try {
    await navigator.clipboard.writeText(location.href);
    setNote("Link copied to the clipboard");
  } catch {
    setNote("Link is in the address bar");
  }
});

sandbox = fresh();
editor.view.focus();
