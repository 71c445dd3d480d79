// Issue 5, security defaults, each proven on a real daemon: non-root by
// default; the compile step has no network and sees its sources read-only;
// only the files the spec names leave the client; no user string reaches a
// shell; the image holds no shell and no file but those listed.

import { randomBytes } from "node:crypto";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { recordSummary } from "../summary.js";
import { describeDaemons, docker, fixture, imageLayers, inspectImage } from "./helpers.js";
import { cleanupImage, speckBuild, SYNTAX, tagFor } from "./speck.js";

const NET_NONE = 2; // pb.NetMode.NONE

interface ExecJSON {
  kind: string;
  op?: { meta?: { args?: string[] }; network?: number; mounts?: { dest: string; readonly?: boolean; input: number; output: number }[] };
}

let checks = 0;
let unexpected = 0;
afterAll(() => recordSummary("e2e-security", { securityChecks: checks, unexpected }));
async function check(f: () => Promise<void>): Promise<void> {
  checks++;
  try {
    await f();
  } catch (e) {
    unexpected++;
    throw e;
  }
}

/** Sizes as BuildKit's progress prints them ("2.05kB", "20.97MB", "123B") in bytes. */
export function progressBytes(s: string): number {
  const m = /^([\d.]+)([kMG]?)B$/.exec(s);
  if (!m) throw new Error(`not a progress size: ${s}`);
  return Number(m[1]) * ({ "": 1, k: 1e3, M: 1e6, G: 1e9 }[m[2] ?? ""] ?? 1);
}

