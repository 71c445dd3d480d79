import { describe, expect, it } from "vitest";
import * as pb from "../proto/llb.js";
import { image, local, mount, scratch } from "./index.js";
import { decodeAll, errorCode } from "./test-helpers.js";

const base = image("alpine");
const src = local("context", { sessionId: "s" });


describe("run() mounts", () => {
  const es = base.run({
    args: ["make"],
    mounts: [
      mount.tmpfs("/tmp", { size: 1 << 20 }),
      mount.bind("/src", src, { readonly: true, selector: "app" }),
      mount.cache("/root/.cache", "cc", { sharing: "locked" }),
      mount.bind("/out", scratch()),
      mount.secret("/run/secrets/t", "tok", { uid: 1, optional: true }),
      mount.ssh(),
      mount.bind("/again", src),
    ],
  });
  const d = decodeAll(es.getMount("/out"));
  const exec = d.byDigest(d.digests[d.digests.length - 2]);

  it("sorts regular mounts by target and appends secret and ssh mounts after them", () => {
    expect(exec.exec?.mounts?.map((m) => m.dest)).toEqual(["/", "/again", "/out", "/root/.cache", "/src", "/tmp", "/run/secrets/t", "/run/buildkit/ssh_agent.0"]);
  });

  it("de-duplicates inputs and indexes mounts into them", () => {
    const inputs = exec.inputs ?? [];
    expect(inputs).toHaveLength(2);
    const [img, ctx] = inputs;
    expect(d.byDigest(img?.digest).source?.identifier).toBe("docker-image://docker.io/library/alpine:latest");
    expect(d.byDigest(ctx?.digest).source?.identifier).toBe("local://context");
    const m = exec.exec?.mounts ?? [];
    // input: root=0, /again=1, /out=scratch, cache=-1, /src=1, tmpfs=-1, secret/ssh=-1
    expect(m.map((x) => x.input ?? 0n)).toEqual([0n, 1n, -1n, -1n, 1n, -1n, -1n, -1n]);
  });

  it("gives outputs 0,1,2… to writable binds in sorted order and -1 to the rest", () => {
    const m = exec.exec?.mounts ?? [];
    // secret/ssh leave output unset (0) like Go; the daemon ignores it for them.
    expect(m.map((x) => x.output ?? 0n)).toEqual([0n, 1n, 2n, -1n, -1n, -1n, 0n, 0n]);
    // The state from getMount("/out") is output 2 of the exec.
    expect(d.ops[d.ops.length - 1]?.inputs?.[0]?.index).toBe(2n);
  });

  it("writes each variant's fields", () => {
    const byDest = new Map((exec.exec?.mounts ?? []).map((x) => [x.dest, x]));
    expect(byDest.get("/src")).toMatchObject({ readonly: true, selector: "app" });
    expect(byDest.get("/root/.cache")).toMatchObject({ mountType: pb.MountType.CACHE, cacheOpt: { ID: "cc", sharing: pb.CacheSharingOpt.LOCKED } });
    expect(byDest.get("/tmp")).toMatchObject({ mountType: pb.MountType.TMPFS, TmpfsOpt: { size: 1048576n } });
    expect(byDest.get("/run/secrets/t")).toMatchObject({ mountType: pb.MountType.SECRET, secretOpt: { ID: "tok", uid: 1, mode: 0o400, optional: true } });
    expect(byDest.get("/run/buildkit/ssh_agent.0")).toMatchObject({ mountType: pb.MountType.SSH, SSHOpt: { mode: 0o600 } });
    expect(exec.exec?.meta?.env).toEqual(["SSH_AUTH_SOCK=/run/buildkit/ssh_agent.0", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]);
  });

  it("records the caps each mount needs", () => {
    expect(d.caps(exec)).toEqual([
      "exec.meta.base",
      "exec.mount.bind",
      "exec.mount.cache",
      "exec.mount.cache.sharing",
      "exec.mount.secret",
      "exec.mount.selector",
      "exec.mount.ssh",
      "exec.mount.tmpfs",
      "exec.mount.tmpfs.size",
    ]);
  });

  it("root() is output 0 and getMount() of a writable bind is its own output", () => {
    const r = decodeAll(es.root());
    expect(r.ops[r.ops.length - 1]?.inputs?.[0]?.index ?? 0n).toBe(0n);
    expect(decodeAll(es.getMount("/again")).ops.at(-1)?.inputs?.[0]?.index).toBe(1n);
  });

  it.each(["/tmp", "/src", "/root/.cache", "/run/secrets/t", "/run/buildkit/ssh_agent.0"])("getMount(%s) has no output: typed error", (dest) => {
    expect(errorCode(() => es.getMount(dest))).toBe("MOUNT_HAS_NO_OUTPUT");
    expect(() => es.getMount(dest)).toThrow(new RegExp(`mount at "${dest}" has no output`));
  });

  it("getMount of an unmounted path is NO_SUCH_MOUNT", () => {
    expect(errorCode(() => es.getMount("/nope"))).toBe("NO_SUCH_MOUNT");
  });

  it("readonlyRootfs makes root() an error", () => {
    expect(errorCode(() => base.run({ args: ["true"], readonlyRootfs: true }).root())).toBe("MOUNT_HAS_NO_OUTPUT");
  });

  it("rejects two mounts on one target and relative targets", () => {
    expect(errorCode(() => base.run({ args: ["x"], mounts: [mount.bind("/", src)] }))).toBe("INVALID_ARGUMENT");
    expect(errorCode(() => mount.tmpfs("tmp"))).toBe("INVALID_ARGUMENT");
  });
});

