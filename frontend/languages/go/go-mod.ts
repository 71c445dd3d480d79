// go.mod, read the way the go command reads the parts speck needs: the module
// path (names the binary), the `go` line (the oldest toolchain that may build
// it), the `toolchain` line and the required modules (what the module cache
// must hold). Every value keeps its line and column, so a problem found later
// (a Go too old, a module missing from the cache) points into go.mod.
//
// Pure: the frontend reads the bytes from the context. Not a full parser:
// `replace`, `exclude`, `retract` and `godebug` are skipped, as the build
// needs none of them to be understood here (the go command still obeys them).

import { UserError, type SourceFile, type SourceSpan } from "../../errors.js";

export interface GoModValue {
  readonly value: string;
  readonly span: SourceSpan;
}

export interface GoRequire {
  readonly path: string;
  readonly version: string;
  readonly span: SourceSpan;
  /** Marked `// indirect`. */
  readonly indirect: boolean;
}

export interface GoMod {
  readonly file: SourceFile;
  readonly module: GoModValue;
  /** The `go` line's version (`1.24`, `1.24.0`, `1.21rc1`); absent in very old files. */
  readonly go?: GoModValue;
  readonly toolchain?: GoModValue;
  readonly requires: readonly GoRequire[];
}

/** `go.mod` as a SourceFile (for errors that point into it). */
export function goModFile(data: Uint8Array, name = "go.mod"): SourceFile {
  return { name, data, language: "go.mod" };
}

export function parseGoMod(file: SourceFile): GoMod {
  const text = new TextDecoder().decode(file.data);
  const lines = text.split("\n");
  let module: GoModValue | undefined;
  let go: GoModValue | undefined;
  let toolchain: GoModValue | undefined;
  const requires: GoRequire[] = [];
  let block: string | undefined;
  const spanAt = (line: number, col: number, len: number): SourceSpan => ({ start: { line, column: col }, end: { line, column: col + len } });
  lines.forEach((raw, i) => {
    const line = i + 1;
    const comment = raw.indexOf("//");
    const code = comment < 0 ? raw : raw.slice(0, comment);
    const indirect = comment >= 0 && /^\/\/\s*indirect\b/.test(raw.slice(comment));
    const words = [...code.matchAll(/"(?:[^"\\]|\\.)*"|`[^`]*`|[^\s()]+|[()]/g)].map((m) => ({ text: unquote(m[0]), col: (m.index ?? 0) + 1 }));
    if (words.length === 0) return;
    if (block !== undefined) {
      if (words[0]?.text === ")") {
        block = undefined;
        return;
      }
      if (block === "require") addRequire(words, line, indirect);
      return;
    }
    const [verb, ...rest] = words;
    if (rest[0]?.text === "(") {
      block = verb?.text;
      return;
    }
    const first = rest[0];
    if (first === undefined) return;
    const value = { value: first.text, span: spanAt(line, first.col, first.text.length) };
    if (verb?.text === "module") module = value;
    else if (verb?.text === "go") go = value;
    else if (verb?.text === "toolchain") toolchain = value;
    else if (verb?.text === "require") addRequire(rest, line, indirect);
  });

  function addRequire(words: readonly { text: string; col: number }[], line: number, indirect: boolean): void {
    const [path, version] = words;
    if (path === undefined || version === undefined) return;
    requires.push({ path: path.text, version: version.text, span: spanAt(line, path.col, version.col + version.text.length - path.col), indirect });
  }

  if (module === undefined) {
    throw new UserError([{ message: "go.mod has no `module` line", span: spanAt(1, 1, 0), hint: "start it with `module <path>`, as `go mod init <path>` writes it" }], file);
  }
  return { file, module, ...(go ? { go } : {}), ...(toolchain ? { toolchain } : {}), requires };
}

function unquote(word: string): string {
  if (word.startsWith("`")) return word.slice(1, -1);
  if (word.startsWith('"')) {
    try {
      return JSON.parse(word) as string;
    } catch {
      return word.slice(1, -1);
    }
  }
  return word;
}

/**
 * Compares Go versions as the go command orders them: `1.24` < `1.24rc1` <
 * `1.24.0` < `1.24.1` (a language version sorts before its releases). Accepts
 * the `go` prefix of toolchain names (`go1.24.4`). Negative, zero or positive.
 */
export function compareGoVersions(a: string, b: string): number {
  const pa = goVersionParts(a);
  const pb = goVersionParts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** `1.24rc1` -> [1, 24, -1, 1] style tuples: major, minor, patch (-1 absent; prereleases below 0). */
function goVersionParts(v: string): number[] {
  const m = /^(?:go)?(\d+)(?:\.(\d+))?(?:\.(\d+)|(rc|beta)(\d+))?/.exec(v);
  if (!m) return [];
  const major = Number(m[1]);
  const minor = m[2] === undefined ? 0 : Number(m[2]);
  if (m[3] !== undefined) return [major, minor, 1, Number(m[3])];
  if (m[4] !== undefined) return [major, minor, 0, m[4] === "rc" ? 0 : -1, Number(m[5])];
  return [major, minor, -1];
}

/**
 * The module path as the module cache and proxies spell it on disk: each
 * upper-case letter becomes `!` and its lower-case form (golang.org/x/mod's
 * module.EscapePath), so paths that differ only in case do not collide.
 */
export function escapeModulePath(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}
