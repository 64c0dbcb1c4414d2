/**
 * The `core` extension every runtime starts with: timer and resource ops that
 * other extensions build on (web's setTimeout uses `startTimer` from
 * `ext:core/mod.js`, which calls these ops).
 */
import { defineExtension, type Extension } from "./extension.ts";
import { StateKey } from "./op_state.ts";
import { op } from "./ops.ts";
import { TimerQueue } from "./timers.ts";

export const Timers = new StateKey<TimerQueue>("core.timers");

function ridOf(value: unknown, opName: string): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`${opName}: argument 1 must be a resource id (an integer), got ${typeof value}`);
  }
  return value;
}

export function coreExtension(maxTimers: number): Extension {
  return defineExtension({
    name: "core",
    ops: {
      op_timer_start: op.sync((state, delayMs: unknown, refed: unknown) =>
        state.get(Timers).start(delayMs, refed !== false, performance.now()),
      ),
      op_timer_cancel: op.sync((state, id: unknown) => {
        if (typeof id === "number") state.get(Timers).cancel(id);
      }),
      op_timer_ref: op.sync((state, id: unknown, refed: unknown) => {
        if (typeof id === "number") state.get(Timers).ref(id, refed !== false);
      }),
      op_close: op.sync((state, rid: unknown) => state.resourceTable.close(ridOf(rid, "op_close"))),
      op_resources: op.sync((state) => state.resourceTable.list()),
    },
    state: (state) => state.put(Timers, new TimerQueue(maxTimers)),
  });
}
