// A Cargo workspace as the frontend reads it from the context: its packages
// (members and the path crates they use), each package's binaries, and the
// skeleton the fetch and dependency ops build against. Manifests are read
// with smol-toml (a TOML 1.0 parser with no dependencies); cargo itself reads
// them again in each op, so speck reads only what it plans with.
//
// Target discovery follows cargo's rules (cargo's `util/toml/targets.rs`):
// src/main.rs is a binary named after the package, src/bin/<name>.rs and
// src/bin/<name>/main.rs are binaries, src/lib.rs the library, build.rs the
// build script, unless `autobins = false` or a `[[bin]]` names them.

import { parse, TomlError } from "smol-toml";
import { UserError, type SourceFile } from "../../errors.js";

/** What the skeleton writes in place of every local package's version, so a version bump keeps the dependency op cached. */
export const SKELETON_VERSION = "0.0.0-speck-skeleton";

export interface CargoPackage {
  /** The package's directory in the context: `` for the top, `crates/core`. */
  readonly dir: string;
  /** `Cargo.toml` or `crates/core/Cargo.toml`. */
  readonly manifest: string;
  readonly name: string;
  /** Its binary targets' names, as `cargo build --bin` takes them. */
  readonly bins: readonly string[];
  /** A member of the workspace (its binaries can be built), not only a path dependency. */
  readonly member: boolean;
  /** Context paths of the targets the skeleton stubs: what exists, and what the manifest names. */
  readonly stubs: readonly Stub[];
}

export interface Stub {
  readonly path: string;
  /** A library stub is empty; every other target gets an empty `main`. */
  readonly kind: "lib" | "main";
}

export interface CargoWorkspace {
  readonly packages: readonly CargoPackage[];
  /** Every manifest the skeleton holds, sorted. */
  readonly manifests: readonly string[];
}

type Table = Record<string, unknown>;

export function cargoFile(name: string, data: Uint8Array): SourceFile {
  return { name, data, language: "toml" };
}

/** Parses one manifest; a syntax error is a UserError at cargo's line and column. */
export function parseManifest(file: SourceFile): Table {
  try {
    return parse(new TextDecoder().decode(file.data)) as Table;
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    const first = e.message.split("\n")[0] ?? e.message;
    throw new UserError([{ message: `${file.name}: ${first}`, span: { start: { line: e.line, column: e.column }, end: { line: e.line, column: e.column + 1 } } }], file, { cause: e });
  }
}

const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** `a/./b/../c` -> `a/c`; undefined when it leaves the context. */
function normalize(path: string): string | undefined {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join("/");
}

const join = (dir: string, rel: string): string | undefined => normalize(dir === "" ? rel : `${dir}/${rel}`);

/** A members pattern (`crates/*`) as a test on a directory. */
function memberPattern(pattern: string): (dir: string) => boolean {
  const norm = normalize(pattern) ?? pattern;
  const re = new RegExp(`^${norm.split("/").map((seg) => seg.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")).join("/")}$`);
  return (dir) => re.test(dir);
}

/** Directories a manifest's path dependencies point at, relative to the context. */
function pathDeps(dir: string, manifest: Table): string[] {
  const tables: unknown[] = [manifest.dependencies, manifest["dev-dependencies"], manifest["build-dependencies"]];
  const ws = manifest.workspace;
  if (isTable(ws)) tables.push(ws.dependencies);
  const target = manifest.target;
  if (isTable(target)) for (const t of Object.values(target)) if (isTable(t)) tables.push(t.dependencies, t["dev-dependencies"], t["build-dependencies"]);
  const out: string[] = [];
  for (const t of tables) {
    if (!isTable(t)) continue;
    for (const d of Object.values(t)) if (isTable(d) && typeof d.path === "string") {
      const p = join(dir, d.path);
      if (p !== undefined) out.push(p);
    }
  }
  return out;
}

/**
 * The workspace at the top of the context: the top Cargo.toml, its members
 * (the `members` patterns, minus `exclude`, plus the top package itself) and
 * every path crate they reach. `read` returns a context file's bytes.
 */
