import { JsRuntime } from "@islet/core";
import { web } from "@islet/web";
const extensions = web();
const b = await JsRuntime.create({ extensions });
const image = b.snapshot(); b.dispose();
for (let i=0;i<20;i++){ const rt = await JsRuntime.create({ extensions, snapshot: image }); rt.executeScript("a.js","1+1"); rt.dispose(); }
const t0=performance.now();
for (let i=0;i<100;i++){ const rt = await JsRuntime.create({ extensions, snapshot: image }); rt.executeScript("a.js","1+1"); rt.dispose(); }
console.log("per create", (performance.now()-t0)/100);
