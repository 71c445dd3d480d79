// The build info the Go linker writes into every Go binary, as `go version -m`
// reads it: the Go version that built it, the main package and module, every
// module that contributed a package (with its go.sum h1: hash) and the build
// settings. Read over ranged reads (a few kilobytes), with no exec.
//
// The facts relied on, from Go's own reader (src/debug/buildinfo/buildinfo.go)
// and writer of the text (src/runtime/debug/mod.go, BuildInfo.String):
// - In an ELF binary the blob is in the section `.go.buildinfo` (Go 1.18 and
//   later; `-ldflags=-s -w` drops symbols and DWARF, not this section). Go's
//   reader searches the first 64 KiB from there for the 14-byte magic
//   "\xff Go buildinf:" at a 16-byte aligned offset.
// - The 32-byte header is the magic, the pointer size (1 byte) and a flags
//   byte; flag bit 2 (0x02) means the two strings follow the header inline,
//   each as a uvarint length and the bytes: the Go version (runtime.buildVersion),
//   then the module info (runtime.modinfo). Without that bit the header holds
//   pointers instead (Go before 1.18), which speck does not follow.
// - The module info, when 33 bytes or longer with '\n' 17 bytes before its
//   end, is framed by 16 sentinel bytes at each end; otherwise it is empty
//   (a binary built outside module mode).
// - Its text is lines: `path\t<main package>`, `mod\t<path>\t<version>\t<sum>`,
//   `dep\t<path>\t<version>\t<sum>` (sum may be absent), `=>\t<path>\t<version>\t<sum>`
//   (the module on the line before is replaced by this one), `build\t<key>=<value>`
//   (key or value Go-quoted when they hold spaces, tabs or quotes).

import { findSection, type ReadAt } from "../../elf/index.js";

export interface GoModule {
  readonly path: string;
  /** `v1.6.0`; `(devel)` for the main module built from a directory. */
  readonly version: string;
  /** go.sum's `h1:` hash of the module's files; absent for the main module and for vendored builds. */
  readonly sum?: string;
  /** A `replace` directive's target: what was really compiled. */
  readonly replace?: GoModule;
}

export interface GoBuildInfo {
  /** runtime.Version() of the toolchain that linked it: `go1.24.4`. */
  readonly goVersion: string;
  /** The main package's import path. */
  readonly path?: string;
  readonly main?: GoModule;
  /** Every module other than the main one that contributed packages, in the linker's order. */
  readonly deps: readonly GoModule[];
  readonly settings: readonly { readonly key: string; readonly value: string }[];
}

export class GoBuildInfoError extends Error {
  override readonly name = "GoBuildInfoError";
}

const SECTION = ".go.buildinfo";
const MAGIC = Uint8Array.of(0xff, ...new TextEncoder().encode(" Go buildinf:"));
const HEADER = 32;
const ALIGN = 16;
const SEARCH = 64 * 1024;
/** The module list of a large program runs to tens of kilobytes; more than this is not build info. */
const MAX_STRINGS = 4 * 1024 * 1024;
const FLAG_INLINE = 0x02;
const FRAME = 16;

export async function readGoBuildInfo(read: ReadAt): Promise<GoBuildInfo> {
  const section = await findSection(read, SECTION);
  if (!section) throw new GoBuildInfoError(`no ${SECTION} section: not a Go binary, or one from a Go older than 1.18`);
  const data = await read(section.offset, Math.min(section.size, SEARCH));
  const at = findMagic(data);
  if (at === undefined) throw new GoBuildInfoError(`no build info header in ${SECTION}`);
  if (((data[at + 15] ?? 0) & FLAG_INLINE) === 0) throw new GoBuildInfoError("the build info holds pointers (Go before 1.18); speck reads the inline form only");
  // The strings may run past what was read when the module list is long: read on from the header.
  const strings = await read(section.offset + at + HEADER, Math.min(section.size - at - HEADER, MAX_STRINGS));
  const [version, afterVersion] = uvarintBytes(strings, 0, "Go version");
  const [framed] = uvarintBytes(strings, afterVersion, "module info");
  if (version.length === 0) throw new GoBuildInfoError("the build info names no Go version");
  const utf8 = new TextDecoder();
  const modinfo = framed.length >= 2 * FRAME + 1 && framed[framed.length - FRAME - 1] === 0x0a ? utf8.decode(framed.subarray(FRAME, framed.length - FRAME)) : "";
  return { goVersion: utf8.decode(version), ...parseModInfo(modinfo) };
}

