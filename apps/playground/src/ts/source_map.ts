/**
 * Reading source maps (v3) back: a position in the JavaScript the sandbox ran
 * → the position in the file the user wrote, so stack traces and console
 * links point into the editor. Only `mappings` of single-source maps (what
 * `transpileModule` writes) are read.
 */
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** [generatedColumn, originalLine, originalColumn], per generated line, sorted by column (all 0-based). */
export type Segments = [number, number, number][][];

/** Decodes a `mappings` string; a malformed one raises a SyntaxError naming the offset. */
export function decodeMappings(mappings: string): Segments {
  const lines: Segments = [[]];
  let [genCol, srcLine, srcCol] = [0, 0, 0];
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  const endSegment = () => {
    if (values.length >= 4) {
      genCol += values[0]!;
      srcLine += values[2]!;
      srcCol += values[3]!;
      lines.at(-1)!.push([genCol, srcLine, srcCol]);
    } else if (values.length === 1) genCol += values[0]!;
    values.length = 0;
  };
  for (let i = 0; i < mappings.length; i++) {
    const c = mappings[i]!;
    if (c === ";") {
      endSegment();
      lines.push([]);
      genCol = 0;
      continue;
    }
    if (c === ",") {
      endSegment();
      continue;
    }
    const digit = DIGIT.get(c);
    if (digit === undefined) throw new SyntaxError(`source map: bad character "${c}" at ${i}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  endSegment();
  for (const line of lines) line.sort((a, b) => a[0] - b[0]);
  return lines;
}

/** The original 1-based line and column of a generated 1-based line and column, or undefined. */
export function originalPosition(
  segments: Segments,
  line: number,
  column: number,
): { line: number; column: number } | undefined {
  const list = segments[line - 1];
  if (!list || list.length === 0) return undefined;
  let best = list[0]!;
  for (const seg of list) {
    if (seg[0] <= column - 1) best = seg;
    else break;
  }
  // Within a segment the text is copied through, so the offset from its start carries over.
  const offset = Math.max(0, column - 1 - best[0]);
  return { line: best[1] + 1, column: best[2] + 1 + offset };
}
