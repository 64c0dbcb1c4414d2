// The docs page's own JavaScript. It imports the same module the one-tag setup loaded
// (same URL, same instance) to use @islet/embed's small JS API.
import { registerHost } from "./islet/embed.js";

// A host API: the only page functions the "todos" blocks can call. Arguments and
// results are copied across; the sandbox never holds a page object.
const todos = ["Read the docs", "Run a code block"];
const list = document.querySelector("#page-todos");
const show = () =>
  list?.replaceChildren(...todos.map((t) => Object.assign(document.createElement("li"), { textContent: t })));
show();
registerHost("todos", {
  listTodos: () => [...todos],
  addTodo: (title) => {
    if (typeof title !== "string" || title.length > 80) throw new TypeError("addTodo: title must be a short string");
    todos.push(title);
    show();
    return todos.length;
  },
});

// Setup code from the page: the fetch block learns this page's origin (its net="self" allows it).
const fetchBlock = document.querySelector("#fetch-self");
if (fetchBlock) fetchBlock.setup = `globalThis.ORIGIN = ${JSON.stringify(location.origin)};`;
