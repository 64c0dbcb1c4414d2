// The CSS a console %c argument may apply (css.ts): the safe subset is kept, anything that
// could load a resource, run code, leave the line or cover the page is dropped.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeDeclarations } from "./css.ts";

describe("safeDeclarations", () => {
  it("keeps colours, weight, style, decoration, small padding, margin and radius", () => {
    expect(
      safeDeclarations(
        "color: red; background-color: #ff000080; font-weight: bold; font-style: italic; text-decoration: underline wavy blue; padding: 2px 4px; margin-left: 1em; border-radius: 3px",
      ),
    ).toEqual([
      ["color", "red"],
      ["background-color", "#ff000080"],
      ["font-weight", "bold"],
      ["font-style", "italic"],
      ["text-decoration", "underline wavy blue"],
      ["padding", "2px 4px"],
      ["margin-left", "1em"],
      ["border-radius", "3px"],
    ]);
    expect(safeDeclarations("COLOR: RGB(255, 0, 0);background:hsl(120deg 50% 50%)")).toEqual([
      ["color", "rgb(255, 0, 0)"],
      ["background", "hsl(120deg 50% 50%)"],
    ]);
    expect(safeDeclarations("font-weight: 700")).toEqual([["font-weight", "700"]]);
  });

  it.each([
    ["url()", "background: url(https://evil.example/x.png)"],
    ["url() in background-color", "background-color: url(x)"],
    ["image-set()", "background: image-set('x.png' 1x)"],
    ["expression()", "color: expression(alert(1))"],
    ["position: fixed", "position: fixed; top: 0; left: 0; width: 100vw; height: 100vh"],
    ["display tricks", "display: block; visibility: hidden"],
    ["huge font-size", "font-size: 500px"],
    ["huge padding", "padding: 5000px"],
    ["negative margin", "margin: -1000px"],
    ["big em margin", "margin-top: 40em"],
    ["transform", "transform: scale(100)"],
    ["z-index", "z-index: 99999"],
    ["an escape hiding url", "background: u\\72l(x)"],
    ["a comment", "color: red/**/"],
    ["!important", "color: red !important"],
    ["@import", "@import url(x); color: @x"],
    ["a quote", "color: 'red'"],
    ["behavior", "behavior: url(x.htc)"],
    ["content", "content: 'x'"],
    ["css variables", "--x: red; color: var(--x)"],
    ["global keywords", "color: inherit; background: initial"],
    ["prototype keys", "constructor: x; __proto__: red; toString: red"],
  ])("drops %s", (_name, css) => {
    expect(safeDeclarations(css)).toEqual([]);
  });

  it("keeps the safe declarations of a hostile string and drops the rest", () => {
    expect(safeDeclarations("position:fixed;color:red;background:url(x);font-weight:bold")).toEqual([
      ["color", "red"],
      ["font-weight", "bold"],
    ]);
  });

  it("whatever the input, every kept declaration is allowlisted and calls no function but a colour", () => {
    const allowed =
      /^(?:color|background(?:-color)?|font-(?:weight|style)|text-decoration(?:-line|-color)?|(?:padding|margin)(?:-(?:top|right|bottom|left))?|border-radius)$/;
    const pieces = fc.constantFrom(
      "color",
      "background",
      "position",
      "url(",
      "expression(",
      ":",
      ";",
      " ",
      "red",
      "#fff",
      "rgb(1,2,3)",
      "10px",
      "-5px",
      "\\",
      "/*",
      "'",
      ")",
      "(",
      "!important",
      "9999px",
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string()), { maxLength: 30 }), (parts) => {
        for (const [property, value] of safeDeclarations(parts.join(""))) {
          expect(property).toMatch(allowed);
          expect(value).not.toMatch(/url|expression|image|var\(|[\\'"!;]|\/\*/);
          for (const call of value.match(/[a-z-]+\(/g) ?? []) expect(call).toMatch(/^(?:rgba?|hsla?)\($/);
          for (const n of value.match(/-?\d+(?:\.\d+)?px/g) ?? []) expect(Number.parseFloat(n)).toBeLessThanOrEqual(20);
          expect(value).not.toMatch(/-\d/);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
