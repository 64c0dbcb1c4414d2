/**
 * The `core` extension every runtime starts with: timer and resource ops that
 * other extensions build on (web's setTimeout uses `startTimer` from
 * `ext:core/mod.js`, which calls these ops).
 */
import { defineExtension, type Extension } from "./extension.ts";
import { StateKey } from "./op_state.ts";
import { op, rawOp } from "./ops.ts";
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
      // A promise's state and result, read by the host (QuickJS keeps both in
      // internal slots that no guest code can read without `then`, which would
      // mark a rejection handled). For inspection (console): reading changes
      // nothing — no reaction is added, the rejection tracker is not told, no
      // guest code runs (no getter, no Proxy trap: the brand check is
      // QuickJS's class id, so a Proxy, a thenable or an object with a forged
      // Symbol.toStringTag is "not a promise", and a subclass instance is one).
      // op_promise_state(value) → -1 not a promise, 0 pending, 1 fulfilled, 2 rejected.
      op_promise_state: rawOp(1, (engine, argc, argv) =>
        engine.newNumber(argc < 1 ? -1 : engine.em._QTS_PromiseState(engine.ctx, argv)),
      ),
      // op_promise_result(value) → the value or reason (undefined while pending
      // or for a non-promise). The returned value is the guest's own, not a copy.
      op_promise_result: rawOp(1, (engine, argc, argv) =>
        argc < 1 ? 0 : engine.em._QTS_PromiseResult(engine.ctx, argv),
      ),
      // op_class_id(value) → the object's QuickJS class id, -1 for a primitive: a brand
      // read without running guest code. The numbers are the build's; compare with an
      // object of the class you want made before user code ran (the console keeps a
      // Proxy's, so it can tell a Proxy without asking its traps anything).
      op_class_id: rawOp(1, (engine, argc, argv) => engine.newNumber(argc < 1 ? -1 : engine.classId(argv))),
    },
    state: (state) => state.put(Timers, new TimerQueue(maxTimers)),
  });
}
