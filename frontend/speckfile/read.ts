// Reads the YAML tree guided by the field table: checks each value's shape,
// rejects unknown keys (with a suggestion), records every value's span, and
// turns the tree into plain values for decode.ts. Problems are collected, not
// thrown, so one run reports them all.

import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";
import type { Problem, SourceSpan } from "../errors.js";
import { allFieldPaths, type Fields, type Shape } from "./fields.js";
import { closest } from "./suggest.js";

/** A scalar read as text: strings as written, numbers and booleans as their source text. */
export interface RawScalar {
  readonly kind: "scalar";
  readonly text: string;
  readonly path: string;
  /**
   * Unquoted, in a `[...]` list, right after the previous unquoted item's
   * comma with no space: `[-Wl,-z]` may be one flag that YAML split in two.
   */
  readonly glued?: true;
}
export interface RawList {
  readonly kind: "list";
  readonly items: readonly Raw[];
  readonly path: string;
}
/** Map entries in the order written; a null value (`KEY:` with nothing) is `undefined`. */
export interface RawMap {
  readonly kind: "map";
  readonly entries: readonly (readonly [key: string, value: RawScalar | undefined])[];
  readonly path: string;
}
export interface RawObject {
  readonly kind: "object";
  readonly fields: ReadonlyMap<string, Raw>;
  readonly path: string;
}
export type Raw = RawScalar | RawList | RawMap | RawObject;

const ALL_PATHS = allFieldPaths();

export class Reader {
  readonly problems: Problem[] = [];
  readonly spans = new Map<string, SourceSpan>();
  /** Keys that were written, even with no value or a wrong one, and where. */
  readonly keys = new Map<string, SourceSpan>();

  constructor(
    private readonly text: string,
    private readonly lines: LineCounter,
    private readonly doc: Document,
  ) {}

  /** The 1-based span of a node or of an explicit offset range. */
  span(range: readonly [number, number, ...number[]] | null | undefined): SourceSpan {
    const [a, b] = range ?? [0, 0];
    const s = this.lines.linePos(Math.min(a, this.text.length));
    const e = this.lines.linePos(Math.min(b, this.text.length));
    return { start: { line: s.line, column: s.col }, end: { line: e.line, column: e.col } };
  }

  problem(message: string, span: SourceSpan | undefined, hint?: string): void {
    this.problems.push({ message, ...(span ? { span } : {}), ...(hint ? { hint } : {}) });
  }

  /** Problem at a recorded value path. */
  at(path: string, message: string, hint?: string): void {
    this.problem(message, this.spans.get(path), hint);
  }

