// The Rust toolchain double in the Alpine stand-in (alpine-standin/alpine-rustc.sh and rust.sh) accepts
// what Alpine's rustc accepts for the commands speck generates, and refuses what it refuses:
//   - a foreign target whose std is not installed, or installed into /<triple> but not linked into
//     /usr/lib/rustlib (what xx-cargo and speck do after `apk add --root /<triple> rust-stdlib`):
//     E0463 "can't find crate for `std`", as on Alpine, where the std lives only at
//     /usr/lib/rustlib/<triple>/lib (aports main/rust, `_rlibdir`);
//   - a target no rustc knows: "Could not find specification for target";
// and once the std is installed and linked, the same command gives a static program of the target's
// machine, and `rustc -vV` names Alpine's host triple (cargo reads it to decide which target's settings
// also apply to build scripts). This depends on the image only, not on BuildKit: one daemon runs it.

import { expect, it } from "vitest";
import { STANDIN } from "./alpine.js";
import { describeNewestDaemon, docker } from "./helpers.js";

const T = "aarch64-alpine-linux-musl";
const ROOT_APK = `apk add -q --no-progress --root /${T} --arch aarch64 --keys-dir /usr/share/apk/keys/aarch64 --repositories-file /etc/apk/repositories --no-scripts`;
// speck's link flags for a target (frontend/languages/rust), so the double sees what it sees in a build.
const FLAGS = `-C linker=clang -C target-feature=+crt-static -C link-arg=--target=${T} -C link-arg=--sysroot=/${T} -C link-arg=-fuse-ld=lld`;
const SCRIPT = `
apk add -q --no-progress cargo clang gcc lld musl-dev rust >/dev/null || exit 90
${ROOT_APK} --initdb gcc musl-dev >/dev/null || exit 91
printf 'fn main() { println!("double ok"); }\\n' >/tmp/h.rs
step() { name=$1; shift; echo "=== step $name"; "$@" 2>&1; echo "=== rc $?"; }
step version rustc -vV
step no-stdlib rustc --target ${T} ${FLAGS} -o /tmp/h /tmp/h.rs
${ROOT_APK} rust-stdlib >/dev/null || exit 92
step not-linked rustc --target ${T} ${FLAGS} -o /tmp/h /tmp/h.rs
ln -sfn /${T}/usr/lib/rustlib/${T} /usr/lib/rustlib/${T}
step unknown-triple rustc --target aarch64-speck-nonesuch ${FLAGS} -o /tmp/h /tmp/h.rs
step linked rustc --target ${T} ${FLAGS} -o /tmp/h /tmp/h.rs
step elf readelf -h -l /tmp/h
`;

/** The script's steps: name → { output, exit code }. */
function steps(stdout: string): Map<string, { out: string; rc: number }> {
  const m = new Map<string, { out: string; rc: number }>();
  for (const part of stdout.split("=== step ").slice(1)) {
    const name = part.slice(0, part.indexOf("\n"));
    const rc = /=== rc (\d+)\s*$/.exec(part);
    m.set(name, { out: part.slice(name.length + 1, rc?.index ?? part.length), rc: rc ? Number(rc[1]) : -1 });
  }
  return m;
}

describeNewestDaemon("Rust toolchain double", (daemon) => {
  it("refuses a foreign target until its rust-stdlib is installed and linked, refuses an unknown triple, then links a static aarch64 program", { timeout: 300_000 }, async () => {
    const r = await docker(daemon, ["run", "--rm", "--network=none", STANDIN, "sh", "-c", SCRIPT], { timeoutMs: 280_000 });
    const s = steps(r.stdout);
    expect([...s.keys()]).toEqual(["version", "no-stdlib", "not-linked", "unknown-triple", "linked", "elf"]);

    expect(s.get("version")?.rc).toBe(0);
    expect(s.get("version")?.out).toMatch(/^host: x86_64-alpine-linux-musl$/m);
    expect(s.get("version")?.out).toMatch(/^release: 1\.85\.\d+$/m);

    for (const refused of ["no-stdlib", "not-linked"]) {
      expect(s.get(refused)?.rc, refused).not.toBe(0);
      expect(s.get(refused)?.out, refused).toContain("can't find crate for `std`");
    }
    expect(s.get("unknown-triple")?.rc).not.toBe(0);
    expect(s.get("unknown-triple")?.out).toContain('Could not find specification for target "aarch64-speck-nonesuch"');

    expect(s.get("linked")).toEqual({ out: "", rc: 0 });
    const elf = s.get("elf")?.out ?? "";
    expect(elf).toMatch(/Machine:\s+AArch64/);
    expect(elf).toMatch(/Type:\s+EXEC/);
    // Static: no program interpreter, no dynamic section.
    expect(elf).not.toMatch(/\bINTERP\b/);
    expect(elf).not.toMatch(/\bDYNAMIC\b/);
  });
});
