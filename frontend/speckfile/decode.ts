// From the shape-checked tree (read.ts) to a typed Spec: apply defaults, parse
// values with a syntax of their own, and check what spans several fields
// (duplicates, the language against the sources, the name from a pattern).
// Problems go to the Reader, so all of them are reported together.

import type { SourceFile } from "../errors.js";
import { COMPILERS, LANGUAGES, PROFILE_NAMES } from "./fields.js";
import { splitFlagProblems } from "./flags.js";
import type { Raw, RawList, RawObject, RawScalar, Reader } from "./read.js";
import { extensionOf, isGlob } from "./sources.js";
import { closest } from "./suggest.js";
import type { KeyReader, SpecPart } from "./spec-part.js";
import { DEFAULT_TOOLCHAIN_IMAGE, DEFAULT_USER, type Define, type ImageFile, type ImageSpec, type Language, type Spec } from "./types.js";
import * as v from "./values.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** `.` or `./`: the whole build context. */
function isContextRoot(text: string): boolean {
  return /^\.\/*$/.test(text);
}

export class Decoder {
  /** Where the first usable source was written (the binary is named after it). */
  private firstSourcePath = "sources";

  /**
   * `parts`: every language's own keys (from languages/registry.ts).
   * `modulePath`: what the context names the program after, once the frontend has read it (a Go module's path).
   */
  constructor(
    private readonly r: Reader,
    private readonly parts: readonly SpecPart[],
    private readonly modulePath?: string,
    /** The language the context decided for a spec that leaves `language:` out. */
    private readonly contextLanguage?: Language,
  ) {}

  /** What a language's part decodes its keys with. */
  private readonly keys: KeyReader = {
    at: (path, message, hint) => this.r.at(path, message, hint),
    scalar: (raw, parse) => this.scalar(raw, parse),
    enumOf: (raw, options, what, fallback) => this.enumOf(raw, options, what, fallback),
  };

  /** The Spec, or undefined if any problem was found (they are in the Reader). */
  spec(root: RawObject, file: SourceFile): Spec | undefined {
    const f = root.fields;
    const sources = this.sources(f.get("sources"), f);
    const language = this.language(f.get("language"), sources);
    const profile = this.enumOf(f.get("profile"), PROFILE_NAMES, "profile", "size");
    const part = this.partOf(language);
    for (const other of this.parts) {
      if (other === part) continue;
      for (const own of other.ownKeys) {
        const raw = f.get(own.key);
        if (raw === undefined) continue;
        const { message, hint } = own.elsewhere(part.title(language));
        this.r.at(raw.path, message, hint);
      }
    }
    const languageKeys = part.decode(this.keys, f);
    const nameRaw = f.get("name");
    const partName = nameRaw === undefined && part.defaultName !== undefined ? part.defaultName(this.keys, languageKeys, this.modulePath) : null;
    const name = partName === null ? this.name(nameRaw, sources) : partName;
    const cflags = this.flags(f.get("cflags"));
    const ldflags = this.flags(f.get("ldflags"));
    const defines = this.defines(f.get("defines"));
    const include = this.unique(this.list(f.get("include")), (s) => v.contextPath(s.text, "include directory"), "include directory");
    const libs = this.unique(this.list(f.get("libs")), (s) => v.checkLib(s.text), "library");
    const packages = [...new Set(this.list(f.get("packages")).flatMap((s) => this.value(s, (t) => v.checkPackage(t)) ?? []))].sort();
    const toolchainRaw = this.object(f.get("toolchain"));
    const toolchain = {
      image: this.scalar(toolchainRaw?.fields.get("image"), v.checkImageRef) ?? DEFAULT_TOOLCHAIN_IMAGE,
      compiler: this.enumOf(toolchainRaw?.fields.get("compiler"), COMPILERS, "toolchain.compiler", "clang"),
    };
    const budget = this.scalar(f.get("budget"), v.parseBudget);
    const image = this.image(this.object(f.get("image")), name ?? "");
    if (this.r.problems.length > 0 || name === undefined) return undefined;
    const spec: Spec = {
      name, language, ...(languageKeys !== undefined ? { languageKeys } : {}), profile, sources, cflags, ldflags, defines, include, libs, packages, toolchain,
      ...(budget !== undefined ? { budget } : {}),
      image, spans: this.r.spans, file,
    };
    return spec;
  }

  private sources(raw: Raw | undefined, fields: ReadonlyMap<string, Raw>): string[] {
    if (raw === undefined) {
      if (this.parts.some((p) => p.withoutSources?.(fields) === true)) return [];
      // A misspelt `sources` was already reported with its suggestion; saying it is missing too is noise.
      if (this.r.problems.some((p) => p.hint === "did you mean `sources`?")) return [];
      const key = this.r.keys.get("sources");
      if (key) {
        // Written with a wrong type (already reported) or with no value at all.
        if (!this.r.spans.has("sources")) this.r.problem("`sources` is empty", key, "list the C/C++ files to compile, e.g. `sources: [main.c]`");
        return [];
      }
      this.r.problem("`sources` is missing", { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }, "list the C/C++ files to compile, e.g. `sources: [main.c]`");
      return [];
    }
    const items = this.list(raw);
    this.firstSourcePath = items[0]?.path ?? "sources";
    if (raw.kind === "list" && raw.items.length === 0) this.r.at(raw.path, "`sources` is empty", "list the C/C++ files to compile, e.g. `sources: [main.c]`");
    return this.unique(items, (s) => {
      if (isContextRoot(s.text)) return ".";
      const path = v.contextPath(s.text, "source");
      if (this.parts.some((p) => p.takesSource(path))) return path;
      const hints = this.parts.flatMap((p) => (p.sourceHint !== undefined ? [p.sourceHint] : []));
      throw new v.ValueError(`\`${path}\` is not ${this.parts.map((p) => p.sourceNoun).join(" or ")}`, hints.length > 0 ? hints.join("; ") : undefined);
    }, "source");
  }

  /**
   * `language:`, or what the sources imply. A part whose sources are not
   * mixed with another language's (a Go module directory) reports the mix;
   * with none of its sources, the part that takes what nothing else claims
   * decides (any C++ source makes it c++).
   */
  private language(raw: Raw | undefined, sources: readonly string[]): Language {
    const given = this.enumOf(raw, LANGUAGES, "language", undefined) ?? (raw === undefined ? this.contextLanguage : undefined);
    if (given !== undefined) {
      const problem = this.partOf(given).checkGiven?.(given, sources);
      if (problem !== undefined && raw !== undefined) this.r.at(raw.path, problem.message, problem.hint);
    }
    for (const part of this.parts) {
      if (part.mixed === undefined) continue;
      const own = sources.find((s) => part.impliedBy(s) !== undefined);
      if (own === undefined || (given !== undefined && part.languages.includes(given))) continue;
      // A source the given language builds too (a directory is a Go module or a Cargo workspace) is not a mix.
      if (given !== undefined && this.partOf(given).takesSource(own)) continue;
      // `language:` names another language, or else another language's source is listed.
      const mixedWith = given !== undefined ? { language: given } : this.otherSource(part, sources);
      // Its sources alone: its language (a part that names a language per source says which).
      if (mixedWith === undefined) return part.impliedBy(own) ?? this.fallback(sources);
      const at = this.r.spans.has(`sources[${sources.indexOf(own)}]`) ? `sources[${sources.indexOf(own)}]` : "sources";
      const { message, hint } = part.mixed(own, mixedWith);
      this.r.at(at, message, hint);
    }
    return given ?? this.fallback(sources);
  }

  /** The first source a language other than `part`'s implies, and how its part names it. */
  private otherSource(part: SpecPart, sources: readonly string[]): { source: string; noun: string } | undefined {
    for (const source of sources) {
      const by = this.parts.find((p) => p !== part && p.impliedBy(source) !== undefined && p.impliedBy(source) !== null);
      if (by !== undefined) return { source, noun: by.sourceNoun };
    }
    return undefined;
  }

  /** The language of a list no exclusive part claims, from the part that takes it. */
  private fallback(sources: readonly string[]): Language {
    for (const p of this.parts) if (p.infer !== undefined) return p.infer(sources);
    throw new TypeError("no spec part infers a language from plain sources");
  }

  private partOf(language: Language): SpecPart {
    const part = this.parts.find((p) => p.languages.includes(language));
    if (part === undefined) throw new TypeError(`no spec part for the language \`${language}\``);
    return part;
  }

  private name(raw: Raw | undefined, sources: readonly string[]): string | undefined {
    if (raw !== undefined) return this.scalar(raw, v.checkName);
    const first = sources[0];
    // No name from a source that cannot be mixed (a Go module directory) in another language's build: language() reported it.
    if (first === undefined || first === "." || this.parts.some((p) => p.mixed !== undefined && p.impliedBy(first) !== undefined)) return "";
    const base = first.slice(first.lastIndexOf("/") + 1);
    const stem = base.slice(0, base.length - extensionOf(base).length);
    if (isGlob(stem)) {
      this.r.at(this.firstSourcePath, `cannot name the binary after the pattern \`${first}\``, "add `name: <binary name>`");
      return undefined;
    }
    try {
      return v.checkName(stem);
    } catch (e) {
      if (!(e instanceof v.ValueError)) throw e;
      this.r.at(this.firstSourcePath, `the binary would be named after \`${first}\`, but ${e.message}`, "add `name: <binary name>`");
      return undefined;
    }
  }

  private flags(raw: Raw | undefined): string[] {
    for (const p of splitFlagProblems(this.list(raw))) this.r.at(p.item.path, p.message, p.hint);
    return this.list(raw).flatMap((s) =>
      this.value(s, (t) => {
        if (t === "") throw new v.ValueError("a flag is empty", "remove it");
        if (t.includes("\0")) throw new v.ValueError(`flag \`${v.printable(t)}\` contains a NUL byte`);
        if (t === "-o" || /^-o./.test(t)) throw new v.ValueError(`\`${t}\`: speck chooses the output file`, "name the binary with `name`");
        return t;
      }) ?? [],
    );
  }

  private defines(raw: Raw | undefined): Define[] {
    const out: Define[] = [];
    const seen = new Set<string>();
    const add = (path: string, name: string, value: string | undefined): void => {
      try {
        v.checkMacro(name);
        if (value?.includes("\0")) throw new v.ValueError(`the value of \`${name}\` contains a NUL byte`);
        if (seen.has(name)) throw new v.ValueError(`\`${name}\` is defined twice`);
      } catch (e) {
        if (!(e instanceof v.ValueError)) throw e;
        this.r.at(path, e.message, e.hint);
        return;
      }
      seen.add(name);
      out.push(value === undefined ? { name } : { name, value });
    };
    if (raw?.kind === "map") for (const [k, s] of raw.entries) add(`${raw.path}.${k}`, k, s?.text);
    else
      for (const s of this.list(raw)) {
        const eq = s.text.indexOf("=");
        add(s.path, eq < 0 ? s.text : s.text.slice(0, eq), eq < 0 ? undefined : s.text.slice(eq + 1));
      }
    return out;
  }

  private image(raw: RawObject | undefined, name: string): ImageSpec {
    const f = raw?.fields ?? new Map<string, Raw>();
    const entry = f.get("entrypoint");
    const entrypoint = this.list(entry).map((s) => s.text);
    if (entry?.kind === "list" && entry.items.length === 0) this.r.at(entry.path, "`image.entrypoint` is empty", "leave it out to run the binary, or list the command and its arguments");
    const workdir = this.scalar(f.get("workdir"), (t) => v.imagePath(t, "workdir"));
    const stopsignal = this.scalar(f.get("stopsignal"), v.parseSignal);
    const out: Mutable<ImageSpec> = {
      entrypoint: entrypoint.length > 0 ? entrypoint : [`/${name}`],
      cmd: this.list(f.get("cmd")).map((s) => s.text),
      env: this.env(f.get("env")),
      user: this.scalar(f.get("user"), v.parseUser) ?? DEFAULT_USER,
      workdir: workdir ?? "/",
      labels: this.labels(f.get("labels")),
      expose: [...new Set(this.list(f.get("expose")).flatMap((s) => this.value(s, v.parsePort) ?? []))].sort(),
      files: this.files(f.get("files"), name),
    };
    if (stopsignal !== undefined) out.stopsignal = stopsignal;
    return out;
  }

  private env(raw: Raw | undefined): string[] {
    const out = new Map<string, string>();
    const add = (path: string, key: string, value: string): void => {
      if (key === "" || /[=\0]/.test(key) || /\s/.test(key)) this.r.at(path, `invalid environment variable name \`${v.printable(key)}\``, "write `KEY=VALUE`, or `KEY: VALUE` in a map");
      else if (out.has(key)) this.r.at(path, `environment variable \`${key}\` is set twice`);
      else out.set(key, value);
    };
    if (raw?.kind === "map") for (const [k, s] of raw.entries) add(`${raw.path}.${k}`, k, s?.text ?? "");
    else
      for (const s of this.list(raw)) {
        const eq = s.text.indexOf("=");
        if (eq < 0) this.r.at(s.path, `\`${v.printable(s.text)}\` has no \`=\``, "write `KEY=VALUE`");
        else add(s.path, s.text.slice(0, eq), s.text.slice(eq + 1));
      }
    return [...out].map(([k, val]) => `${k}=${val}`);
  }

  private labels(raw: Raw | undefined): Record<string, string> {
    if (raw?.kind !== "map") return {};
    const entries = raw.entries.map(([k, s]) => [k, s?.text ?? ""] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries);
  }

  private files(raw: Raw | undefined, name: string): ImageFile[] {
    const out: ImageFile[] = [];
    const dests = new Set([`/${name}`]);
    for (const item of raw?.kind === "list" ? raw.items : []) {
      if (item.kind !== "object") continue;
      const f = item.fields;
      if (!f.has("src")) {
        this.r.at(item.path, `\`${item.path}\` needs \`src\``, "the path of the file inside the build context");
        continue;
      }
      const src = this.scalar(f.get("src"), (t) => {
        if (isGlob(t)) throw new v.ValueError(`\`${t}\` is a pattern; \`src\` names one file`);
        return v.contextPath(t, "src");
      });
      const dest = this.scalar(f.get("dest"), (t) => {
        const p = v.imagePath(t, "dest");
        if (p === "/") throw new v.ValueError("`dest` is the image root", "name the file, e.g. `/etc/app.conf`");
        return p;
      }) ?? (src === undefined ? undefined : `/${src}`);
      const mode = this.scalar(f.get("mode"), v.parseMode) ?? 0o644;
      if (src === undefined || dest === undefined) continue;
      // A file inside another file's path would turn that file into a directory (or fail in the daemon).
      const clash = [...dests].find((d) => dest.startsWith(`${d}/`) || d.startsWith(`${dest}/`));
      if (clash !== undefined) {
        const inner = dest.startsWith(`${clash}/`);
        this.r.at(
          f.has("dest") ? `${item.path}.dest` : `${item.path}.src`,
          inner ? `\`${dest}\` is inside \`${clash}\`, which is ${clash === `/${name}` ? "the binary" : "another file"}` : `\`${dest}\` would be a directory holding \`${clash}\``,
          "a `dest` cannot be a file and a directory at once: choose another `dest`",
        );
        continue;
      }
      if (dests.has(dest)) {
        this.r.at(f.has("dest") ? `${item.path}.dest` : `${item.path}.src`, dest === `/${name}` ? `\`${dest}\` is where the binary goes` : `\`${dest}\` is written twice`, "choose another `dest`");
        continue;
      }
      dests.add(dest);
      out.push({ src, dest, mode });
    }
    return out;
  }

  // --- small readers; the shapes were checked by read.ts, so a mismatch here means "absent" ---

  private list(raw: Raw | undefined): RawScalar[] {
    return raw?.kind === "list" ? (raw as RawList).items.filter((i): i is RawScalar => i.kind === "scalar") : [];
  }

  private object(raw: Raw | undefined): RawObject | undefined {
    return raw?.kind === "object" ? raw : undefined;
  }

  private scalar<T>(raw: Raw | undefined, parse: (text: string) => T): T | undefined {
    return raw?.kind === "scalar" ? this.value(raw, parse) : undefined;
  }

  private value<T>(s: RawScalar, parse: (text: string) => T): T | undefined {
    try {
      return parse(s.text);
    } catch (e) {
      if (!(e instanceof v.ValueError)) throw e;
      this.r.at(s.path, e.message, e.hint);
      return undefined;
    }
  }

  private unique(items: readonly RawScalar[], parse: (s: RawScalar) => string, what: string): string[] {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const s of items) {
      const p = this.value(s, () => parse(s));
      if (p === undefined) continue;
      if (seen.has(p)) this.r.at(s.path, `${what} \`${p}\` is listed twice`, "remove the repeat");
      else {
        seen.add(p);
        out.push(p);
      }
    }
    return out;
  }

  private enumOf<T extends string, D extends T | undefined>(raw: Raw | undefined, options: readonly T[], what: string, fallback: D): T | D {
    if (raw?.kind !== "scalar") return fallback;
    const hit = options.find((o) => o === raw.text);
    if (hit) return hit;
    const alias = this.parts.map((p) => p.aliases?.[raw.text.toLowerCase()]).find((a) => a !== undefined);
    const lower = options.find((o) => o === raw.text.toLowerCase() || o === alias);
    const near = lower ?? closest(raw.text, options);
    this.r.at(raw.path, `unknown ${what} \`${v.printable(raw.text)}\``, near ? `did you mean \`${near}\`?` : `expected one of: ${options.join(", ")}`);
    return fallback;
  }
}
