// The page Playwright drives: @islet/worker with the QuickJS wasm URL Vite emits.
// Specs reach it as `window.islet` inside page.evaluate.

import * as islet from "@islet/worker";
import wasmUrl from "@jitl/quickjs-wasmfile-release-sync/wasm?url";

islet.setDefaultWasm(wasmUrl);

// Long tasks on the main thread, for the responsiveness checks.
const longTasks: { start: number; duration: number }[] = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: "longtask", buffered: true });
} catch {
  // longtask entries are Chromium-only
}

const tick = document.getElementById("tick") as HTMLButtonElement;
tick.addEventListener("click", () => {
  tick.textContent = String(Number(tick.textContent) + 1);
});

Object.assign(window, { islet: { ...islet, wasmUrl, longTasks } });
(document.getElementById("state") as HTMLElement).textContent = "ready";
