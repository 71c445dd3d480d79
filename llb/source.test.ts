import { describe, expect, it } from "vitest";
import { git, http, image, local, normalizeImageRef } from "./index.js";
import { decodeAll, errorCode } from "./test-helpers.js";


describe("image references", () => {
  it.each([
    ["alpine", "docker.io/library/alpine:latest"],
    ["alpine:3.20", "docker.io/library/alpine:3.20"],
    ["library/alpine", "docker.io/library/alpine:latest"],
    ["docker.io/alpine", "docker.io/library/alpine:latest"],
    ["index.docker.io/library/alpine:1", "docker.io/library/alpine:1"],
    ["moby/buildkit:v0.25.0", "docker.io/moby/buildkit:v0.25.0"],
    ["ghcr.io/o/r", "ghcr.io/o/r:latest"],
    ["localhost/app", "localhost/app:latest"],
    ["localhost:5000/a/b:t", "localhost:5000/a/b:t"],
    [`alpine@sha256:${"a".repeat(64)}`, `docker.io/library/alpine@sha256:${"a".repeat(64)}`],
    [`alpine:3@sha256:${"b".repeat(64)}`, `docker.io/library/alpine:3@sha256:${"b".repeat(64)}`],
  ])("%s -> %s", (ref, want) => {
    expect(normalizeImageRef(ref)).toBe(want);
  });

  it.each(["", "Alpine", "alpine:", "alpine@sha256:abc", "a b", "-a", "a".repeat(64), "ghcr.io/O/r", "alpine:tag!"])(
    "rejects %j with INVALID_REFERENCE",
    (ref) => {
      expect(errorCode(() => image(ref))).toBe("INVALID_REFERENCE");
    },
  );

  it("names the reference and the problem", () => {
    expect(() => image("Alpine")).toThrow(/invalid image reference "Alpine": repository name must be lowercase/);
  });
});

describe("image()", () => {
  it("writes attrs and caps for its options, platform on the op", () => {
    const d = decodeAll(
      image("alpine", { platform: "linux/arm64/v8", resolveMode: "pull", recordType: "internal", layerLimit: 3, checksum: `sha256:${"c".repeat(64)}` }),
    );
    const op = d.result;
    expect(op.source?.attrs).toEqual({
      "image.checksum": `sha256:${"c".repeat(64)}`,
      "image.layerlimit": "3",
      "image.recordtype": "internal",
      "image.resolvemode": "pull",
    });
    expect(op.platform).toEqual({ OS: "linux", Architecture: "arm64" });
    expect(d.caps(op)).toEqual(["source.image", "source.image.checksum", "source.image.layerlimit", "source.image.resolvemode"]);
  });

  it("takes the marshal platform when none is given, and declares resolvemode only for pull", () => {
    const d = decodeAll(image("alpine", { resolveMode: "local" }), { platform: "linux/arm/v7" });
    expect(d.result.platform).toEqual({ OS: "linux", Architecture: "arm", Variant: "v7" });
    expect(d.result.source?.attrs).toEqual({ "image.resolvemode": "local" });
    expect(d.caps(d.result)).toEqual(["source.image"]);
  });

  it("applies an image config's Env, WorkingDir and User to the state", () => {
    const st = image("alpine", { config: { Env: ["PATH=/bin", "A=b=c", "EMPTY"], WorkingDir: "/app", User: "nobody" } });
    expect(st.env()).toEqual(["PATH=/bin", "A=b=c", "EMPTY="]);
    expect(st.getDir()).toBe("/app");
    expect(st.getUser()).toBe("nobody");
    const exec = decodeAll(st.run({ args: ["true"] }).root()).result.exec;
    expect(exec?.meta?.env).toEqual(["PATH=/bin", "A=b=c", "EMPTY="]);
    expect(exec?.meta?.cwd).toBe("/app");
    expect(exec?.meta?.user).toBe("nobody");
  });
});

describe("local()", () => {
  it("writes patterns as Go-style JSON and declares a cap per attribute", () => {
    const d = decodeAll(
      local("context", { sessionId: "s", includePatterns: ["src/<x>&"], excludePatterns: ["node_modules"], followPaths: ["a"], sharedKeyHint: "ctx", differ: "metadata", differRequired: true }),
    );
    expect(d.result.source).toEqual({
      identifier: "local://context",
      attrs: {
        "local.differ": "metadata",
        "local.excludepatterns": '["node_modules"]',
        "local.followpaths": '["a"]',
        "local.includepattern": '["src/\\u003cx\\u003e\\u0026"]',
        "local.session": "s",
        "local.sharedkeyhint": "ctx",
      },
    });
    expect(d.result.platform).toBeUndefined();
    expect(d.caps(d.result)).toEqual([
      "source.local",
      "source.local.differ",
      "source.local.excludepatterns",
      "source.local.followpaths",
      "source.local.includepatterns",
      "source.local.sessionid",
      "source.local.sharedkeyhint",
    ]);
  });

  it("never invents a unique id", () => {
    expect(errorCode(() => local("context"))).toBe("INVALID_ARGUMENT");
    expect(decodeAll(local("context", { uniqueId: "fixed" })).result.source?.attrs).toEqual({ "local.unique": "fixed" });
  });
});

describe("git()", () => {
  it("builds Go's identifier and default auth secrets for https", () => {
    const d = decodeAll(git("https://github.com/moby/buildkit.git", "v0.25.0", { subdir: "client/llb", keepGitDir: true }));
    expect(d.result.source).toEqual({
      identifier: "git://github.com/moby/buildkit.git#v0.25.0:client/llb",
      attrs: {
        "git.authheadersecret": "GIT_AUTH_HEADER",
        "git.authtokensecret": "GIT_AUTH_TOKEN",
        "git.fullurl": "https://github.com/moby/buildkit.git",
        "git.keepgitdir": "true",
      },
    });
    expect(d.caps(d.result)).toEqual(["source.git", "source.git.fullurl", "source.git.keepgitdir", "source.git.subdir"]);
  });

  it("mounts the SSH agent for scp-style remotes, and defaults unknown protocols to https", () => {
    const ssh = decodeAll(git("git@github.com:moby/buildkit.git")).result.source;
    expect(ssh?.identifier).toBe("git://github.com/moby/buildkit.git");
    expect(ssh?.attrs?.["git.mountsshsock"]).toBe("default");
    expect(decodeAll(git("github.com/a/b")).result.source?.attrs?.["git.fullurl"]).toBe("https://github.com/a/b");
  });
});

describe("http()", () => {
  it("uses the URL as identifier and writes its options", () => {
    const d = decodeAll(http("https://example.org/z.tgz", { checksum: `sha256:${"d".repeat(64)}`, filename: "z.tgz", perm: 0o644, uid: 1, gid: 2 }));
    expect(d.result.source).toEqual({
      identifier: "https://example.org/z.tgz",
      attrs: { "http.checksum": `sha256:${"d".repeat(64)}`, "http.filename": "z.tgz", "http.gid": "2", "http.perm": "0644", "http.uid": "1" },
    });
    expect(d.caps(d.result)).toEqual(["soruce.http.uidgid", "source.http", "source.http.checksum", "source.http.perm"]);
  });

  it("rejects non-http URLs", () => {
    expect(errorCode(() => http("ftp://x/y"))).toBe("INVALID_ARGUMENT");
  });
});
