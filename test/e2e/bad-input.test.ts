// Issue 5, bad input end to end: broken build files from test/bad-specs built
// with `docker buildx build` on each daemon. buildx must show the file, the
// line and speck's message; the build must end within a bound; and no
// frontend process may be left under the daemon afterwards.

import { readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { recordSummary } from "../summary.js";
import { describeDaemons, docker, fixture, FRONTEND_IMAGE, type Daemon, type RunResult } from "./helpers.js";
import { waitNoFrontend } from "./procs.js";
import { cleanupImage, REPO, speckBuild, SYNTAX, tagFor } from "./speck.js";

const BAD = join(REPO, "test/bad-specs");
/** A bad build file must fail within this bound (the frontend starts, parses, Returns). */
const BOUND_MS = 90_000;
/** The context the corpus's expectations were written against (test/unit/bad-specs.test.ts). */
const CONTEXT: Record<string, string> = {
  "pausle.c": "int main(void) { return 0; }\n",
  "main.c": "int main(void) { return 0; }\n",
  "a.cpp": "int main() { return 0; }\n",
  "src/a.c": "int a(void) { return 1; }\n",
  "src/b.c": "int b(void) { return 2; }\n",
  "include/x.h": "#define X 1\n",
  "conf/app.conf": "k=v\n",
  "docs/readme.md": "docs\n",
};
/** A representative subset: YAML syntax, types, keys, paths, values, encodings, many problems at once. */
const CASES = [
  "01-yaml-unclosed-flow", "03-yaml-tab-indent", "06-root-is-a-list", "13-misspelt-key", "16-glob-matches-nothing",
  "17-source-outside-context", "21-source-not-in-context", "30-profile-unknown", "37-stopsignal-unknown",
  "40-files-dest-escapes-root", "52-entrypoint-shell-form", "57-many-problems-at-once", "60-not-utf8",
  "64-ldflags-split-at-commas", "65-cflags-split-at-comma", "67-ldflags-xlinker-without-argument",
];

let tried = 0;
let unexpected = 0;
afterAll(() => recordSummary("e2e-bad-input", { badInputs: tried, unexpected }));

/** Counts the case, and an unexpected outcome if `check` throws. */
async function attempt(check: () => Promise<void>): Promise<void> {
  tried++;
  try {
    await check();
  } catch (e) {
    unexpected++;
    throw e;
  }
}

/** The corpus file with its `# syntax=speck` line pointed at the image under test (same line count). */
function corpusFile(name: string): Buffer {
  const bytes = readFileSync(join(BAD, `${name}.speck`));
  const text = bytes.toString("latin1"); // byte-preserving: 60-not-utf8 must stay invalid UTF-8
  if (!/^(\uFEFF|\u00EF\u00BB\u00BF)?# syntax=speck\r?\n/.test(text)) throw new Error(`${name}: expected a '# syntax=speck' first line`);
  return Buffer.from(text.replace("# syntax=speck", `# syntax=${FRONTEND_IMAGE}`), "latin1");
}

const GREET = '#include <stdio.h>\nint main(void) { puts(GREETING); return 0; }\n';

/** Builds `text` as speck.yaml beside GREET's main.c, runs the image, returns its stdout. */
async function buildAndRun(daemon: Daemon, text: string, what: string, buildArgs: Record<string, string>): Promise<string> {
  const dir = await fixture({ "speck.yaml": text, "main.c": GREET });
  const tag = tagFor(daemon, what);
  cleanupImage(daemon, tag);
  await speckBuild(daemon, { dir, tags: [tag], load: true, buildArgs, timeoutMs: 300_000 });
  return (await docker(daemon, ["run", "--rm", "--network=none", tag])).stdout;
}

function expectNoStack(res: RunResult): void {
  expect(res.stderr).not.toMatch(/\n\s+at [\w.<>]+ \(|node_modules|\.ts:\d+:\d+\)/);
}

describeDaemons("bad input end to end", (daemon) => {
  it.each(CASES)("%s: buildx shows the file, line and message; the frontend exits", async (name) => {
    await attempt(async () => {
      const file = `${name}.speck`;
      const dir = await fixture({ ...CONTEXT, [file]: corpusFile(name) });
      const t0 = performance.now();
      const res = await speckBuild(daemon, { dir, file, check: false, timeoutMs: BOUND_MS });
      const ms = performance.now() - t0;
      expect(res.timedOut).toBe(false);
      expect(res.code).not.toBe(0);
      // Byte offsets move by the longer syntax line; lines and columns do not.
      const shift = FRONTEND_IMAGE.length - "speck".length;
      const expected = readFileSync(join(BAD, `${name}.expected`), "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => l.replace(/at offset (\d+)/, (_, n: string) => `at offset ${Number(n) + shift}`));
      for (const line of expected) {
        // `L:C: message (hint)`; buildx prints speck's message after the file name.
        expect(res.stderr).toContain(`${file}:${line}`);
      }
      expectNoStack(res);
      // Refused while reading the file: no compile step was started.
      expect(res.stderr).not.toMatch(/\[compile /);
      expect(ms).toBeLessThan(BOUND_MS);
      await waitNoFrontend(daemon);
    });
  });

  it("a missing syntax line: buildx reads the file as a Dockerfile and says so at line 1", async () => {
    await attempt(async () => {
      const dir = await fixture({ "speck.yaml": readFileSync(join(BAD, "73-ok-no-syntax-line.speck")), "pausle.c": CONTEXT["pausle.c"] ?? "" });
      const res = await speckBuild(daemon, { dir, check: false, timeoutMs: BOUND_MS });
      expect(res.code).not.toBe(0);
      // The Dockerfile frontend, not speck, answered: it knows no `sources:` instruction.
      expect(res.stderr).toMatch(/dockerfile parse error (on )?line 1: unknown instruction: sources:/i);
      expect(res.stderr).not.toContain(FRONTEND_IMAGE);
      // What fixes it, as the README says and as speck's own `init` writes it.
      const readme = readFileSync(join(REPO, "README.md"), "utf8");
      expect(readme).toContain("The build file is YAML after its `# syntax=` line.");
      expect(readme).toContain("--build-arg BUILDKIT_SYNTAX=<image>");
      const { init } = await import("../../frontend/cli.js");
      const scratch = await fixture({ "main.c": CONTEXT["main.c"] ?? "" });
      init(scratch, false, FRONTEND_IMAGE);
      expect(readFileSync(join(scratch, "speck.yaml"), "utf8").split("\n")[0]).toBe(SYNTAX);
    });
  });

  it("a source that is a symlink out of the context is refused at the `sources` line", async () => {
    await attempt(async () => {
      const dir = await fixture({ "speck.yaml": `${SYNTAX}\nsources: [main.c]\n` });
      symlinkSync("/etc/hostname", join(dir, "main.c"));
      const res = await speckBuild(daemon, { dir, check: false, timeoutMs: BOUND_MS });
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain("speck.yaml:2:10: `main.c` is a symbolic link to `/etc/hostname`, outside the build context");
      expectNoStack(res);
      await waitNoFrontend(daemon);
    });
  });

  it("a huge build file (over 1 MiB) is refused with its size, promptly", async () => {
    await attempt(async () => {
      const pad = `# ${"x".repeat(1021)}\n`.repeat(1100);
      const text = `${SYNTAX}\nsources: [main.c]\n${pad}`;
      const dir = await fixture({ "speck.yaml": text, "main.c": CONTEXT["main.c"] ?? "" });
      const t0 = performance.now();
      const res = await speckBuild(daemon, { dir, check: false, timeoutMs: BOUND_MS });
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(new RegExp(`the build file speck\\.yaml is (${Buffer.byteLength(text)}|${Buffer.byteLength(text).toLocaleString("en-US")}) bytes`));
      expect(performance.now() - t0).toBeLessThan(BOUND_MS);
      expectNoStack(res);
      await waitNoFrontend(daemon);
    });
  });

  it("a file with CRLF line ends builds, and its binary runs", async () => {
    await attempt(async () => {
      const text = `${SYNTAX}\r\nsources: [main.c]\r\nname: crlf\r\ndefines: { GREETING: '"crlf ok"' }\r\n`;
      expect(await buildAndRun(daemon, text, "crlf", {})).toBe("crlf ok\n");
    });
  });

  it("a file with a BOM and CRLF line ends builds (through BUILDKIT_SYNTAX where BuildKit misses the syntax line after a BOM)", async () => {
    await attempt(async () => {
      const text = `\uFEFF${SYNTAX}\r\nsources: [main.c]\r\nname: bom\r\ndefines: { GREETING: '"bom ok"' }\r\n`;
      // BuildKit's Dockerfile frontend skips a BOM before `# syntax=` only since moby/buildkit#5645
      // (BuildKit v0.20, Docker Engine 28.0); older daemons read such a file as a Dockerfile.
      const engine = (await docker(daemon, ["version", "--format", "{{.Server.Version}}"])).stdout.trim();
      if (Number(engine.split(".")[0]) >= 28) {
        expect(await buildAndRun(daemon, text, "bom", {})).toBe("bom ok\n");
        return;
      }
      const dir = await fixture({ "speck.yaml": text, "main.c": GREET });
      const missed = await speckBuild(daemon, { dir, check: false, timeoutMs: BOUND_MS });
      expect(missed.stderr).toMatch(/dockerfile parse error (on )?line 2: unknown instruction: sources:/i);
      // speck itself reads the BOM file fine once BuildKit hands it over.
      expect(await buildAndRun(daemon, text, "bom", { BUILDKIT_SYNTAX: FRONTEND_IMAGE })).toBe("bom ok\n");
      process.stderr.write(`bom [${daemon.name}]: Docker ${engine} misses '# syntax=' after a BOM; built with BUILDKIT_SYNTAX\n`);
    });
  });
});
