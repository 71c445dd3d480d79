import { describe, expect, it } from "vitest";
import { parseLinkMap } from "./link-map.js";
import { attributeLink } from "./linked.js";
import { readPackageDb, type PackageDb } from "./package-db.js";
import { normalizePath, PathResolver } from "./root-fs.js";
import { DPKG_STATUS_TEXT, GNU_LINK_MAP, memoryFs } from "./testing/fixtures.js";

describe("attributeLink", () => {
  it("names the package of every linked archive and object, through symbolic links on either side", async () => {
    const fs = memoryFs(
      {
        "/var/lib/dpkg/status": DPKG_STATUS_TEXT,
        // merged /usr: the linker says /lib/..., one list says /usr/lib/..., another /lib/...
        "/var/lib/dpkg/info/musl-dev:amd64.list": "/usr/lib/x86_64-linux-musl/libc.a\n/usr/lib/x86_64-linux-musl/Scrt1.o\n/usr/lib/x86_64-linux-musl/crti.o\n/usr/lib/x86_64-linux-musl/crtn.o\n",
        "/var/lib/dpkg/info/libgcc-12-dev:amd64.list": "/lib/gcc/x86_64-linux-gnu/12/crtbeginS.o\n/usr/lib/gcc/x86_64-linux-gnu/12/crtendS.o\n/usr/lib/gcc/x86_64-linux-gnu/12/libgcc.a\n",
        "/var/lib/dpkg/info/zlib-musl-static.list": "/usr/lib/x86_64-linux-musl/libz.a\n",
      },
      { "/lib": "usr/lib" },
    );
    const db = (await readPackageDb(fs, "/")) as PackageDb;
    const { linked, unowned } = await attributeLink(parseLinkMap(GNU_LINK_MAP), [db], new PathResolver(fs));
    expect(linked.map((l) => [l.package.name, l.files]).sort()).toEqual([
      ["libgcc-12-dev", ["/usr/lib/gcc/x86_64-linux-gnu/12/crtbeginS.o", "/usr/lib/gcc/x86_64-linux-gnu/12/crtendS.o"]],
      [
        "musl-dev",
        ["/usr/lib/x86_64-linux-musl/Scrt1.o", "/usr/lib/x86_64-linux-musl/crti.o", "/usr/lib/x86_64-linux-musl/crtn.o", "/usr/lib/x86_64-linux-musl/libc.a (2 members)"],
      ],
      ["zlib-musl-static", ["/usr/lib/x86_64-linux-musl/libz.a (1 member)"]],
    ]);
    // libgcc.a was searched but gave nothing: not linked. The program's own object is nobody's package.
    expect(unowned).toEqual([{ path: "/tmp/ccAZqqhV.o", description: "/tmp/ccAZqqhV.o" }]);
  });
});

describe("PathResolver", () => {
  it("resolves links before `..`, as the kernel does, and absolute links from the root", async () => {
    const fs = memoryFs({}, { "/lib": "usr/lib", "/usr/lib/gcc/x/12": "/opt/gcc12", "/opt/gcc12/sub": "../real" });
    const r = new PathResolver(fs);
    expect(await r.resolve("/lib/x86_64-linux-musl/libc.a")).toBe("/usr/lib/x86_64-linux-musl/libc.a");
    expect(await r.resolve("/usr/lib/gcc/x/12/../../../y/libc.a")).toBe("/y/libc.a");
    expect(await r.resolve("/usr/lib/gcc/x/12/sub/f.o")).toBe("/opt/real/f.o");
    // Lexically, ignoring the link, it would be elsewhere:
    expect(normalizePath("/usr/lib/gcc/x/12/../../../y/libc.a")).toBe("/usr/lib/y/libc.a");
  });

  it("stops on a link loop", async () => {
    const r = new PathResolver(memoryFs({}, { "/a": "/b", "/b": "/a" }));
    await expect(r.resolve("/a/x")).rejects.toThrow(/too many levels/);
  });
});
