// The profiles for cargo, as `--config profile.release.<key>=<value>` pairs
// with a reason each. A `--config` on the command line overrides the
// workspace's own `[profile.release]` key by key (cargo's config precedence:
// command line over Cargo.toml), so speck's profile wins for the keys it sets
// and the manifest keeps the rest; explain names each key the manifest set too.
//
// Measured on examples/rust-hello (rustc 1.95, x86_64-unknown-linux-gnu
// +crt-static, glibc: most of the binary is the C library, so the Rust part's
// savings look small): size 1,084,664 B, opt-level "z" 1,084,152 B, and with
// panic "abort" 1,082,232 B.
// tiny adds nothing beyond opt-level "z" and panic "abort" on top of size:
// the other size switches cargo knows (-Z build-std, location-detail) need a
// nightly toolchain, and Alpine ships a stable one.

import type { ProfileName } from "../../speckfile/types.js";
import type { Profile } from "../../plan/types.js";

/** One `profile.release` key and its TOML value, as `--config` takes it. */
export interface CargoSetting {
  readonly key: string;
  /** TOML: `"s"`, `1`, `true`. */
  readonly value: string;
  readonly why: string;
}

export interface RustProfile extends Profile {
  readonly settings: readonly CargoSetting[];
}

const s = (key: string, value: string, why: string): CargoSetting => ({ key, value, why });

const SMALL: readonly CargoSetting[] = [
  s("lto", '"fat"', "link-time optimisation across every crate: code no caller reaches is dropped"),
  s("codegen-units", "1", "one code generation unit per crate: slower to compile, smaller and faster code"),
  s("strip", '"symbols"', "no symbol table or debug info: nothing in a scratch image reads them"),
];

function profile(name: ProfileName, summary: string, tradeoffs: string, settings: readonly CargoSetting[]): RustProfile {
  return { name, summary, tradeoffs, settings, flags: settings.map((x) => ({ flag: `--config=profile.release.${x.key}=${x.value}`, why: x.why })) };
}

export const RUST_PROFILES: Readonly<Record<ProfileName, RustProfile>> = {
  size: profile("size", "optimised for size, fat LTO, stripped; the default", "Optimised for size (opt-level \"s\"), so some hot loops run slower than at opt-level 3; fat LTO and one codegen unit make the release build slower to compile. A panic still unwinds and prints its message.", [
    s("opt-level", '"s"', "optimise for size"),
    ...SMALL,
  ]),
  tiny: profile("tiny", "`size` at opt-level \"z\", panic=abort", "On top of `size`: opt-level \"z\" (no loop vectorisation) and panic=abort, so a panic ends the process at once: no unwinding, no Drop runs, and catch_unwind catches nothing.", [
    s("opt-level", '"z"', "optimise for size even where it costs speed"),
    ...SMALL,
    s("panic", '"abort"', "a panic aborts: no unwinding tables or landing pads in the binary"),
  ]),
  speed: profile("speed", "opt-level 3, stripped", "Optimised for speed: larger than `size` (inlining, vectorised loops).", [
    s("opt-level", "3", "optimise for speed"),
    s("strip", '"symbols"', "no symbol table or debug info: nothing in a scratch image reads them"),
  ]),
  debug: profile("debug", "no optimisation, debug info, unstripped", "No optimisation and full debug info so a debugger sees every variable; debug assertions and overflow checks on: larger and slower, for debuggers only.", [
    s("opt-level", "0", "no optimisation: variables and lines are where the source says"),
    s("debug", "true", "full debug info"),
    s("strip", '"none"', "keep symbols and debug info"),
    s("debug-assertions", "true", "debug_assert! runs"),
    s("overflow-checks", "true", "integer overflow panics"),
  ]),
};
