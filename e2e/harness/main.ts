// The page Playwright drives: @islet/worker with the QuickJS wasm URL Vite emits.
// Specs reach it as `window.islet` inside page.evaluate.

import * as islet from "@islet/worker";
import wasmUrl from "@jitl/quickjs-wasmfile-release-sync/wasm?url";

islet.setDefaultWasm(wasmUrl);

const tick = document.getElementById("tick") as HTMLButtonElement;
tick.addEventListener("click", () => {
  tick.textContent = String(Number(tick.textContent) + 1);
});

Object.assign(window, { islet: { ...islet, wasmUrl } });
(document.getElementById("state") as HTMLElement).textContent = "ready";
