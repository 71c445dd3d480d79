// The seam, checked on the source tree: a language is reached only through
// the registry, and nothing outside frontend/languages/ names one.
//
// "Names a language", concretely, for a non-test .ts file under frontend/:
//   1. it imports a module inside a language folder (frontend/languages/<name>/);
//   2. its code (comments stripped) holds a string literal equal to a
//      `language:` value of the spec's field table (LANGUAGES: "c", "c++", "go");
//   3. its code uses a name a language folder exports (planGo, compileMode, ...),
//      or an identifier (string literals stripped) built on a language's name:
//      `Go` as a word part (GoSpec, collectGoSbom), `go` + capital (goModule),
//      `GO_`/`C_` + capital (GO_NOTE, C_PROFILES), `cgo`.
// Allowed: the seam itself (languages/registry.ts, language.ts, explain.ts)
// and the field table (speckfile/fields.ts); nothing else, no list of files
// excused. A language folder imports no other language's folder.

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { LANGUAGES } from "../speckfile/fields.js";
import { LANGUAGE_SUPPORT, languageSupport } from "./registry.js";

const FRONTEND = resolve(import.meta.dirname, "..");
const LANGUAGES_DIR = join(FRONTEND, "languages");
const SEAM = new Set(["languages/registry.ts", "languages/language.ts", "languages/explain.ts", "speckfile/fields.ts"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name === "testing" ? [] : sourceFiles(full);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [full] : [];
  });
}

const rel = (f: string): string => relative(FRONTEND, f).split(sep).join("/");

/** The language folder a path is in, or undefined. */
function languageFolder(path: string): string | undefined {
  const r = relative(LANGUAGES_DIR, path).split(sep);
  return r.length > 1 && r[0] !== ".." ? r[0] : undefined;
}

function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s+"([^"]+)"/g)].map((m) => m[1] ?? "");
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

/** Identifiers built on a language's name (rule 3's second half). */
const LANGUAGE_WORD = /^(?:(?:[A-Za-z]*[a-z])?Go(?:[A-Z_]|$)|go[A-Z]|cgo$|GO_|C_[A-Z])/;

function stripStrings(code: string): string {
  return code.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""');
}

/** The names a language folder exports (functions, constants, types, interfaces, classes). */
function exportedNames(files: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const f of files) {
    for (const m of readFileSync(f, "utf8").matchAll(/export\s+(?:async\s+)?(?:function|const|let|type|interface|class)\s+([A-Za-z_$][\w$]*)/g)) names.add(m[1] ?? "");
  }
  return names;
}

export interface Violation {
  readonly file: string;
  readonly what: string;
}

/** What in `text` (the file `path`) names a language, by the three rules above. */
export function languageNames(path: string, text: string, languageExports: ReadonlySet<string>): Violation[] {
  const out: Violation[] = [];
  const file = rel(path);
  for (const spec of importsOf(text)) {
    if (!spec.startsWith(".")) continue;
    if (languageFolder(resolve(dirname(path), spec)) !== undefined) out.push({ file, what: `imports ${spec}` });
  }
  const code = stripComments(text);
  for (const lang of LANGUAGES) {
    const quoted = lang.replace(/[+]/g, "\\+");
    if (new RegExp(`["'\`]${quoted}["'\`]`).test(code)) out.push({ file, what: `the literal "${lang}"` });
  }
  for (const word of new Set(code.match(/[A-Za-z_$][\w$]*/g) ?? [])) {
    if (languageExports.has(word)) out.push({ file, what: `the name ${word}` });
  }
  for (const word of new Set(stripStrings(code).match(/[A-Za-z_$][\w$]*/g) ?? [])) {
    if (!languageExports.has(word) && LANGUAGE_WORD.test(word)) out.push({ file, what: `the identifier ${word}` });
  }
  return out;
}

const all = sourceFiles(FRONTEND);
const folders = [...new Set(all.map(languageFolder).filter((x): x is string => x !== undefined))].sort();
const exportsByFolder = new Map(folders.map((d) => [d, exportedNames(all.filter((f) => languageFolder(f) === d))]));
// A name some shared module also exports is not a language's (e.g. an `index` helper with a common name).
const sharedExports = exportedNames(all.filter((f) => languageFolder(f) === undefined));
const languageExports = new Set([...exportsByFolder.values()].flatMap((s) => [...s]).filter((n) => !sharedExports.has(n)));

describe("the language seam", () => {
  it("has a folder per language, each with an index.ts the registry lists", () => {
    expect(folders).toEqual(["c", "go", "rust"]);
    const registry = readFileSync(join(LANGUAGES_DIR, "registry.ts"), "utf8");
    for (const d of folders) expect(registry).toContain(`from "./${d}/index.js"`);
  });

  it("builds every `language:` value of the field table, each in exactly one folder", () => {
    for (const l of LANGUAGES) expect(LANGUAGE_SUPPORT.filter((s) => s.languages.includes(l)), l).toHaveLength(1);
    expect(LANGUAGE_SUPPORT.flatMap((s) => s.languages).sort()).toEqual([...LANGUAGES].sort());
    expect(() => languageSupport("cobol" as (typeof LANGUAGES)[number])).toThrow(TypeError);
  });

  it("no language folder imports another language's folder", () => {
    const crossing = all.flatMap((f) => {
      const own = languageFolder(f);
      if (own === undefined) return [];
      return importsOf(readFileSync(f, "utf8"))
        .filter((s) => s.startsWith("."))
        .map((s) => languageFolder(resolve(dirname(f), s)))
        .filter((d) => d !== undefined && d !== own)
        .map((d) => `${rel(f)} imports from languages/${d}/`);
    });
    expect(crossing).toEqual([]);
  });

  it("nothing outside frontend/languages/ names a language, except the registry and the field table", () => {
    const found = all
      .filter((f) => languageFolder(f) === undefined && !SEAM.has(rel(f)))
      .flatMap((f) => languageNames(f, readFileSync(f, "utf8"), languageExports));
    expect(found).toEqual([]);
  });

  it("negative control: the checker finds each kind of naming in a file that has it", () => {
    const path = join(FRONTEND, "pipeline", "example.ts");
    const text = [
      'import { planGo } from "../languages/go/plan.js";',
      "// a comment saying \"go\" is not code",
      'if (spec.language === "c++") compileMode(plan);',
      'const x: GoSpec = spec.languageKeys; const goModule = x.main; const label = "Go module";',
    ].join("\n");
    const whats = languageNames(path, text, languageExports).map((v) => v.what);
    expect(whats).toEqual(expect.arrayContaining(["imports ../languages/go/plan.js", 'the literal "c++"', "the name planGo", "the name compileMode", "the name GoSpec", "the identifier goModule"]));
    // Prose in a string is not an identifier.
    expect(whats).not.toContain("the identifier Go");
    expect(whats).not.toContain('the literal "go"');
    expect(languageNames(path, 'import { supportFor } from "../languages/registry.js";\nsupportFor(spec).prepare(client, r);', languageExports)).toEqual([]);
  });
});
