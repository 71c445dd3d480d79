// Reading `docker buildx build --progress=rawjson`: which vertices really ran.
// A vertex ran when it completed, was not taken from the cache, and did not
// end with an error: BuildKit cancels the in-flight work an op no longer needs
// once its content-based key is found in the cache ("context canceled").

export interface RanVertex {
  readonly name: string;
  readonly digest: string;
}

interface VertexUpdate {
  readonly digest: string;
  readonly name?: string;
  readonly cached?: boolean;
  readonly started?: string;
  readonly completed?: string;
  readonly error?: string;
}

export function ranVertices(stderr: string): RanVertex[] {
  return ran(stderr).map((v) => ({ name: v.name ?? "", digest: v.digest }));
}

function ran(stderr: string): VertexUpdate[] {
  const seen = new Map<string, VertexUpdate>();
  for (const text of jsonObjects(stderr)) {
    const status = JSON.parse(text) as { vertexes?: VertexUpdate[] };
    for (const v of status.vertexes ?? []) seen.set(v.digest, { ...seen.get(v.digest), ...v });
  }
  return [...seen.values()].filter((v) => v.completed !== undefined && v.cached !== true && v.error === undefined);
}

export interface VertexSpan extends RanVertex {
  /** The daemon's clock, milliseconds since the epoch (RFC 3339 with nanoseconds, cut to milliseconds). */
  readonly started: number;
  readonly completed: number;
}

/** The vertices that ran, with when each started and completed: where a build's time went (the bench's floors). */
export function ranSpans(stderr: string): VertexSpan[] {
  return ran(stderr).flatMap((v) => {
    const started = Date.parse(v.started ?? "");
    const completed = Date.parse(v.completed ?? "");
    return Number.isNaN(started) || Number.isNaN(completed) ? [] : [{ name: v.name ?? "", digest: v.digest, started, completed }];
  });
}

/** The name of every vertex, in the order BuildKit first reported it (its progress lines' order). */
export function vertexOrder(stderr: string): string[] {
  const names = new Map<string, string>();
  for (const text of jsonObjects(stderr)) {
    const status = JSON.parse(text) as { vertexes?: VertexUpdate[] };
    for (const v of status.vertexes ?? []) if (!names.has(v.digest) && v.name !== undefined) names.set(v.digest, v.name);
  }
  return [...names.values()];
}

/** What speck's compile stage ran: the sources of the units compiled, and whether the scan and the link ran. */
export interface CompileRuns {
  readonly units: string[];
  readonly scan: number;
  readonly link: number;
}

export function compileRuns(stderr: string): CompileRuns {
  const ran = ranVertices(stderr).map((v) => v.name);
  const units = ran.flatMap((n) => /^\[compile \S+ \d+\/\d+\] \S+ -c (.+)$/.exec(n)?.[1] ?? []).sort();
  return { units, scan: ran.filter((n) => n.startsWith("[scan ")).length, link: ran.filter((n) => n.startsWith("[link ")).length };
}

/**
 * The top-level JSON objects in a stream: buildx 0.29 writes one per line,
 * buildx 0.13 indents them over many lines. Text outside objects is skipped.
 */
export function jsonObjects(stream: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < stream.length; i++) {
    const c = stream[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"' && depth > 0) inString = true;
    else if (c === "{") {
      if (depth++ === 0) start = i;
    } else if (c === "}" && depth > 0 && --depth === 0) out.push(stream.slice(start, i + 1));
  }
  return out;
}
