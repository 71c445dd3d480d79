// The commands that build a target, as `ninja -t commands <target>` prints
// them, read back into argv arrays and classified: a compile, an archive, an
// archive index, a remove, the link. Only these shapes are understood;
// anything else (a custom command, a code generator, a thin archive, a shell
// construct) makes the whole target build with one `ninja` op instead, so
// the per-unit graph is an optimisation, never a correctness risk.
//
// The tools read, in both ninjas Alpine and the test bed run:
//   - samurai (Alpine's `samurai` package, /usr/bin/ninja -> samu), tool.c:
//     the `tools[]` table has clean, commands, compdb, graph, query, targets;
//     `commands` prints each edge's command after its inputs' (targetcommands,
//     depth first, once per edge, phony edges print nothing); `targets all`
//     prints `<output>: <rule>` for every edge (michaelforney/samurai, tool.c).
//   - ninja (Debian's ninja-build 1.12 in the test bed), src/ninja.cc:
//     ToolCommands prints EvaluateCommand() of each non-phony edge after its
//     inputs' (PrintCommands, once per edge by a seen set); ToolTargets with
//     `all` prints `<output>: <rule name>` (ToolTargetsList).
// No other tool or flag is used (ninja's `-t commands -s` is not in samurai).
//
// The commands are `/bin/sh -c` strings CMake and Meson wrote: splitShell
// reads the plain subset (words, quotes, backslashes, `&&`) and refuses the
// rest, and speck never hands one of them to a shell: each recognised
// command runs as an argv.

import { posix } from "node:path";

/** A command line as simple commands joined by `&&`, or undefined when it holds anything else. */
export function splitShell(line: string): string[][] | undefined {
  const commands: string[][] = [[]];
  let word: string | undefined;
  const end = () => {
    if (word !== undefined) commands[commands.length - 1]?.push(word);
    word = undefined;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === " " || c === "\t") {
      end();
    } else if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) return undefined;
      word = (word ?? "") + line.slice(i + 1, close);
      i = close;
    } else if (c === '"') {
      let text = "";
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        const d = line[j] as string;
        if (d === "$" || d === "`") return undefined;
        if (d === "\\" && j + 1 < line.length && '"\\$`'.includes(line[j + 1] as string)) {
          text += line[j + 1];
          j++;
        } else text += d;
      }
      if (j >= line.length) return undefined;
      word = (word ?? "") + text;
      i = j;
    } else if (c === "\\") {
      if (i + 1 >= line.length || line[i + 1] === "\n") return undefined;
      word = (word ?? "") + line[i + 1];
      i++;
    } else if (c === "&" && line[i + 1] === "&" && word === undefined) {
      if (commands[commands.length - 1]?.length === 0) return undefined;
      commands.push([]);
      i++;
    } else if ("|&;<>()$`*?[]{}~#!\n\r".includes(c)) {
      // `#` and `~` only matter at a word's start, but no command CMake or Meson writes for a C target has them.
      return undefined;
    } else {
      word = (word ?? "") + c;
    }
  }
  end();
  if (commands.some((cmd) => cmd.length === 0)) return undefined;
  return commands;
}

export type Step =
  | { readonly kind: "compile"; readonly argv: readonly string[]; readonly source: string; readonly output: string }
  | { readonly kind: "archive"; readonly argv: readonly string[]; readonly archive: string; readonly members: readonly string[] }
  | { readonly kind: "ranlib"; readonly argv: readonly string[]; readonly archive: string }
  | { readonly kind: "link"; readonly argv: readonly string[]; readonly output: string; readonly inputs: readonly string[] };

const base = (p: string) => p.slice(p.lastIndexOf("/") + 1);
const COMPILER = /^(clang|clang\+\+|cc|c\+\+|gcc|g\+\+)(-[0-9.]+)?$/;
const AR = /^(llvm-)?ar(-[0-9.]+)?$/;
const RANLIB = /^(llvm-)?ranlib(-[0-9.]+)?$/;

