// qemu-user interpreters in binfmt_misc: GLOBAL kernel state, shared by every
// container runtime on the host. The tests register only the ones they need
// to run foreign binaries (testbed.sh `emulation`), and switch them off only
// for the short window in which a build must prove it needs no emulation,
// always switching them back on.

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { run } from "./run.js";

const BINFMT = "/proc/sys/fs/binfmt_misc";
const TESTBED = join(import.meta.dirname, "testbed.sh");

/** binfmt_misc entry names per GOARCH (Debian's qemu-user-static). */
export const QEMU: Readonly<Record<string, string>> = { arm64: "qemu-aarch64", arm: "qemu-arm", riscv64: "qemu-riscv64", "386": "qemu-i386", ppc64le: "qemu-ppc64le", s390x: "qemu-s390x" };

/** Registers and enables the interpreters (idempotent). */
export async function enableEmulation(names: readonly string[]): Promise<void> {
  await run([TESTBED, "emulation", ...names], { timeoutMs: 300_000 });
}

async function enabled(name: string): Promise<boolean> {
  try {
    return (await readFile(join(BINFMT, name), "utf8")).split("\n")[0] === "enabled";
  } catch {
    return false;
  }
}

/**
 * Runs `fn` with the interpreters disabled, so that anything in it that needs
 * emulation fails; those that were enabled are enabled again afterwards,
 * whatever happened. Returns what `fn` returned.
 */
export async function withoutEmulation<T>(names: readonly string[], fn: () => Promise<T>): Promise<T> {
  const wasOn = [];
  for (const n of names) if (await enabled(n)) wasOn.push(n);
  try {
    for (const n of wasOn) await writeFile(join(BINFMT, n), "0");
    for (const n of names) if (await enabled(n)) throw new Error(`binfmt_misc ${n} is still enabled after writing 0`);
    return await fn();
  } finally {
    for (const n of wasOn) await writeFile(join(BINFMT, n), "1");
  }
}