export function readWorkspace(files: readonly string[], read: (path: string) => Uint8Array): CargoWorkspace {
  const inContext = new Set(files);
  const manifests = new Map<string, Table>();
  const manifestOf = (dir: string): Table | undefined => {
    const path = dir === "" ? "Cargo.toml" : `${dir}/Cargo.toml`;
    if (!inContext.has(path)) return undefined;
    let m = manifests.get(path);
    if (m === undefined) {
      m = parseManifest(cargoFile(path, read(path)));
      manifests.set(path, m);
    }
    return m;
  };
  const top = manifestOf("");
  if (top === undefined) throw new TypeError("readWorkspace(): no Cargo.toml at the top of the context");
  const ws = isTable(top.workspace) ? top.workspace : undefined;
  const members = new Set<string>();
  if (isTable(top.package)) members.add("");
  if (ws) {
    const include = strings(ws.members).map(memberPattern);
    const exclude = strings(ws.exclude).map(memberPattern);
    for (const f of files) {
      if (!f.endsWith("/Cargo.toml") || f.startsWith("target/") || f.startsWith("vendor/")) continue;
      const dir = f.slice(0, -"/Cargo.toml".length);
      if (include.some((m) => m(dir)) && !exclude.some((m) => m(dir))) members.add(dir);
    }
  }
  // Path crates the members use, transitively: the skeleton needs their manifests and stubs too.
  const local = new Set(members);
  const queue = [...members];
  for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
    const m = manifestOf(dir);
    if (m === undefined) continue;
    for (const p of pathDeps(dir, m)) if (!local.has(p) && manifestOf(p) !== undefined) {
      local.add(p);
      queue.push(p);
    }
  }
  const packages: CargoPackage[] = [];
  for (const dir of [...local].sort()) {
    const m = manifestOf(dir);
    if (m === undefined || !isTable(m.package)) continue;
    packages.push(packageOf(dir, m, inContext, members.has(dir)));
  }
  return { packages, manifests: [...manifests.keys()].sort() };
}

function packageOf(dir: string, m: Table, files: ReadonlySet<string>, member: boolean): CargoPackage {
  const pkg = m.package as Table;
  const name = typeof pkg.name === "string" ? pkg.name : "";
  const at = (rel: string): string => (dir === "" ? rel : `${dir}/${rel}`);
  const has = (rel: string): boolean => files.has(at(rel));
  const stubs = new Map<string, Stub["kind"]>();
  const bins = new Set<string>();
  const binTables = Array.isArray(m.bin) ? m.bin.filter(isTable) : [];
  const explicitPaths = new Set<string>();
  for (const b of binTables) {
    const bname = typeof b.name === "string" ? b.name : undefined;
    let path = typeof b.path === "string" ? normalize(b.path) : undefined;
    if (path === undefined && bname !== undefined) {
      path = has(`src/bin/${bname}.rs`) ? `src/bin/${bname}.rs` : has(`src/bin/${bname}/main.rs`) ? `src/bin/${bname}/main.rs` : bname === name && has("src/main.rs") ? "src/main.rs" : `src/bin/${bname}.rs`;
    }
    if (path !== undefined) {
      explicitPaths.add(path);
      stubs.set(at(path), "main");
    }
    const binName = bname ?? (path ? path.slice(path.lastIndexOf("/") + 1).replace(/\.rs$/, "") : undefined);
    if (binName) bins.add(binName);
  }
  if (pkg.autobins !== false) {
    if (has("src/main.rs") && !explicitPaths.has("src/main.rs")) {
      bins.add(name);
      stubs.set(at("src/main.rs"), "main");
    }
    const prefix = at("src/bin/");
    for (const f of files) {
      if (!f.startsWith(prefix)) continue;
      const rest = f.slice(prefix.length);
      const bin = /^([^/]+)\.rs$/.exec(rest)?.[1] ?? /^([^/]+)\/main\.rs$/.exec(rest)?.[1];
      if (bin === undefined || explicitPaths.has(`src/bin/${rest}`)) continue;
      bins.add(bin);
      stubs.set(f, "main");
    }
  }
  const lib = isTable(m.lib) ? m.lib : undefined;
  const libPath = lib && typeof lib.path === "string" ? normalize(lib.path) : has("src/lib.rs") ? "src/lib.rs" : undefined;
  if (libPath !== undefined) stubs.set(at(libPath), "lib");
  const build = typeof pkg.build === "string" ? normalize(pkg.build) : pkg.build !== false && has("build.rs") ? "build.rs" : undefined;
  if (build !== undefined) stubs.set(at(build), "main");
  // Examples, tests and benches the manifest names must exist for cargo to load it, though `cargo build` compiles none.
  for (const kind of ["example", "test", "bench"] as const) {
    const dirName = `${kind}s`;
    for (const t of Array.isArray(m[kind]) ? (m[kind] as unknown[]).filter(isTable) : []) {
      const tname = typeof t.name === "string" ? t.name : undefined;
      const path = typeof t.path === "string" ? normalize(t.path) : tname && has(`${dirName}/${tname}/main.rs`) ? `${dirName}/${tname}/main.rs` : tname ? `${dirName}/${tname}.rs` : undefined;
      if (path !== undefined) stubs.set(at(path), "main");
    }
  }
  return {
    dir,
    manifest: at("Cargo.toml"),
    name,
    bins: member ? [...bins].sort() : [],
    member,
    stubs: [...stubs].map(([path, kind]) => ({ path, kind })).sort((a, b) => a.path.localeCompare(b.path)),
  };
}