/** Driver options whose value is the next argument (and the separate forms CMake and Meson write). */
const TAKES_VALUE = new Set(["-o", "-MF", "-MT", "-MQ", "-I", "-D", "-U", "-include", "-imacros", "-isystem", "-iquote", "-idirafter", "-x", "-Xclang", "-Xlinker", "-target", "-L", "-l", "-z", "-isysroot", "-arch"]);

interface DriverArgs {
  readonly positional: readonly string[];
  readonly output: string | undefined;
  readonly compileOnly: boolean;
}

function driverArgs(argv: readonly string[]): DriverArgs | undefined {
  const positional: string[] = [];
  let output: string | undefined;
  let compileOnly = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "-c") compileOnly = true;
    else if (a === "-o") {
      if (output !== undefined || i + 1 >= argv.length) return undefined;
      output = argv[++i];
    } else if (TAKES_VALUE.has(a)) {
      if (i + 1 >= argv.length) return undefined;
      i++;
    } else if (a === "-E" || a === "-S" || a === "-M" || a === "-MM" || /^-o./.test(a) || a.startsWith("@")) return undefined;
    else if (!a.startsWith("-")) positional.push(a);
  }
  return { positional, output, compileOnly };
}

/**
 * One line of `ninja -t commands` as the steps it runs, or undefined for a
 * shape speck does not understand. CMake wraps a link in `: && ... && :` and
 * removes an archive before `ar qc` (`cmake -E rm -f`); Meson does `rm -f`:
 * the removes are dropped, each op starts from an empty output.
 */
export function parseCommandLine(line: string): Step[] | undefined {
  const commands = splitShell(line);
  if (commands === undefined) return undefined;
  const steps: Step[] = [];
  const removed: string[] = [];
  for (const argv of commands) {
    const tool = base(argv[0] ?? "");
    if (argv.length === 1 && argv[0] === ":") continue;
    if ((tool === "cmake" && argv[1] === "-E" && argv[2] === "rm" && argv[3] === "-f" && argv.length === 5) || (tool === "rm" && argv[1] === "-f" && argv.length === 3)) {
      removed.push(argv[argv.length - 1] as string);
      continue;
    }
    if (COMPILER.test(tool)) {
      const d = driverArgs(argv);
      if (d === undefined || d.output === undefined) return undefined;
      if (d.compileOnly) {
        if (d.positional.length !== 1) return undefined;
        steps.push({ kind: "compile", argv, source: d.positional[0] as string, output: d.output });
      } else {
        steps.push({ kind: "link", argv, output: d.output, inputs: d.positional });
      }
      continue;
    }
    // `qc`, `rc`, `rcs`, `cr`, ... : a regular archive. `T` (Meson's `csrDT`) makes a thin one,
    // which names its members by path: speck's archive op makes a regular archive of the same
    // members instead (the op's output must hold the objects, not point at another op's), which
    // lld links the same way. `P` (full paths as member names) is not understood.
    const ops = argv[1] ?? "";
    if (AR.test(tool) && argv.length >= 4 && /^[qrcsuDUT]+$/.test(ops) && /[qr]/.test(ops)) {
      steps.push({ kind: "archive", argv: [argv[0] as string, ops.replace(/T/g, ""), ...argv.slice(2)], archive: argv[2] as string, members: argv.slice(3) });
      continue;
    }
    if (RANLIB.test(tool) && argv.length === 2) {
      steps.push({ kind: "ranlib", argv, archive: argv[1] as string });
      continue;
    }
    return undefined;
  }
  // A remove is understood only as "start this archive afresh".
  for (const r of removed) if (!steps.some((s) => s.kind === "archive" && s.archive === r)) return undefined;
  return steps;
}