describeDaemons("security defaults", (daemon) => {
  it("runs as nobody (65534:65534) by default; no shell, only the binary", async () => {
    await check(async () => {
      const dir = await fixture({ "speck.yaml": `${SYNTAX}\nsources: [id.c]\n`, "id.c": '#include <stdio.h>\n#include <unistd.h>\nint main(void) { printf("%u:%u\\n", getuid(), getgid()); return 0; }\n' });
      const tag = tagFor(daemon, "sec-user");
      cleanupImage(daemon, tag);
      await speckBuild(daemon, { dir, tags: [tag], load: true, timeoutMs: 300_000 });
      const img = await inspectImage(daemon, tag);
      expect(img.Config.User).toBe("65534:65534");
      expect((await docker(daemon, ["run", "--rm", "--network=none", tag])).stdout).toBe("65534:65534\n");
      // Exactly one file in one layer: the binary. No /bin/sh, no /etc.
      const layers = await imageLayers(daemon, tag);
      expect(layers.flat().map((e) => `${e.type} ${e.path}`)).toEqual(["- id"]);
      const sh = await docker(daemon, ["run", "--rm", "--network=none", "--entrypoint=/bin/sh", tag, "-c", "true"], { check: false });
      expect(sh.code).not.toBe(0);
      expect(sh.stderr).toMatch(/no such file or directory/i);
    });
  });

  it("the image holds the binary and the listed files, nothing else", async () => {
    await check(async () => {
      const dir = await fixture({
        "speck.yaml": `${SYNTAX}\nsources: [m.c]\nimage:\n  files:\n    - { src: a.conf, dest: /etc/app/a.conf }\n`,
        "m.c": "int main(void) { return 0; }\n",
        "a.conf": "x=1\n",
        "b.conf": "not listed\n",
      });
      const tag = tagFor(daemon, "sec-files");
      cleanupImage(daemon, tag);
      await speckBuild(daemon, { dir, tags: [tag], load: true, timeoutMs: 300_000 });
      const entries = (await imageLayers(daemon, tag)).flat().map((e) => `${e.type} ${e.path}`);
      expect(entries.sort()).toEqual(["- etc/app/a.conf", "- m", "d etc", "d etc/app"]);
    });
  });

  it("the compile step has no network and mounts the sources read-only (LLB from --target=debug-llb)", async () => {
    await check(async () => {
      // Sources that #include nothing but themselves; what matters is the op around them.
      const dir = await fixture({
        "speck.yaml": `${SYNTAX}\nsources: [n.c]\ndefines: { NET: 1 }\nlibs: [m]\n`,
        "n.c": "int main(void) { return 0; }\n",
      });
      const out = await mkdtemp(join(tmpdir(), "speck-sec-llb-"));
      await speckBuild(daemon, { dir, target: "debug-llb", outputs: [`type=local,dest=${out}`], timeoutMs: 300_000 });
      const ops = JSON.parse(await readFile(join(out, "llb.json"), "utf8")) as ExecJSON[];
      const execs = ops.filter((o) => o.kind === "exec");
      const compile = execs.find((o) => o.op?.meta?.args?.[0] === "clang");
      expect(compile, JSON.stringify(execs.map((e) => e.op?.meta?.args))).toBeDefined();
      // With a prepared toolchain the compile is the only exec, so no step of the build can reach a network.
      expect(execs).toHaveLength(1);
      expect(compile?.op?.network).toBe(NET_NONE);
      const src = compile?.op?.mounts?.find((m) => m.dest === "/src");
      expect(src).toMatchObject({ readonly: true, output: -1 });
      // Only /out is an output of the step: nothing it writes elsewhere reaches the image.
      const outputs = (compile?.op?.mounts ?? []).filter((m) => m.output >= 0).map((m) => m.dest);
      expect(outputs.sort()).toEqual(["/", "/out"]);
    });
  });

  it("the compile step really runs with no network interface but loopback", async () => {
    await check(async () => {
      // __has_include is evaluated inside the compile step, so the binary records which
      // network interfaces that step saw in its /sys (runc mounts sysfs in the step's netns).
      const probe = (iface: string): string =>
        `#if __has_include("/sys/class/net/${iface}/ifindex")\nputs("${iface}: present");\n#else\nputs("${iface}: absent");\n#endif\n`;
      const dir = await fixture({
        "speck.yaml": `${SYNTAX}\nsources: [net.c]\n`,
        "net.c": `#include <stdio.h>\nint main(void) {\n${probe("lo")}${probe("eth0")}return 0;\n}\n`,
      });
      const tag = tagFor(daemon, "sec-net");
      cleanupImage(daemon, tag);
      await speckBuild(daemon, { dir, tags: [tag], load: true, timeoutMs: 300_000 });
      const out = (await docker(daemon, ["run", "--rm", "--network=none", tag])).stdout;
      // lo present proves the probe can see; eth0 absent is what a sandboxed RUN step would have.
      expect(out).toBe("lo: present\neth0: absent\n");
    });
  });

  it("sends only the files the spec names: a 20 MB file beside them stays on the client", async () => {
    await check(async () => {
      const dir = await fixture({
        "speck.yaml": `${SYNTAX}\nsources: [s.c]\n`,
        "s.c": "int main(void) { return 0; }\n",
        "big.bin": randomBytes(20 << 20),
      });
      const res = await speckBuild(daemon, { dir, timeoutMs: 300_000, noCache: true });
      const sizes = [...res.stderr.matchAll(/transferring context: ([\d.]+[kMG]?B)/g)].map((m) => progressBytes(m[1] ?? ""));
      expect(sizes.length, res.stderr).toBeGreaterThan(0);
      expect(Math.max(...sizes)).toBeLessThan(64_000);
    });
  });

  it("no user string reaches a shell: -DX=$(id) and `; rm -rf /` arrive literally", async () => {
    await check(async () => {
      const dir = await fixture({
        "speck.yaml": `${SYNTAX}\nsources: [lit.c]\ndefines: ["X=$(id)", "Y=\`reboot\`"]\ncflags: ["-DZ=; rm -rf /"]\n`,
        "lit.c": '#include <stdio.h>\n#define S(x) #x\n#define STR(x) S(x)\nint main(void) { puts(STR(X)); puts(STR(Y)); puts(STR(Z)); return 0; }\n',
      });
      const tag = tagFor(daemon, "sec-shell");
      cleanupImage(daemon, tag);
      await speckBuild(daemon, { dir, tags: [tag], load: true, timeoutMs: 300_000 });
      const out = await docker(daemon, ["run", "--rm", "--network=none", tag]);
      expect(out.stdout).toBe("$(id)\n`reboot`\n; rm -rf /\n");
    });
  });
});
