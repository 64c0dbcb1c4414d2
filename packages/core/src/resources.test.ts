import { describe, expect, test } from "vitest";
import { BadResource } from "./errors.ts";
import { op } from "./ops.ts";
import { type Resource, ResourceTable } from "./resources.ts";
import { exposeOps, withRuntime } from "./test/helpers.ts";

class Counter implements Resource {
  readonly name = "counter";
  closed = 0;
  value = 0;
  close(): void {
    this.closed++;
  }
}
class Other implements Resource {
  readonly name = "other";
}

describe("ResourceTable", () => {
  test("rids are integers, never reused; closed, forged and mistyped rids are BadResource", () => {
    const table = new ResourceTable();
    const a = table.add(new Counter());
    const b = table.add(new Other());
    expect(Number.isInteger(a) && b > a).toBe(true);
    expect(table.get(a, Counter)).toBeInstanceOf(Counter);
    expect(() => table.get(b, Counter)).toThrow(/is a other, not a Counter/);
    const counter = table.get(a, Counter);
    table.close(a);
    expect(counter.closed).toBe(1);
    expect(() => table.get(a)).toThrow(BadResource);
    expect(() => table.close(a)).toThrow(BadResource);
    expect(counter.closed).toBe(1);
    expect(table.add(new Other())).toBeGreaterThan(b);
    expect(() => table.get(9999)).toThrow(/Bad resource ID: 9999/);
    expect(table.list()).toEqual([
      { rid: b, name: "other" },
      { rid: b + 1, name: "other" },
    ]);
  });

  test("a cap on open resources: add() refuses (and closes) what is over it", () => {
    const table = new ResourceTable(2);
    table.add(new Counter());
    table.add(new Counter());
    const third = new Counter();
    expect(() => table.add(third)).toThrow(/Too many open resources: the sandbox allows 2/);
    expect(third.closed).toBe(1);
    expect(table.size).toBe(2);
  });

  test("closeAll closes everything once and reports failures without stopping", () => {
    const table = new ResourceTable();
    const c = new Counter();
    table.add(c);
    table.add({
      name: "bad",
      close: () => {
        throw new Error("close failed");
      },
    });
    const d = new Counter();
    table.add(d);
    const errors = table.closeAll();
    expect(errors).toHaveLength(1);
    expect([c.closed, d.closed, table.size]).toEqual([1, 1, 0]);
  });
});

describe("resources from the guest", () => {
  const ext = exposeOps({
    op_counter_open: op.sync((state) => state.resourceTable.add(new Counter())),
    op_counter_inc: op.sync((state, rid: number) => ++state.resourceTable.get(rid, Counter).value),
  });

  test("op_close / op_resources, and BadResource with its class in the guest", async () => {
    let opened: Counter | undefined;
    await withRuntime({ extensions: [ext] }, (rt) => {
      const rid = rt.executeScript(
        "t.js",
        "globalThis.rid = t.op_counter_open(); t.op_counter_inc(rid); t.op_counter_inc(rid)",
      );
      expect(rid).toBe(2);
      expect(rt.resources()).toEqual([{ rid: expect.any(Number), name: "counter" }]);
      expect(rt.executeScript("t.js", "core.resources()")).toEqual(rt.resources());
      opened = rt.opState.resourceTable.get(rt.resources()[0]!.rid, Counter);
      expect(
        rt.executeScript(
          "t.js",
          "core.close(rid); try { t.op_counter_inc(rid) } catch (e) { [e.name, e instanceof core.errors.BadResource, e.message] }",
        ),
      ).toEqual(["BadResource", true, expect.stringMatching(/Bad resource ID/)]);
      expect(opened.closed).toBe(1);
      expect(rt.executeScript("t.js", "try { t.op_counter_inc(12345) } catch (e) { e.name }")).toBe("BadResource");
      expect(rt.executeScript("t.js", "try { core.close('3') } catch (e) { e.name + ': ' + e.message }")).toMatch(
        /^TypeError: op_close: argument 1 must be a resource id/,
      );
      rt.executeScript("t.js", "globalThis.keep = t.op_counter_open(); 0");
      opened = rt.opState.resourceTable.get(rt.executeScript("t.js", "keep") as number, Counter);
    });
    // dispose() closed what the guest left open.
    expect(opened?.closed).toBe(1);
  });
});