  /** Reads `node` as `shape`; undefined when absent, null or wrong (the problem is recorded). */
  read(node: unknown, shape: Shape, path: string, depth = 0): Raw | undefined {
    const n = this.deref(node, depth);
    if (n === undefined || (isScalar(n) && n.value === null)) return undefined;
    this.spans.set(path, this.span(n.range));
    switch (shape.kind) {
      case "scalar": {
        const s = this.scalar(n, path, expected(shape));
        return s;
      }
      case "list": {
        if (!isSeq(n)) return this.wrong(n, path, expected(shape), listHint(n, path));
        const items: Raw[] = [];
        n.items.forEach((item, i) => {
          const p = `${path}[${i}]`;
          const d = this.deref(item, depth);
          if (d === undefined || (isScalar(d) && d.value === null)) {
            this.problem(`\`${p}\` is empty: expected ${expected(shape.items)}`, this.span(d?.range ?? n.range));
            return;
          }
          const r = this.read(d, shape.items, p, depth + 1);
          if (r) items.push(r.kind === "scalar" && n.flow && this.glued(n.items[i - 1], item) ? { ...r, glued: true } : r);
        });
        return { kind: "list", items, path };
      }
      case "map":
        if (!isMap(n)) return this.wrong(n, path, expected(shape));
        return this.entries(n, path, depth);
      case "list-or-map":
        if (isMap(n)) return this.entries(n, path, depth);
        return this.read(n, { kind: "list", items: { kind: "scalar", json: ["string"] } }, path, depth);
      case "object":
        if (!isMap(n)) return this.wrong(n, path, expected(shape), `write a map with ${Object.keys(shape.fields).map((k) => `\`${k}:\``).join(", ")}`);
        return this.object(n, shape.fields, path, depth);
    }
  }

  /** Whether `item` follows `prev` in a flow list with nothing but a comma between them, both plain. */
  private glued(prev: unknown, item: unknown): boolean {
    const plain = (x: unknown): x is Node & { range: [number, number, number] } => isScalar(x) && x.type === "PLAIN" && x.range != null;
    return plain(prev) && plain(item) && this.text.slice(prev.range[1], item.range[0]) === ",";
  }

  /** Reads the top-level mapping (or anything nested that has named fields). */
  object(n: Node, fields: Fields, path: string, depth: number): RawObject | undefined {
    if (!isMap(n)) {
      if (path === "") {
        this.problem(`the build file must be a YAML map of keys such as \`sources:\`, not ${describe(n)}`, this.span(n.range), "a minimal spec is `sources: [main.c]`");
        return undefined;
      }
      return this.wrong(n, path, "a map");
    }
    const out = new Map<string, Raw>();
    const prefix = path ? `${path}.` : "";
    for (const pair of n.items) {
      const key = this.key(pair.key, depth);
      if (key === undefined) continue;
      const field = fields[key.text];
      if (!field) {
        const here = closest(key.text, Object.keys(fields));
        const elsewhere = here ? undefined : ALL_PATHS.find((p) => p.endsWith(`.${key.text}`) || p === key.text);
        const hint = here ? `did you mean \`${prefix}${here}\`?` : elsewhere ? `did you mean \`${elsewhere}\`?` : `expected one of: ${Object.keys(fields).join(", ")}`;
        this.problem(`unknown key \`${prefix}${key.text}\``, key.span, hint);
        continue;
      }
      this.keys.set(prefix + key.text, key.span);
      const r = this.read(pair.value, field.shape, prefix + key.text, depth + 1);
      if (r) out.set(key.text, r);
    }
    return { kind: "object", fields: out, path };
  }

  private entries(n: Node, path: string, depth: number): RawMap | undefined {
    if (!isMap(n)) return undefined;
    const entries: [string, RawScalar | undefined][] = [];
    for (const pair of n.items) {
      const key = this.key(pair.key, depth);
      if (key === undefined) continue;
      const p = `${path}.${key.text}`;
      const v = this.deref(pair.value, depth);
      if (v === undefined || (isScalar(v) && v.value === null)) {
        this.spans.set(p, key.span);
        entries.push([key.text, undefined]);
        continue;
      }
      this.spans.set(p, this.span(v.range));
      const s = this.scalar(v, p, "a string");
      if (s) entries.push([key.text, s]);
    }
    return { kind: "map", entries, path };
  }

  private key(k: unknown, depth: number): { text: string; span: SourceSpan } | undefined {
    const n = this.deref(k, depth);
    if (n === undefined || !isScalar(n) || n.value === null || typeof n.value === "object") {
      this.problem("a key must be a plain word", this.span((n as Node | undefined)?.range ?? null), "write `key: value`");
      return undefined;
    }
    return { text: this.scalarText(n), span: this.span(n.range) };
  }

  private scalar(n: Node, path: string, want: string): RawScalar | undefined {
    if (!isScalar(n)) return this.wrong(n, path, want);
    return { kind: "scalar", text: this.scalarText(n), path };
  }

  /** Strings as parsed; other scalars as written, so `0644` is not read as the number 644. */
  private scalarText(n: Node & { value: unknown }): string {
    if (typeof n.value === "string") return n.value;
    const [a, b] = n.range ?? [0, 0];
    return this.text.slice(a, b).trim();
  }

  private wrong(n: Node, path: string, want: string, hint?: string): undefined {
    this.problem(`\`${path}\` must be ${want}, not ${describe(n)}`, this.span(n.range), hint);
    return undefined;
  }

  /** Follows aliases (`*common`), at most a few levels, so a cycle or a bomb cannot hang us. */
  private deref(node: unknown, depth: number): Node | undefined {
    let n = node as Node | null | undefined;
    for (let hops = 0; n && isAlias(n); hops++) {
      if (hops > 8 || depth > 32) {
        this.problem("aliases nested too deeply", this.span(n.range));
        return undefined;
      }
      n = n.resolve(this.doc) as Node | undefined;
    }
    return n ?? undefined;
  }
}

function expected(shape: Shape): string {
  switch (shape.kind) {
    case "scalar":
      return shape.json.includes("integer") ? "a string or a number" : "a string";
    case "list":
      return shape.items.kind === "object" ? "a list of maps" : shape.items.kind === "scalar" && shape.items.json.includes("integer") ? "a list of strings or numbers" : "a list of strings";
    case "map":
      return "a map of strings";
    case "list-or-map":
      return "a list of `KEY=VALUE` strings or a map";
    case "object":
      return "a map";
  }
}

/** For a string where a list belongs: show the list it probably meant, one item per word. */
function listHint(n: Node, path: string): string | undefined {
  if (!isScalar(n) || typeof n.value !== "string") return undefined;
  const words = n.value.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.join("").length > 60) return "write a YAML list: `[a, b]`";
  const list = `[${words.join(", ")}]`;
  return path.endsWith("entrypoint") || path.endsWith("cmd")
    ? `a scratch image has no shell to split a command line; write \`${list}\``
    : `write a YAML list, one argument per item: \`${list}\``;
}

function describe(n: Node): string {
  if (isSeq(n)) return "a list";
  if (isMap(n)) return "a map";
  if (isScalar(n)) {
    const v = n.value;
    if (typeof v === "number" || typeof v === "bigint") return "a number";
    if (typeof v === "boolean") return "a boolean";
    return "a string";
  }
  return "an unknown value";
}