function findMagic(data: Uint8Array): number | undefined {
  for (let i = 0; i + HEADER <= data.length; i += ALIGN) if (MAGIC.every((b, k) => data[i + k] === b)) return i;
  return undefined;
}

/** A uvarint length and that many bytes at `at`, and where the next field starts. */
function uvarintBytes(b: Uint8Array, at: number, what: string): [Uint8Array, number] {
  let length = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    const byte = b[i++];
    if (byte === undefined || shift > 28) throw new GoBuildInfoError(`the build info's ${what} length is cut off or too large`);
    length += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) break;
  }
  if (i + length > b.length) throw new GoBuildInfoError(`the build info's ${what} runs past the section (${length} bytes at ${i})`);
  return [b.subarray(i, i + length), i + length];
}

/** The module info text (sentinels removed) -> its fields; unknown lines are skipped, as Go's parser does. */
export function parseModInfo(text: string): Omit<GoBuildInfo, "goVersion"> {
  let path: string | undefined;
  let main: GoModule | undefined;
  const deps: GoModule[] = [];
  const settings: { key: string; value: string }[] = [];
  // The module a `=>` line replaces: the one on the line just before ("main", or an index into deps).
  let last: "main" | number | undefined;
  for (const line of text.split("\n")) {
    const [word, ...rest] = line.split("\t");
    const previous = last;
    last = undefined;
    if (word === "path" && rest.length === 1) path = rest[0];
    else if (word === "mod") {
      main = moduleOf(rest, line);
      last = "main";
    } else if (word === "dep") last = deps.push(moduleOf(rest, line)) - 1;
    else if (word === "=>") {
      const replace = moduleOf(rest, line);
      if (previous === "main" && main) main = { ...main, replace };
      else if (typeof previous === "number") deps[previous] = { ...(deps[previous] as GoModule), replace };
      else throw new GoBuildInfoError(`a replacement with no module on the line before: ${line}`);
    } else if (word === "build" && rest.length >= 1) settings.push(settingOf(rest.join("\t")));
  }
  return { ...(path !== undefined ? { path } : {}), ...(main ? { main } : {}), deps, settings };
}

function moduleOf(fields: readonly string[], line: string): GoModule {
  const [path, version, sum] = fields;
  if (path === undefined || version === undefined || fields.length > 3) throw new GoBuildInfoError(`a module line needs a path, a version and perhaps a sum: ${line}`);
  return { path, version, ...(sum ? { sum } : {}) };
}

/** `key=value`, either side Go-quoted when it holds spaces, tabs or quotes (`-ldflags="-s -w"`). */
function settingOf(kv: string): { key: string; value: string } {
  const [key, afterKey] = kv.startsWith('"') || kv.startsWith("`") ? quoted(kv) : [kv.slice(0, Math.max(0, kv.indexOf("="))), kv.indexOf("=")];
  if (key === "" || kv[afterKey] !== "=") throw new GoBuildInfoError(`a build setting needs key=value: ${kv}`);
  const raw = kv.slice(afterKey + 1);
  return { key, value: raw.startsWith('"') || raw.startsWith("`") ? quoted(raw)[0] : raw };
}

/** A Go string literal at the start of `s`: its value and the index after it. Covers what strconv.Quote writes for settings. */
function quoted(s: string): [string, number] {
  const q = s[0];
  if (q === "`") {
    const end = s.indexOf("`", 1);
    if (end < 0) throw new GoBuildInfoError(`an unterminated raw string in a build setting: ${s}`);
    return [s.slice(1, end), end + 1];
  }
  let out = "";
  for (let i = 1; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '"') return [out, i + 1];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = s[++i];
    const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\", "'": "'", a: "\x07", b: "\b", f: "\f", v: "\v" };
    if (e !== undefined && e in simple) out += simple[e];
    else if (e === "x" || e === "u" || e === "U") {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      out += String.fromCodePoint(parseInt(s.slice(i + 1, i + 1 + n), 16));
      i += n;
    } else throw new GoBuildInfoError(`an escape speck does not read in a build setting: \\${e ?? ""}`);
  }
  throw new GoBuildInfoError(`an unterminated string in a build setting: ${s}`);
}