describe("run() inputs like Go's", () => {
  it("merges two separately built but identical sources into one input", () => {
    const es = image("alpine").run({ args: ["x"], mounts: [mount.bind("/a", image("alpine")), mount.bind("/b", src)] });
    const d = decodeAll(es.root());
    expect(d.result.inputs).toHaveLength(2);
    expect(d.result.exec?.mounts?.map((m) => m.input ?? 0n)).toEqual([0n, 0n, 1n]);
  });
});

describe("run() meta", () => {
  it("writes meta fields, network, security, secret env and their caps", () => {
    const st = base
      .addEnv("A", "1")
      .addEnv("PATH", "/bin")
      .dir("/w")
      .user("u")
      .hostname("h")
      .addExtraHost("db", "10.0.0.2")
      .network("none");
    const es = st.run({
      args: ["sh", "-c", "x"],
      env: { A: "2", B: "3" },
      cwd: "sub",
      security: "insecure",
      validExitCodes: [0, 3],
      ulimits: [{ name: "nofile", soft: 1024, hard: 4096n }],
      secretEnv: [{ id: "tok", name: "TOKEN" }],
      proxyEnv: { httpProxy: "http://p" },
      cgroupParent: "cg",
    });
    const d = decodeAll(es.root());
    const op = d.result;
    expect(op.exec?.meta).toEqual({
      args: ["sh", "-c", "x"],
      env: ["A=2", "PATH=/bin", "B=3"],
      cwd: "/w/sub",
      user: "u",
      proxyEnv: { httpProxy: "http://p" },
      extraHosts: [{ Host: "db", IP: "10.0.0.2" }],
      hostname: "h",
      ulimit: [{ Name: "nofile", Soft: 1024n, Hard: 4096n }],
      cgroupParent: "cg",
      removeMountStubsRecursive: true,
      validExitCodes: [0, 3],
    });
    expect(op.exec?.network).toBe(pb.NetMode.NONE);
    expect(op.exec?.security).toBe(pb.SecurityMode.INSECURE);
    expect(op.exec?.secretenv).toEqual([{ ID: "tok", name: "TOKEN" }]);
    expect(op.platform).toEqual({ OS: "linux", Architecture: "amd64" });
    expect(d.caps(op)).toEqual([
      "exec.meta.base",
      "exec.meta.cgroup.parent",
      "exec.meta.network",
      "exec.meta.proxyenv",
      "exec.meta.security",
      "exec.meta.ulimit",
      "exec.mount.bind",
      "exec.mount.secret",
      "exec.secretenv",
      "exec.validexitcode",
    ]);
    // The state's own env is untouched by run-only env.
    expect(es.root().env()).toEqual(["A=1", "PATH=/bin"]);
  });

  it("uses the state's platform over the marshal default, and sets no PATH on windows", () => {
    const d = decodeAll(scratch().platform("windows/amd64").run({ args: ["cmd"] }).root());
    expect(d.result.platform).toEqual({ OS: "windows", Architecture: "amd64" });
    expect(d.result.exec?.meta?.env).toBeUndefined();
    // A scratch root is mounted from input -1 and is still output 0.
    expect(d.result.exec?.mounts).toEqual([{ input: -1n, dest: "/" }]);
  });

  it("requires args", () => {
    expect(errorCode(() => base.run({ args: [] }))).toBe("INVALID_ARGUMENT");
  });
});