/** A path of a command, relative to the build directory, as an absolute one. */
export function buildPath(path: string, buildDir: string): string {
  return posix.normalize(path.startsWith("/") ? path : `${buildDir}/${path}`);
}

export interface TargetCommands {
  readonly compiles: readonly Extract<Step, { kind: "compile" }>[];
  readonly archives: readonly { readonly archive: Extract<Step, { kind: "archive" }>; readonly ranlib?: Extract<Step, { kind: "ranlib" }> }[];
  readonly link: Extract<Step, { kind: "link" }>;
}

/** Why a target keeps one `ninja` op, in the words progress and explain print. */
export type Fallback = { readonly why: string };

/**
 * The target's commands as a unit graph, or why not: every line must be a
 * shape above, every archive member and every object the link reads must
 * come from a compile here, every relative archive from an archive here, and
 * the last line must be the one link.
 */
export function classify(text: string, buildDir: string): TargetCommands | Fallback {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const compiles: Extract<Step, { kind: "compile" }>[] = [];
  const archives: { archive: Extract<Step, { kind: "archive" }>; ranlib?: Extract<Step, { kind: "ranlib" }> }[] = [];
  let link: Extract<Step, { kind: "link" }> | undefined;
  for (const line of lines) {
    const steps = parseCommandLine(line);
    const short = line.length > 120 ? `${line.slice(0, 117)}...` : line;
    if (steps === undefined) return { why: `ninja runs a command speck does not split into steps: \`${short}\`` };
    if (link !== undefined) return { why: `ninja runs more after the link: \`${short}\`` };
    for (const s of steps) {
      if (s.kind === "compile") compiles.push(s);
      else if (s.kind === "archive") archives.push({ archive: s });
      else if (s.kind === "ranlib") {
        const a = archives.find((x) => x.archive.archive === s.archive && x.ranlib === undefined);
        if (a === undefined) return { why: `\`${short}\` indexes an archive speck did not see made` };
        a.ranlib = s;
      } else link = s;
    }
  }
  if (link === undefined) return { why: "the target's commands have no link" };
  const objects = new Set(compiles.map((c) => buildPath(c.output, buildDir)));
  if (objects.size !== compiles.length) return { why: "two compiles write the same object" };
  for (const { archive } of archives) {
    for (const m of archive.members) if (!objects.has(buildPath(m, buildDir))) return { why: `the archive \`${archive.archive}\` takes \`${m}\`, which no compile here makes` };
  }
  const made = new Set(archives.map((a) => buildPath(a.archive.archive, buildDir)));
  for (const input of link.inputs) {
    const abs = buildPath(input, buildDir);
    if (objects.has(abs) || made.has(abs)) continue;
    // An absolute archive outside the build tree is the target root's (a find_library result).
    if (input.startsWith("/") && !abs.startsWith(`${buildDir}/`) && input.endsWith(".a")) continue;
    return { why: `the link reads \`${input}\`, which no step here makes` };
  }
  return { compiles, archives, link };
}

/**
 * The executables a configured tree can build, from `ninja -t targets all`
 * (`<output>: <rule>`): CMake's link rules are `<LANG>_EXECUTABLE_LINKER__<target>_<config>`,
 * Meson's are `<lang>_LINKER` for executables and shared libraries alike (an
 * output with `.so` in its name is a library).
 */
export function executableTargets(text: string): { readonly target: string; readonly output: string }[] {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^(.*): (\S+)$/.exec(line.trim());
    if (m === null) continue;
    const [, output, rule] = m as unknown as [string, string, string];
    const cm = /^[A-Za-z]+_EXECUTABLE_LINKER__(.+)_[^_]*$/.exec(rule);
    if (cm) out.set(cm[1] as string, output);
    else if (/^[a-z]+_LINKER$/.test(rule) && !/\.so(\.|$)/.test(output) && !output.endsWith(".a")) out.set(output, output);
  }
  return [...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([target, output]) => ({ target, output }));
}
