// From the bytes of a build file to the text the YAML parser reads: enforce the
// size limit, require UTF-8 (pointing at the first bad byte), drop a BOM and
// turn CRLF into LF. Also reads the `# syntax=` directive, which the frontend
// (not the parser) decides about.

import { UserError, type Position, type SourceFile, type SourceSpan } from "../errors.js";
import { groupThousands } from "../format.js";
import { MAX_SPEC_BYTES } from "./types.js";

/** The file's text, ready for YAML, or a UserError naming the file. */
export function decodeSpecText(file: SourceFile): string {
  const { data } = file;
  if (data.length > MAX_SPEC_BYTES) {
    throw new UserError(
      [{ message: `the build file is ${groupThousands(data.length)} bytes; the limit is 1 MiB (1,048,576 bytes)`, span: at({ line: 1, column: 1 }), hint: "a speck file is a few lines of YAML; is this the right file?" }],
      file,
    );
  }
  const bad = firstInvalidUtf8(data);
  if (bad !== undefined) {
    throw new UserError(
      [{ message: `the build file is not UTF-8: byte 0x${(data[bad] ?? 0).toString(16).padStart(2, "0")} at offset ${bad} is not valid UTF-8`, span: at(bytePosition(data, bad)), hint: "save it as UTF-8" }],
      file,
    );
  }
  let text = new TextDecoder("utf-8").decode(data);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.replace(/\r\n/g, "\n");
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence, or undefined. */
export function firstInvalidUtf8(b: Uint8Array): number | undefined {
  let i = 0;
  while (i < b.length) {
    const c = b[i] ?? 0;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [n, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [n, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += n + 1;
  }
  return undefined;
}

/** 1-based line and column of a byte offset (columns count bytes: the text cannot be decoded). */
function bytePosition(b: Uint8Array, offset: number): Position {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (b[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

function at(p: Position): SourceSpan {
  return { start: p, end: p };
}

/** The `# syntax=` directive of a build file. */
export interface SyntaxDirective {
  /** The frontend image reference as written. */
  readonly image: string;
  readonly span: SourceSpan;
}

/**
 * The `# syntax=<image>` directive if the file starts with one. Like BuildKit's
 * Dockerfile parser it is read from the leading comment lines only, so a
 * `# syntax=` further down is an ordinary comment.
 */
export function detectSyntax(input: string | Uint8Array): SyntaxDirective | undefined {
  let text = typeof input === "string" ? input : new TextDecoder("utf-8").decode(input.subarray(0, 4096));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").replace(/\r$/, "");
    if (!line.startsWith("#")) return undefined;
    const m = /^#\s*syntax\s*=\s*(\S+)\s*$/i.exec(line);
    if (m?.[1]) {
      const column = line.indexOf(m[1]) + 1;
      return { image: m[1], span: { start: { line: i + 1, column }, end: { line: i + 1, column: column + m[1].length } } };
    }
  }
  return undefined;
}
