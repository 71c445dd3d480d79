// The plan in words, for `speck explain`: what will be installed, every flag
// and why, and what the image will look like. Plain text, stable order. The
// language's own lines (where its toolchain runs, a section of its own, how
// the compile runs, its sources) come from its LanguageSupport.explain.

import { formatPlatform } from "../../llb/index.js";
import { groupThousands } from "../format.js";
import { targetCacheMount, targetRootInstallArgv } from "./apk-root.js";
import type { Plan } from "./types.js";

/** A language's part of the text (frontend/languages/language.ts: LanguageExplanation). */
export interface ExplainLines {
  readonly title: string;
  /** The network the ops that download get (pipeline/network.ts describeNetwork). */
  readonly network: string;
  readonly toolchainRunsOn: string;
  readonly sections: readonly string[];
  readonly compile: readonly string[];
  /** The whole compile section, heading included, in place of the one-command one: a build of several ops. */
  readonly compileSection?: readonly string[];
  readonly sources: readonly string[];
}

export function explain(p: Plan, lang: ExplainLines): string {
  const out: string[] = [];
  out.push(`${p.name}: a static ${lang.title} binary for ${formatPlatform(p.platform)}, profile ${p.profile.name} (${p.profile.summary})`);
  out.push("", "Toolchain");
  const tc = p.toolchain;
  out.push(`  image     ${tc.image} (pinned to a digest when the build resolves it)`);
  out.push(`  runs on   ${formatPlatform(tc.platform)}, ${lang.toolchainRunsOn}`);
  out.push(`  packages  apk add ${tc.packages.join(" ")}`);
  out.push(`  network   ${lang.network}, for apk and any op that downloads; every compile op has none`);
  if (tc.sysroot) {
    out.push(`  target    ${targetRootInstallArgv(tc.sysroot).join(" ")}`);
    out.push(`            (the target's own keys from the base image's alpine-keys; downloads in a cache mount at ${targetCacheMount(tc.sysroot)}; no install scripts, which apk would run chrooted into that root)`);
  }
  out.push(...lang.sections);
  if (lang.compileSection !== undefined) out.push(...lang.compileSection);
  else {
    out.push("", "Compile (one command, no shell, no network, sources read-only)");
    out.push(`  ${showArgv(p.compile.argv)}`);
    out.push(`  in ${p.compile.cwd} with ${p.compile.env.join(" ")}`);
    out.push(...lang.compile);
  }
  out.push("", "Flags");
  const width = Math.min(40, Math.max(...p.compile.flags.map((f) => f.flag.length), 0));
  for (const f of p.compile.flags) out.push(`  ${f.flag.padEnd(width)}  ${f.why}`);
  // Only where the command writes the binary itself (a cargo build leaves it in its target directory).
  const o = p.compile.argv.indexOf("-o");
  if (o >= 0 && p.compile.argv[o + 1] === p.compile.output) out.push(`  ${"-o".padEnd(width)}  write the binary to ${p.compile.output}`);
  out.push("", `Trade-offs of ${p.profile.name}: ${p.profile.tradeoffs}`);
  out.push("", `Sources: ${lang.sources.join(", ")}`);
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

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, "0")}`;
}

/** Shows argv unambiguously; it is never run through a shell. */
export function showArgv(argv: readonly string[]): string {
  return argv.map(quote).join(" ");
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
