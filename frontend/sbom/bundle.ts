// Many small files out of a solved tree in one read. Every ReadFile on a ref
// makes BuildKit mount and unmount that snapshot; a toolchain's package
// database is a few hundred small files (a file list and a copyright file per
// package), which costs seconds that way on a busy machine. Instead one
// offline exec in the same tree packs exactly the named files with GNU tar
// (Essential in Debian, so every dpkg-based toolchain has it) into one
// archive; the frontend reads that back in one or two calls. BuildKit caches
// the exec like any other, so a rebuild pays nothing for it.

import { mkfile, mount, scratch, type State } from "../../llb/index.js";

const NAMES_DIR = "/speck-bundle-in";
const OUT_DIR = "/speck-bundle-out";
export const BUNDLE_FILE = "files.tar";

/**
 * The state holding `files.tar`: the files at `paths` (absolute, inside
 * `tree`) that exist, as regular files (links followed), named without the
 * leading `/`. Missing paths are skipped, not errors.
 */
export function bundleFiles(tree: State, paths: readonly string[], customName: string): State {
  const names = `${paths.map((p) => p.replace(/^\/+/, "")).join("\n")}\n`;
  const list = scratch().file([mkfile("/names", 0o644, names)]);
  const exec = tree.run({
    // --verbatim-files-from: a listed name is a name, never an option, whatever it starts with.
    args: ["tar", "--create", `--file=${OUT_DIR}/${BUNDLE_FILE}`, "--dereference", "--ignore-failed-read", "--directory=/", "--verbatim-files-from", `--files-from=${NAMES_DIR}/names`],
    user: "0:0",
    network: "none",
    mounts: [mount.bind(NAMES_DIR, list, { readonly: true }), mount.bind(OUT_DIR, scratch())],
    customName,
  });
  return exec.getMount(OUT_DIR);
}
