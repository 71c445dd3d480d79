// Unit tier set-up: the host tools the ELF, profile and mixed-language tests
// compile with (gcc, g++, musl-gcc, file, clang, ld.lld). When one is missing, it is installed
// from the host's Debian suite (testbed.sh host-pkg, as the e2e set-up installs
// qemu), so the README's `npm test` runs the same tests as CI on a fresh machine.
// Where that cannot be done (not root, not Debian) those tests report themselves
// skipped; with CI set the run fails instead, as the e2e tier's does.

import { join } from "node:path";
import { cannotProvision, onPath } from "../host.js";
import { run } from "../e2e/run.js";

/** Each command the unit tests run on the host, and the Debian package that provides it. */
const TOOLS: readonly (readonly [command: string, pkg: string])[] = [
  ["gcc", "gcc"],
  ["g++", "g++"],
  ["musl-gcc", "musl-tools"],
  ["file", "file"],
  // frontend/elf/read.test.ts builds 32-bit ARM objects with clang and links them with lld.
  ["clang", "clang"],
  ["ld.lld", "lld"],
  // bench/gen-c-project.test.ts configures and builds the CMake variant of the generated program.
  ["cmake", "cmake"],
  ["ninja", "ninja-build"],
];
const testbed = join(import.meta.dirname, "../e2e/testbed.sh");

function note(message: string): void {
  process.stderr.write(`unit setup: ${message}\n`);
}

const missing = (): (readonly [string, string])[] => TOOLS.filter(([command]) => onPath(command) === undefined);

export default async function setup(): Promise<void> {
  if (missing().length === 0) return;
  let why = cannotProvision();
  if (why === null) {
    note(`installing ${missing().map(([, pkg]) => pkg).join(", ")}`);
    const t0 = performance.now();
    const r = await run([testbed, "host-pkg", ...missing().flat()], { timeoutMs: 900_000, check: false });
    if (r.code === 0) note(`installed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    else why = `testbed.sh host-pkg failed: ${r.stderr.trimEnd().split("\n").at(-1) ?? ""}`;
  }
  const still = missing();
  if (still.length === 0) return;
  const what = still.map(([command, pkg]) => `${command} (package ${pkg})`).join(", ");
  const because = why ?? "installing them did not put them on PATH";
  if (process.env["CI"]) throw new Error(`unit: the host lacks ${what} and cannot get them: ${because}`);
  note(`the tests that compile on the host will be skipped: no ${what}; ${because}`);
}
