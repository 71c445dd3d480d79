// One table of every key a build file may hold: its shape (checked while
// reading the YAML), its sentence of documentation, and hints for editors.
// The JSON Schema (schema.ts) and the unknown-key check are both derived from
// it, so adding a field here is the only way to make it legal anywhere.

/** The shapes a value can take. Scalars are read as their source text (so `mode: 0644` keeps its leading 0). */
export type Shape =
  | { readonly kind: "scalar"; readonly json: readonly ("string" | "integer" | "boolean")[]; readonly enum?: readonly string[]; readonly pattern?: string; readonly examples?: readonly string[] }
  | { readonly kind: "list"; readonly items: Shape; readonly minItems?: number }
  | { readonly kind: "map" }
  | { readonly kind: "list-or-map" }
  | { readonly kind: "object"; readonly fields: Fields; readonly required?: readonly string[] };

export interface Field {
  readonly doc: string;
  readonly shape: Shape;
}

export type Fields = Readonly<Record<string, Field>>;

const str = (extra: Partial<{ enum: readonly string[]; pattern: string; examples: readonly string[] }> = {}): Shape => ({
  kind: "scalar",
  json: ["string"],
  ...extra,
});
const strOrInt = (examples: readonly string[]): Shape => ({ kind: "scalar", json: ["string", "integer"], examples });
const strings: Shape = { kind: "list", items: str() };

// The names the spec accepts; speckfile/types.ts derives Language, ProfileName and
// CompilerName from these, so a name is added here and nowhere else. The flag sets
// behind a profile name are each language's (languages/<name>/profiles.ts).
export const PROFILE_NAMES = ["size", "tiny", "speed", "debug"] as const;
export const LANGUAGES = ["c", "c++", "go", "rust"] as const;
export const COMPILERS = ["clang", "gcc"] as const;

const fileFields: Fields = {
  src: { doc: "Path of the file inside the build context.", shape: str() },
  dest: { doc: "Absolute path inside the image; defaults to `/` followed by `src`.", shape: str() },
  mode: { doc: "Permission bits in octal, as chmod takes them (`0644`, `\"0755\"`); defaults to 0644.", shape: strOrInt(["0644", "0755"]) },
};

const imageFields: Fields = {
  entrypoint: { doc: "The command the container runs, as a list (exec form: a scratch image has no shell); defaults to `[\"/<name>\"]`.", shape: strings },
  cmd: { doc: "Default arguments appended to the entrypoint, as a list.", shape: strings },
  env: { doc: "Environment variables, as a map or a list of `KEY=VALUE`.", shape: { kind: "list-or-map" } },
  user: { doc: "Numeric `uid` or `uid:gid` the binary runs as; defaults to `65534:65534` (nobody). Names cannot work: a scratch image has no /etc/passwd.", shape: strOrInt(["65534:65534", "1000"]) },
  workdir: { doc: "Absolute working directory of the container.", shape: str({ pattern: "^/" }) },
  labels: { doc: "Image labels, a map of strings.", shape: { kind: "map" } },
  expose: { doc: "Ports the binary listens on: `8080`, `8080/tcp`, `53/udp`.", shape: { kind: "list", items: strOrInt(["8080", "53/udp"]) } },
  stopsignal: { doc: "The signal `docker stop` sends: `SIGTERM`, `TERM` or `15`.", shape: strOrInt(["SIGTERM", "SIGINT"]) },
  files: {
    doc: "Extra files copied from the build context into the image.",
    shape: { kind: "list", items: { kind: "object", fields: fileFields, required: ["src"] } },
  },
};

