// The plan in words, for `speck explain`: what will be installed, every flag
// and why, and what the image will look like. Plain text, stable order.

import { groupThousands } from "../format.js";
import { targetCacheMount, targetRootInstallArgv } from "./apk-root.js";
import { languageSwitch } from "./languages.js";
import type { GoPlan, Plan, ToolchainPlan } from "./types.js";
import { compileMode } from "./units.js";

export function explain(p: Plan): string {
  const out: string[] = [];
  const platform = `${p.platform.os}/${p.platform.architecture}${p.platform.variant ? `/${p.platform.variant}` : ""}`;
  const language = p.language === "go" ? "Go" : p.language === "c++" ? "C++" : "C";
  out.push(`${p.name}: a static ${language} binary for ${platform}, profile ${p.profile.name} (${p.profile.summary})`);
  out.push("", "Toolchain");
  const tc = p.toolchain;
  const runsOn = `${tc.platform.os}/${tc.platform.architecture}${tc.platform.variant ? `/${tc.platform.variant}` : ""}`;
  out.push(`  image     ${tc.image} (pinned to a digest when the build resolves it)`);
  out.push(`  runs on   ${runsOn}, ${whereToolchainRuns(tc)}`);
  out.push(`  packages  apk add ${tc.packages.join(" ")}`);
  if (tc.sysroot) {
    out.push(`  target    ${targetRootInstallArgv(tc.sysroot).join(" ")}`);
    out.push(`            (the target's own keys from the base image's alpine-keys; downloads in a cache mount at ${targetCacheMount(tc.sysroot)}; no install scripts, which apk would run chrooted into that root)`);
  }
  if (p.go) out.push(...explainGo(p.go));
  out.push("", "Compile (one command, no shell, no network, sources read-only)");
  out.push(`  ${p.compile.argv.map(quote).join(" ")}`);
  out.push(`  in ${p.compile.cwd} with ${p.compile.env.join(" ")}`);
  const mode = compileMode(p);
  out.push(
    mode.kind === "units"
      ? `  run as ${p.sources.length} cached steps, one per source (the same flags and -c), shaped by a -M scan (through sh -c 'exec "$@" >/deps/deps.mk', a fixed script that keeps the driver's output), then one link: the same binary, and an edit re-runs only the units that read the edited file`
      : `  run as one step (${mode.why})`,
  );
  out.push("", "Flags");
  const width = Math.min(40, Math.max(...p.compile.flags.map((f) => f.flag.length), 0));
  for (const f of p.compile.flags) out.push(`  ${f.flag.padEnd(width)}  ${f.why}`);
  out.push(`  ${"-o".padEnd(width)}  write the binary to ${p.compile.output}`);
  out.push("", `Trade-offs of ${p.profile.name}: ${p.profile.tradeoffs}`);
  out.push("", `Sources: ${p.sources.map((s) => (languageSwitch(s, p.language) === "c" ? `${s} (compiled as C)` : s)).join(", ")}`);
  out.push(`Sent to the daemon: ${[...p.context.compile, ...p.context.image].join(", ")}`);
  out.push("", "Image (FROM scratch)");
  const i = p.image;
  out.push(`  ${i.binary.path}  mode ${octal(i.binary.mode)}, owner 0:0`);
  for (const f of i.files) out.push(`  ${f.dest}  mode ${octal(f.mode)}, from ${f.src}`);
  out.push(`  entrypoint  ${JSON.stringify(i.entrypoint)}`);
  if (i.cmd.length > 0) out.push(`  cmd         ${JSON.stringify(i.cmd)}`);
  out.push(`  user        ${i.user}`);
  out.push(`  workdir     ${i.workingDir}`);
  if (i.env.length > 0) out.push(`  env         ${i.env.join(" ")}`);
  if (i.exposedPorts.length > 0) out.push(`  expose      ${i.exposedPorts.join(" ")}`);
  if (i.stopSignal) out.push(`  stopsignal  ${i.stopSignal}`);
  for (const [k, v] of Object.entries(i.labels)) out.push(`  label       ${k}=${v}`);
  if (p.budget !== undefined) out.push("", `Budget: the build fails if the binary exceeds ${groupThousands(p.budget)} B`);
  return `${out.join("\n")}\n`;
}

function explainGo(g: GoPlan): string[] {
  const b = g.buildPlatform;
  const out = ["", `Go module ${g.module}${g.goVersion ? ` (go ${g.goVersion})` : ""}, main package ${g.main}`];
  const why = g.cgo ? "cgo: the C compiler must build for the target, so the toolchain runs on the target's platform" : "the worker's platform: Go cross-compiles with GOOS/GOARCH, nothing is emulated";
  out.push(`  runs on  ${b.os}/${b.architecture}${b.variant ? `/${b.variant}` : ""} (${why})`);
  const m = g.modules;
  const how =
    m.kind === "none" ? "none required" :
    m.kind === "vendor" ? "vendor/ (-mod=vendor), nothing downloaded" :
    m.kind === "cache" ? "a ready module cache from --build-context gomodcache" :
    `${m.argv.join(" ")} with ${m.env.join(" ")}; sees only ${m.files.join(", ")}; ${m.proxy ? "from --build-context goproxy, no network" : "with network"}`;
  out.push(`  modules  ${how}`);
  return out;
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, "0")}`;
}

/** Shows argv unambiguously; it is never run through a shell. */
function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Why the toolchain runs where it runs, in words. */
function whereToolchainRuns(tc: ToolchainPlan): string {
  switch (tc.compiler) {
    case "clang":
      return "the build platform: clang cross-compiles every target natively";
    case "go":
      return tc.emulated ? "the target, under emulation: cgo needs the target's C compiler" : "the build platform: Go cross-compiles every target natively (GOOS/GOARCH)";
    case "gcc":
      return tc.emulated ? "the target, under emulation: toolchain.compiler is gcc" : "the target (toolchain.compiler: gcc)";
  }
}