/**
 * A manifest with the package's literal version replaced by SKELETON_VERSION
 * (in `[package]`, or `[workspace.package]` for an inherited one), so editing
 * a local version does not change the skeleton. With no version line at all,
 * one is added: the skeleton's local crates never share a version with the
 * real ones, which is what makes cargo rebuild them (see stages.ts).
 */
export function maskManifest(text: string): string {
  const lines = text.split("\n");
  let table = "";
  let packageHeader = -1;
  let masked = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const header = /^\s*\[([^\[\]]+)\]\s*(#.*)?$/.exec(line);
    if (header) {
      table = (header[1] ?? "").trim();
      if (table === "package") packageHeader = i;
      continue;
    }
    if ((table === "package" || table === "workspace.package") && /^\s*version\s*=\s*["']/.test(line)) {
      lines[i] = `version = "${SKELETON_VERSION}"`;
      if (table === "package") masked = true;
    } else if (table === "package" && /^\s*version\s*\.\s*workspace\s*=/.test(line)) masked = true;
  }
  // A path dependency's version requirement (`{ path = "core", version = "0.4" }`) must accept the masked version.
  const exact = `version = "=${SKELETON_VERSION}"`;
  let depTable = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const header = /^\s*\[([^\[\]]+)\]\s*(#.*)?$/.exec(line);
    if (header) {
      const name = (header[1] ?? "").trim();
      // `[dependencies.core]`, `[target.'cfg(unix)'.dev-dependencies.core]`: one dependency as a table.
      depTable = /(^|\.)(dev-|build-)?dependencies\.[^.]+$/.test(name) && tableHasPath(lines, i + 1);
      continue;
    }
    if (depTable && /^\s*version\s*=\s*["']/.test(line)) lines[i] = exact;
    else if (/=\s*\{.*\bpath\s*=/.test(line)) lines[i] = line.replace(/\bversion\s*=\s*"[^"]*"/, exact);
  }
  if (packageHeader >= 0 && !masked) lines.splice(packageHeader + 1, 0, `version = "${SKELETON_VERSION}"`);
  return lines.join("\n");
}

/** Whether the table whose keys start at `from` has a `path` key. */
function tableHasPath(lines: readonly string[], from: number): boolean {
  for (let i = from; i < lines.length && !/^\s*\[/.test(lines[i] ?? ""); i++) if (/^\s*path\s*=/.test(lines[i] ?? "")) return true;
  return false;
}

/**
 * Cargo.lock with the local packages' versions replaced by SKELETON_VERSION:
 * their entries have no `source` line, and dependency lists may name them
 * with a version (`"core 0.1.0"`) when two packages share a name.
 */
export function maskLock(text: string, local: ReadonlySet<string>): string {
  const blocks = text.split(/\n(?=\[\[package\]\])/);
  const versions = new Map<string, string>();
  const out = blocks.map((block) => {
    if (!block.startsWith("[[package]]")) return block;
    const name = /^name\s*=\s*"([^"]*)"/m.exec(block)?.[1];
    if (name === undefined || !local.has(name) || /^source\s*=/m.test(block)) return block;
    const version = /^version\s*=\s*"([^"]*)"/m.exec(block)?.[1];
    if (version !== undefined) versions.set(name, version);
    return block.replace(/^version\s*=\s*"[^"]*"/m, `version = "${SKELETON_VERSION}"`);
  });
  let joined = out.join("\n");
  for (const [name, version] of versions) joined = joined.split(`"${name} ${version}"`).join(`"${name} ${SKELETON_VERSION}"`);
  return joined;
}