/** Every key of a build file. */
export const SPEC_FIELDS: Fields = {
  name: { doc: "Name of the binary and of its file in the image; letters, digits, `.`, `_`, `-`, at most 64; defaults to the first source's stem.", shape: str({ pattern: "^[A-Za-z0-9._-]{1,64}$" }) },
  language: { doc: "`c`, `c++`, `go` or `rust`, the language the program is linked as; defaults from the sources: any C++ source makes it `c++`, a directory (`.`) with a go.mod makes it `go`, one with a Cargo.toml `rust`. Each C/C++ source is still compiled as its extension says (`.c` as C).", shape: str({ enum: LANGUAGES }) },
  cgo: { doc: "Go: `true` builds with cgo (CGO_ENABLED=1), linking the C parts and musl statically with the toolchain's C compiler; off by default.", shape: { kind: "scalar", json: ["boolean"], enum: ["true", "false"] } },
  main: { doc: "Go: the main package to build, a directory of the module (`./cmd/server`); defaults to `.`.", shape: str({ examples: [".", "./cmd/server"] }) },
  bin: { doc: "Rust: the binary target to build (`cargo build --bin`); needed when the workspace has several.", shape: str({ examples: ["server"] }) },
  features: { doc: "Rust: Cargo features to enable (`--features`), for the package that holds `bin`.", shape: strings },
  "default-features": { doc: "Rust: `false` builds without the package's default features (`--no-default-features`); on by default.", shape: { kind: "scalar", json: ["boolean"], enum: ["true", "false"] } },
  build: { doc: "C/C++: `cmake` or `meson` builds the project's own CMakeLists.txt or meson.build (no `sources`): configured once per target with a toolchain file speck writes, then compiled one cached step per translation unit.", shape: str({ enum: ["cmake", "meson"] }) },
  target: { doc: "C/C++ with `build`: the executable target to build, as CMake or Meson names it (`add_executable(hello ...)` is `hello`).", shape: str({ examples: ["hello"] }) },
  options: { doc: "C/C++ with `build`: the project's options, passed to the configure step as `-D<KEY>=<VALUE>`.", shape: { kind: "map" } },
  profile: { doc: "The flag set: `size` (default, small and hardened), `tiny` (smallest), `speed` (-O2) or `debug` (-O0 -g, unstripped).", shape: str({ enum: PROFILE_NAMES }) },
  sources: { doc: "Source files or glob patterns (`src/*.c`), relative to the build context; for Go, the module's directories (`.`).", shape: { kind: "list", items: str({ examples: ["main.c", "src/*.c", "."] }), minItems: 1 } },
  cflags: { doc: "Extra compiler flags, one argument per item, after the profile's flags. In a `[...]` list a comma separates items: quote a flag that holds one (`\"-fsanitize=address,undefined\"`).", shape: strings },
  ldflags: { doc: "Extra linker flags, one argument per item, after the profile's flags. In a `[...]` list a comma separates items: quote a flag that holds one (`\"-Wl,-z,now\"`), or use a block list.", shape: strings },
  defines: { doc: "Preprocessor definitions: a list of `NAME` or `NAME=VALUE`, or a map.", shape: { kind: "list-or-map" } },
  include: { doc: "Include directories inside the build context (`-I`).", shape: strings },
  libs: { doc: "Libraries to link, without `-l` (`z` links libz).", shape: strings },
  packages: { doc: "Extra Alpine packages for the compile stage, e.g. `zlib-static`.", shape: { kind: "list", items: str({ pattern: "^[A-Za-z0-9][A-Za-z0-9+._-]*" }) } },
  toolchain: {
    doc: "The compile stage.",
    shape: {
      kind: "object",
      fields: {
        image: { doc: "Base image of the compile stage (Alpine); pinned to a digest at build time. Defaults to a current Alpine release.", shape: str({ examples: ["alpine:3.22"] }) },
        compiler: {
          doc: "`clang` (default): every platform is cross-compiled on the build machine, and a platform's binary is the same whichever machine built it. `gcc`: the target's own gcc, under emulation for another architecture.",
          shape: str({ enum: COMPILERS }),
        },
      },
    },
  },
  budget: { doc: "Largest binary size allowed; the build fails above it. Bytes or a unit: `16KiB`, `1.5MB` (KiB/MiB are 1024-based, kB/MB 1000-based).", shape: strOrInt(["16KiB", "13400"]) },
  image: { doc: "How the image runs the binary.", shape: { kind: "object", fields: imageFields } },
};

/** Every dotted key path in the table (`image.files.mode`), for suggestions across levels and for tests. */
export function allFieldPaths(fields: Fields = SPEC_FIELDS, prefix = ""): string[] {
  const out: string[] = [];
  for (const [key, f] of Object.entries(fields)) {
    const path = prefix + key;
    out.push(path);
    const inner = f.shape.kind === "object" ? f.shape : f.shape.kind === "list" && f.shape.items.kind === "object" ? f.shape.items : undefined;
    if (inner) out.push(...allFieldPaths(inner.fields, `${path}.`));
  }
  return out;
}
