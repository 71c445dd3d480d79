// The bad-input corpus (issue 5): every test/bad-specs/NN-name.speck is parsed
// and planned against a fixed context, and the outcome must equal
// NN-name.expected exactly: one `line:col: message (hint)` per problem, or
// `ok` followed by `argv: <element>` lines that must each be one element of
// the compiler's argv (to show shell text stays literal).
// UPDATE_BAD_SPECS=1 rewrites the .expected files (review the diff!).

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { UserError } from "../../frontend/errors.js";
import { planC as plan } from "../../frontend/languages/c/plan.js";
import { parseBuildFile } from "../../frontend/languages/registry.js";
import { recordSummary } from "../summary.js";

const DIR = new URL("../bad-specs/", import.meta.url);
/** The build context every case is checked against. */
const CONTEXT = ["pausle.c", "main.c", "a.cpp", "src/a.c", "src/b.c", "include/x.h", "conf/app.conf", "docs/readme.md"];
const cases = readdirSync(DIR).filter((f) => f.endsWith(".speck")).sort();

function load(file: string): Uint8Array {
  const bytes = new Uint8Array(readFileSync(new URL(file, DIR)));
  if (!file.includes("huge")) return bytes;
  // Padded here rather than stored: a 1 MiB file in git would only cost space.
  const pad = new TextEncoder().encode(`# ${"x".repeat(1021)}\n`.repeat(1025));
  return new Uint8Array([...bytes, ...pad]);
}

function outcome(file: string): string {
  try {
    const spec = parseBuildFile(file, load(file));
    const p = plan(spec, { platform: { os: "linux", architecture: "amd64" }, files: CONTEXT });
    return ["ok", ...p.compile.argv.map((a) => `argv: ${a}`)].join("\n");
  } catch (e) {
    if (!(e instanceof UserError)) throw new Error(`${file}: not a UserError`, { cause: e });
    return e.problems
      .map((p) => {
        if (!p.span) throw new Error(`${file}: a problem without a line and column: ${p.message}`);
        return `${p.span.start.line}:${p.span.start.column}: ${p.message}${p.hint ? ` (${p.hint})` : ""}`;
      })
      .join("\n");
  }
}

describe("test/bad-specs", () => {
  // For .ci/run's summary: every corpus file tried, a failed case as an unexpected outcome.
  let tried = 0;
  let failed = 0;
  afterEach((ctx) => {
    if (!ctx.task.name.endsWith(".speck")) return;
    tried++;
    if (ctx.task.result?.state === "fail") failed++;
  });
  afterAll(() => recordSummary("unit-bad-specs", { badInputs: tried, unexpected: failed }));

  it("holds at least 40 broken build files and a few that must work", () => {
    const expected = cases.map((c) => readFileSync(new URL(c.replace(/\.speck$/, ".expected"), DIR), "utf8"));
    expect(expected.filter((e) => !e.startsWith("ok")).length).toBeGreaterThanOrEqual(40);
    expect(expected.filter((e) => e.startsWith("ok")).length).toBeGreaterThanOrEqual(4);
  });

  for (const file of cases) {
    it(file, () => {
      const expectedFile = new URL(file.replace(/\.speck$/, ".expected"), DIR);
      const got = outcome(file);
      // Rewrites only messages: the argv lines of `ok` files are written by hand.
      // An update never passes a test it changed: the rewrite is reported as a failure to review.
      if (process.env["UPDATE_BAD_SPECS"] === "1" && !got.startsWith("ok") && readFileSync(expectedFile, "utf8").trimEnd() !== got) {
        writeFileSync(expectedFile, `${got}\n`);
        expect.fail(`rewrote ${file.replace(/\.speck$/, ".expected")}: review the diff, then run without UPDATE_BAD_SPECS`);
      }
      const want = readFileSync(expectedFile, "utf8").trimEnd();
      if (want.startsWith("ok")) {
        expect(got.split("\n")[0], got).toBe("ok");
        const argv = got.split("\n").slice(1);
        for (const line of want.split("\n").slice(1)) expect(argv).toContain(line);
      } else {
        expect(got).toBe(want);
        expect(got).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
      }
    });
  }
});
