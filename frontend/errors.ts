// The one error type that reaches users for mistakes in *their* input.
//
// Every layer that finds a problem in the build file (the YAML parser, the
// spec validator, the planner, the toolchain resolver) throws a UserError that
// says where (file, 1-based line and column) and what would be right. The
// gateway runtime turns it into a google.rpc.Status with BuildKit's
// `errdefs.Source+json` detail in exactly one place, so `docker buildx build`
// prints the snippet; the CLI prints `file:line:col: message`. Anything that is
// not a UserError is our bug or the daemon's fault, and is reported as such.

/** A 1-based line/column position, as editors and BuildKit's printer count. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface SourceSpan {
  readonly start: Position;
  readonly end: Position;
}

/** The file a UserError points into: its name as the user wrote it, and its bytes. */
export interface SourceFile {
  readonly name: string;
  readonly data: Uint8Array;
  /** Shown by buildx next to the snippet; "YAML" for speck files. */
  readonly language: string;
}

/** One located problem. A UserError carries one or more. */
export interface Problem {
  readonly message: string;
  readonly span?: SourceSpan;
  /** What would be right ("did you mean `cflags`?", "expected a list of strings"). */
  readonly hint?: string;
}

export class UserError extends Error {
  override readonly name = "UserError";
  readonly problems: readonly Problem[];
  readonly file: SourceFile | undefined;

  constructor(problems: readonly Problem[] | string, file?: SourceFile, options?: { cause?: unknown }) {
    const list: readonly Problem[] = typeof problems === "string" ? [{ message: problems }] : problems;
    if (list.length === 0) throw new TypeError("UserError needs at least one problem");
    super(formatProblems(list, file?.name), options);
    this.problems = list;
    this.file = file;
  }
}

/** `file:line:col: message (hint)`, one problem a line: the CLI's and the logs' form. */
export function formatProblems(problems: readonly Problem[], fileName?: string): string {
  return problems
    .map((p) => {
      const where = p.span
        ? `${fileName ?? "<input>"}:${p.span.start.line}:${p.span.start.column}: `
        : fileName
          ? `${fileName}: `
          : "";
      return `${where}${p.message}${p.hint ? ` (${p.hint})` : ""}`;
    })
    .join("\n");
}
