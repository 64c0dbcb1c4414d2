import { JsRuntime } from "@islet/core";
import { web } from "@islet/web";
const rt = await JsRuntime.create({ extensions: web({ console: { sink: () => {} } }) });
console.log("after bootstrap", rt.memoryUsed());
rt.executeScript("a.js", 'console.log("sum", 1 + 2); console.warn("careful"); console.info({ a: 1 });');
await rt.runEventLoop();
console.log("after program", rt.memoryUsed());
rt.dispose();
