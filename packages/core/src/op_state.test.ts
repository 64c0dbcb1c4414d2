import { expect, test } from "vitest";
import { defineExtension } from "./extension.ts";
import { OpState, StateKey } from "./op_state.ts";
import { op } from "./ops.ts";
import { ResourceTable } from "./resources.ts";
import { exposeOps, withRuntime } from "./test/helpers.ts";

class TodoStore {
  items: string[] = [];
}
const Greeting = new StateKey<string>("greeting");

test("OpState stores typed values by class or key, and says which key is missing", () => {
  const state = new OpState(new ResourceTable());
  expect(state.has(TodoStore)).toBe(false);
  expect(() => state.get(TodoStore)).toThrow(/nothing stored under "TodoStore"/);
  state.put(TodoStore, new TodoStore());
  state.put(Greeting, "hi");
  state.get(TodoStore).items.push("milk");
  expect(state.get(TodoStore).items).toEqual(["milk"]);
  expect(state.get(Greeting)).toBe("hi");
  expect(state.tryGet(new StateKey<number>("other"))).toBeUndefined();
});

test("extension state initialisers fill the state ops read and write", async () => {
  const todo = defineExtension({
    name: "todo",
    state: (state) => state.put(TodoStore, new TodoStore()),
  });
  const api = exposeOps({
    op_todo_add: op.sync((state, title: string) => state.get(TodoStore).items.push(title)),
    op_todo_list: op.sync((state) => state.get(TodoStore).items),
  });
  await withRuntime({ extensions: [todo, { ...api, deps: ["todo"] }] }, (rt) => {
    expect(rt.executeScript("t.js", "t.op_todo_add('milk'); t.op_todo_add('eggs'); t.op_todo_list()")).toEqual([
      "milk",
      "eggs",
    ]);
    expect(rt.opState.get(TodoStore).items).toEqual(["milk", "eggs"]);
  });
});
