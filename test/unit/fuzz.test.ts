// Fuzzing parse + plan (issue 5): for random bytes, mutated valid specs and
// random specs built from the field table, parsing and planning must either
// succeed or throw UserError with located problems; nothing else, and no case
// may take long. fast-check shrinks any failure to a small reproducer.

import fc from "fast-check";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { UserError } from "../../frontend/errors.js";
import { planC as plan } from "../../frontend/languages/c/plan.js";
import { parseBuildFile, supportFor } from "../../frontend/languages/registry.js";
import { allFieldPaths } from "../../frontend/speckfile/fields.js";
import { recordSummary } from "../summary.js";

const CONTEXT = ["pausle.c", "main.c", "a.cpp", "src/a.c", "src/b.c", "include/x.h", "conf/app.conf"];
const PER_CASE_MS = 1000;
let cases = 0;
let accepted = 0;

/** The property: success, or a UserError whose every problem has a line and column. */
function check(bytes: Uint8Array): void {
  cases++;
  const t0 = performance.now();
  try {
    const spec = parseBuildFile("fuzz.speck", bytes);
    const platform = { os: "linux", architecture: "arm64" };
    // A Go build is planned from its go.mod too (planGo); what a spec alone decides is checked here.
    if (spec.language === "go") {
      supportFor(spec).planToolchain(spec, platform, { os: "linux", architecture: "amd64" });
      supportFor(spec).contextPatterns(spec);
    } else plan(spec, { platform, files: CONTEXT });
    accepted++;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    for (const p of e.problems) {
      if (!p.span || p.span.start.line < 1 || p.span.start.column < 1) throw new Error(`problem without a position: ${p.message}`);
    }
  }
  const ms = performance.now() - t0;
  if (ms > PER_CASE_MS) throw new Error(`one case took ${ms.toFixed(0)} ms`);
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

const SEEDS = [
  "# syntax=speck\nsources: [pausle.c]\n",
  `# syntax=speck
name: srv
language: c++
profile: tiny
sources: [main.c, src/*.c, a.cpp]
cflags: [-Wall, "-DX=$(id)"]
ldflags: ["-Wl,-O1"]
defines: {DEBUG: , PORT: 8080}
include: [include]
libs: [z]
packages: [zlib-static]
toolchain: {image: "alpine:3.22"}
budget: 16KiB
image:
  entrypoint: [/srv, --serve]
  cmd: [--port, "8080"]
  env: [A=1, B=x]
  user: "1000:1000"
  workdir: /data
  labels: {a: one}
  expose: [8080, 53/udp]
  stopsignal: TERM
  files:
    - {src: conf/app.conf, dest: /etc/app.conf, mode: "0600"}
    - src: conf/app.conf
      dest: /x
      mode: 0755
`,
  "sources:\n  - &s pausle.c\ncflags: &f [-O1]\nldflags: *f\nimage:\n  env:\n    K: *s\n",
];

const TOKENS = [":", "-", "- ", "[", "]", "{", "}", ",", "*", "&a", "*a", "!", "!!str", "#", "'", '"', "\t", "\n", "\r\n", "---", "...", "..", "/", "%YAML 1.1\n", "?", "|", ">", " ", "  ", "\0", "\uFEFF", "é", "\uD800", "~", "null", "0644", "0x1F", "1e9", "<<", "sources", "image", "files"];

/** A valid seed with a few edits: deletions, token insertions, line shuffles. */
const mutated = fc
  .tuple(
    fc.constantFrom(...SEEDS),
    fc.array(
      fc.oneof(
        fc.record({ op: fc.constant("insert" as const), at: fc.nat(), token: fc.constantFrom(...TOKENS) }),
        fc.record({ op: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
        fc.record({ op: fc.constant("chars" as const), at: fc.nat(), text: fc.string({ maxLength: 6 }) }),
        fc.record({ op: fc.constant("swap" as const), a: fc.nat(), b: fc.nat() }),
      ),
      { minLength: 1, maxLength: 5 },
    ),
  )
  .map(([seed, edits]) => {
    let s = seed;
    for (const e of edits) {
      if (e.op === "swap") {
        const lines = s.split("\n");
        const a = e.a % lines.length;
        const b = e.b % lines.length;
        [lines[a], lines[b]] = [lines[b] ?? "", lines[a] ?? ""];
        s = lines.join("\n");
        continue;
      }
      const at = e.at % (s.length + 1);
      if (e.op === "insert") s = s.slice(0, at) + e.token + s.slice(at);
      else if (e.op === "chars") s = s.slice(0, at) + e.text + s.slice(at);
      else s = s.slice(0, at) + s.slice(at + e.len);
    }
    return s;
  });

/** Random documents over the real keys, with values of every type, serialised by the yaml package. */
const leaf = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom("pausle.c", "src/*.c", "../x.c", "/abs.c", "0644", "65534:65534", "16KiB", "SIGTERM", "8080/udp", "X=$(id)", "a.cpp"));
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, fc.array(tie("v"), { maxLength: 4 }), fc.dictionary(fc.constantFrom(...allFieldPaths().map((p) => p.split(".").pop() ?? p), "x"), tie("v"), { maxKeys: 4 })),
})).v;
const structured = fc
  .dictionary(fc.constantFrom(...Object.values(allFieldPaths()).filter((p) => !p.includes(".")), "sorces"), value, { maxKeys: 8 })
  .map((doc) => stringify({ sources: ["pausle.c"], ...doc }));

describe("fuzz: parse + plan", () => {
  // For .ci/run's summary: cases run, and a failed property as an unexpected outcome.
  let failed = 0;
  afterEach((ctx) => {
    if (ctx.task.result?.state === "fail") failed++;
  });
  afterAll(() => recordSummary("unit-fuzz", { fuzzCases: cases, unexpected: failed }));

  it("random bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (b) => check(b)), { numRuns: 3000 });
  });

  it("mutated valid specs", () => {
    fc.assert(fc.property(mutated, (s) => check(enc(s))), { numRuns: 5000 });
  });

  it("random specs over the real keys", () => {
    fc.assert(fc.property(structured, (s) => check(enc(s))), { numRuns: 3000 });
    process.stderr.write(`fuzz: ${cases} cases, ${accepted} accepted, ${cases - accepted} rejected with UserError\n`);
    expect(cases).toBeGreaterThanOrEqual(10_000);
    // The generators must reach the planner, not only the YAML parser's errors.
    expect(accepted).toBeGreaterThan(100);
  });
});
