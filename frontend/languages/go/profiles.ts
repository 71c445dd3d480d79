// The profiles for `go build`, as data with a reason per flag, like the C
// ones (languages/c/profiles.ts). Go has no -Os: its compiler optimises one way, so the
// profiles differ in what the linker keeps and in inlining.
//
// Measured with Go 1.24.4 (Debian trixie's), linux/amd64, CGO_ENABLED=0,
// `npm run bench -- --only size`; each tiny binary was run (go-hello printed,
// go-httpd answered and stopped on SIGTERM):
//   go-hello  size 1,446,036 B  tiny 1,405,076 B  debug 2,160,036 B
//   go-httpd  size 5,509,268 B  tiny 5,152,916 B  debug 9,148,967 B
//   the usual Dockerfile's `go build -ldflags='-s -w'`: 1,446,072 B and 5,521,592 B
// Tried for tiny and dropped: -gcflags=all=-l=4 (more inlining: 1,736,852 B and
// 6,066,324 B, larger than size).
// Rejected: -gcflags=all=-B (no bounds checks: a wrong index corrupts memory
// instead of panicking) and upx-style packing (the kernel maps the file as
// is; a packed binary must unpack itself into anonymous memory on each start).

import type { ProfileName } from "../../speckfile/types.js";
import type { Flag, Profile } from "../../plan/types.js";

/** Strips the symbol table (-s) and DWARF (-w) and empties the Go build ID, which nothing in a scratch image reads. */
const LINK_SMALL: Flag = {
  flag: "-ldflags=-s -w -buildid=",
  why: "drop the symbol table (-s) and DWARF (-w); an empty Go build ID: nothing in a scratch image reads it",
};

export const GO_PROFILES: Readonly<Record<ProfileName, Profile>> = {
  size: {
    name: "size",
    summary: "stripped, no DWARF; the default",
    tradeoffs: "No symbol table or DWARF: debuggers and profilers see no names (panics still print function names and lines: they come from Go's own tables).",
    flags: [LINK_SMALL],
  },
  tiny: {
    name: "tiny",
    summary: "`size` without inlining",
    tradeoffs: "On top of `size`: no inlining anywhere (-l), which saves the copies of small functions at each call site but costs a call each time; slower in hot loops.",
    flags: [LINK_SMALL, { flag: "-gcflags=all=-l", why: "no inlining in any package: each function's code exists once" }],
  },
  speed: {
    name: "speed",
    summary: "the compiler's defaults, stripped",
    tradeoffs: "The same code as `size` (Go's compiler has no size/speed switch); a `default.pgo` profile in the main package is used, as `go build` does by default.",
    flags: [LINK_SMALL, { flag: "-pgo=auto", why: "optimise with the main package's default.pgo profile when there is one" }],
  },
  debug: {
    name: "debug",
    summary: "no optimisation or inlining, unstripped",
    tradeoffs: "Full symbols and DWARF and unoptimised code (-N -l) so a debugger sees every variable: larger and slower, for debuggers only.",
    flags: [
      { flag: "-gcflags=all=-N -l", why: "no optimisation (-N) and no inlining (-l): variables and lines are where the source says" },
      { flag: "-ldflags=-buildid=", why: "an empty Go build ID, as in the other profiles; symbols and DWARF stay" },
    ],
  },
};
