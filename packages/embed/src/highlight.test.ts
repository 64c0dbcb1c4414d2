// The static highlighter writes a block's code into innerHTML: whatever the code holds, the
// HTML must contain only the highlighter's own tags, and its text must be the code exactly.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dedent, highlight } from "./highlight.ts";

/** The text a browser would show for the highlighter's HTML, one string per line; throws on a foreign tag. */
function textOf(html: string): string[] {
  const lines = html.split(/(?=<div class="line">)/);
  return lines.map((line) => {
    const body = /^<div class="line">([\s\S]*)<\/div>$/.exec(line)?.[1];
    if (body === undefined) throw new Error(`not a line: ${line}`);
    if (body === "<br>") return "";
    const stripped = body.replace(/<span class="tok-[\w -]+">|<\/span>/g, "");
    if (/[<>"]/.test(stripped)) throw new Error(`unescaped markup in ${JSON.stringify(body)}`);
    return stripped.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
  });
}

const CODE_UNIT = fc.oneof(
  fc.constantFrom("<", ">", "&", '"', "'", "`", "/", "*", "\\", "\n", " ", "a", "if", "0", "x", ".", "#", ";"),
  fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
);

describe("highlight", () => {
  it("marks keywords, strings, templates, numbers and comments with CodeMirror's tok-* classes", () => {
    expect(highlight('const a = "x"; // hi')).toBe(
      '<div class="line"><span class="tok-keyword">const</span> a = <span class="tok-string">&#34;x&#34;</span>; <span class="tok-comment">// hi</span></div>',
    );
    expect(highlight("`a\nb` + 0x1F")).toBe(
      '<div class="line"><span class="tok-string2">`a</span></div><div class="line"><span class="tok-string2">b`</span> + <span class="tok-number">0x1F</span></div>',
    );
  });

  it("keeps markup in the code as text: </script>, <img onerror>, entities", () => {
    const code = '</script><img src=x onerror="alert(1)"> &amp; &lt;';
    expect(textOf(highlight(code))).toEqual([code]);
    expect(highlight(code)).not.toContain("<img");
  });

  it("for any code: only its own tags, one line element per line, and the text is the code", () => {
    fc.assert(
      // Biased towards what markup, strings and comments are made of, plus any code unit.
      fc.property(fc.string({ unit: CODE_UNIT, maxLength: 200 }), (raw) => {
        const code = raw.replace(/\r/g, "");
        expect(textOf(highlight(code))).toEqual(code.split("\n"));
      }),
      { numRuns: 500 },
    );
  });
});

describe("dedent", () => {
  it("drops blank edge lines and the indentation all lines share, keeping relative indentation", () => {
    expect(dedent("\n    if (x) {\n      y();\n    }\n  ")).toBe("if (x) {\n  y();\n}");
    expect(dedent("\r\n\ta\r\n\t\tb\r\n")).toBe("a\n\tb");
    expect(dedent("   \n\n")).toBe("");
  });
});
