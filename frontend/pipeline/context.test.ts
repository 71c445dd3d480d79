// escapes(): which symlinks in the build context point outside it. The
// frontend only sees the link text (the daemon never follows it for us), so
// the check is lexical, relative to the link's own directory.
import { describe, expect, it } from "vitest";
import { escapes } from "./context.js";
import { listDir, MODE_DIR, MODE_SYMLINK } from "./testing/fake-daemon.js";

describe("escapes(path, target)", () => {
  it.each([
    ["a.c", "/etc/passwd", true],
    ["a.c", "../a.c", true],
    ["src/a.c", "../../x.c", true],
    ["src/a.c", "../lib/../../x.c", true],
    ["src/deep/a.c", "./../../../x", true],
    ["src/a.c", "../main.c", false],
    ["src/a.c", "b.c", false],
    ["a.c", "./src//b.c", false],
    ["src/a.c", "x/../../main.c", false],
    ["src/a.c", "", false],
  ] as const)("%s -> %s: %s", (path, target, out) => {
    expect(escapes(path, target)).toBe(out);
  });
});

describe("the fake daemon's context listing", () => {
  it("reports directories and symlinks with Go's FileMode bits, one level at a time", () => {
    const entries = listDir({ "a.c": { data: "x" }, "src/b.c": { data: "y" }, "l.c": { link: "/etc/passwd" } }, ".");
    expect(entries.map((e) => [e.path, (e.mode & MODE_DIR) !== 0, (e.mode & MODE_SYMLINK) !== 0, e.linkname])).toEqual([
      ["a.c", false, false, ""],
      ["l.c", false, true, "/etc/passwd"],
      ["src", true, false, ""],
    ]);
  });
});
