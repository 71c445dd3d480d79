import { describe, expect, it } from "vitest";
import { copy, image, local, mkdir, mkfile, rm, scratch, symlink, timestampFromSeconds } from "./index.js";
import { decodeAll, errorCode } from "./test-helpers.js";

const base = image("alpine").dir("/app");
const ctx = local("context", { sessionId: "s" });
const other = image("busybox");


describe("file() action chain", () => {
  const t = 1_700_000_000_123_456_789n;
  const st = base.file([
    mkdir("etc", 0o1755, { makeParents: true, owner: { user: "app", group: 10 }, timestamp: t }),
    copy(ctx, "src/", "./", { copyDirContentsOnly: true, excludePatterns: ["*.o"], mode: 0o755, createDestPath: true }),
    mkfile("/etc/x", 0o600, new Uint8Array([0, 255]), { timestamp: new Date(1000) }),
    copy(other, "/bin/busybox", "/bin/", { modeStr: "u+x", owner: { user: "0" }, followSymlinks: true, allowWildcard: true, allowEmptyWildcard: true, alwaysReplaceExistingDestPaths: true, includePatterns: ["b*"], timestamp: timestampFromSeconds(5) }),
    copy(ctx, "/a", "/b"),
    symlink("busybox", "/bin/sh", { owner: { user: 1 } }),
    rm("/tmp/*", { allowNotFound: true, allowWildcard: true }),
  ]);
  const d = decodeAll(st);
  const op = d.result;
  const actions = op.file?.actions ?? [];

  it("has inputs base, then copy sources in first-use order, de-duplicated", () => {
    expect((op.inputs ?? []).map((i) => d.byDigest(i.digest).source?.identifier)).toEqual([
      "docker-image://docker.io/library/alpine:latest",
      "local://context",
      "docker-image://docker.io/library/busybox:latest",
    ]);
    expect(op.platform).toBeUndefined();
  });

  it("chains each action on the previous one and exports only the last", () => {
    const n = 3n; // len(inputs): action j's result is input n + j
    expect(actions.map((a) => a.input ?? 0n)).toEqual([0n, n, n + 1n, n + 2n, n + 3n, n + 4n, n + 5n]);
    expect(actions.map((a) => a.secondaryInput ?? 0n)).toEqual([-1n, 1n, -1n, 2n, 1n, -1n, -1n]);
    expect(actions.map((a) => a.output ?? 0n)).toEqual([-1n, -1n, -1n, -1n, -1n, -1n, 0n]);
  });

  it("writes each action's fields, resolving relative paths against the cwd", () => {
    expect(actions[0]?.mkdir).toEqual({
      path: "/app/etc",
      mode: 0o755,
      makeParents: true,
      owner: { user: { byName: { name: "app" } }, group: { byID: 10 } },
      timestamp: t,
    });
    expect(actions[1]?.copy).toEqual({ src: "/src", dest: "/app/", mode: 0o755, dirCopyContents: true, createDestPath: true, timestamp: -1n, excludePatterns: ["*.o"] });
    expect(actions[2]?.mkfile).toEqual({ path: "/etc/x", mode: 0o600, data: new Uint8Array([0, 255]), timestamp: 1_000_000_000n });
    expect(actions[3]?.copy).toEqual({
      src: "/bin/busybox",
      dest: "/bin/",
      owner: { user: { byID: 0 } },
      followSymlink: true,
      allowWildcard: true,
      allowEmptyWildcard: true,
      timestamp: 5_000_000_000n,
      includePatterns: ["b*"],
      alwaysReplaceExistingDestPaths: true,
      modeStr: "u+x",
    });
    expect(actions[4]?.copy).toMatchObject({ src: "/a", dest: "/b", mode: -1 });
    expect(actions[5]?.symlink).toEqual({ oldpath: "busybox", newpath: "/bin/sh", owner: { user: { byID: 1 } }, timestamp: -1n });
    expect(actions[6]?.rm).toEqual({ path: "/tmp/*", allowNotFound: true, allowWildcard: true });
  });

  it("records file caps", () => {
    expect(d.caps(op)).toEqual([
      "file.base",
      "file.copy.alwaysreplaceexistingdestpaths",
      "file.copy.includeexcludepatterns",
      "file.copy.modestring",
      "file.rm.wildcard",
      "file.symlink.create",
    ]);
  });

  it("keeps the base state's metadata", () => {
    expect(st.getDir()).toBe("/app");
  });
});

describe("file() on scratch", () => {
  it("uses input -1 and no Op.inputs", () => {
    const d = decodeAll(scratch().file([mkdir("/x", 0o755)]));
    expect(d.result.inputs).toBeUndefined();
    expect(d.result.file?.actions?.[0]).toEqual({ input: -1n, secondaryInput: -1n, mkdir: { path: "/x", mode: 0o755, timestamp: -1n } });
  });

  it("copies from scratch as secondary input -1 and from itself as input 0", () => {
    const d = decodeAll(base.file([copy(base, "/a", "/b"), copy(scratch().dir("/"), "x", "/y")]));
    expect(d.result.inputs).toHaveLength(1);
    expect(d.result.file?.actions?.map((a) => [a.input ?? 0n, a.secondaryInput ?? 0n])).toEqual([
      [0n, 0n],
      [1n, -1n],
    ]);
  });
});

describe("file() inputs like Go's", () => {
  it("merges identical copy sources by digest and shifts action indexes", () => {
    const d = decodeAll(base.file([copy(image("busybox"), "/a", "/a"), copy(image("busybox"), "/b", "/b"), mkdir("/c", 0o755)]));
    expect(d.result.inputs).toHaveLength(2);
    expect(d.result.file?.actions?.map((a) => [a.input ?? 0n, a.secondaryInput ?? 0n])).toEqual([
      [0n, 1n],
      [2n, 1n],
      [3n, -1n],
    ]);
  });
});

describe("file() misuse", () => {
  it.each([
    ["copy source", () => base.file([copy(image("busybox"), "bin/sh", "/x")])],
    ["copy destination", () => image("alpine").file([copy(base, "/a", "b")])],
    ["mkdir path", () => scratch().file([mkdir("x", 0o755)])],
  ])("a relative %s with no working directory is RELATIVE_PATH_WITHOUT_CWD", (what, f) => {
    expect(errorCode(f)).toBe("RELATIVE_PATH_WITHOUT_CWD");
    expect(f).toThrow(new RegExp(`${what} ".*" is relative but the state has no working directory`));
  });

  it("rejects owner names on scratch, bad modes, empty action lists, mode with modeStr", () => {
    expect(errorCode(() => scratch().file([mkdir("/x", 0o755, { owner: { user: "app" } })]))).toBe("INVALID_ARGUMENT");
    expect(errorCode(() => mkdir("/x", -1))).toBe("INVALID_ARGUMENT");
    expect(errorCode(() => base.file([]))).toBe("INVALID_ARGUMENT");
    expect(errorCode(() => copy(base, "/a", "/b", { mode: 0o644, modeStr: "u+x" }))).toBe("INVALID_ARGUMENT");
    expect(errorCode(() => mkfile("/x", 0o644, "", { timestamp: -5n }))).toBeUndefined();
    expect(errorCode(() => base.file([mkfile("/x", 0o644, "", { timestamp: -5n })]))).toBe("INVALID_ARGUMENT");
  });
});
