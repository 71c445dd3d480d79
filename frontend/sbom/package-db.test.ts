import { describe, expect, it } from "vitest";
import { readPackageDb } from "./package-db.js";
import { APK_INSTALLED_TEXT, DEP5_COPYRIGHT, DPKG_STATUS_TEXT, memoryFs } from "./testing/fixtures.js";

const OS_DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n';

describe("readPackageDb", () => {
  it("dpkg: installed packages only, with version, architecture, origin, maintainer and license", async () => {
    const fs = memoryFs({ "/etc/os-release": OS_DEBIAN, "/var/lib/dpkg/status": DPKG_STATUS_TEXT, "/usr/share/doc/musl-dev/copyright": DEP5_COPYRIGHT });
    const db = await readPackageDb(fs, "/");
    expect(db?.manager).toBe("dpkg");
    expect(db?.packages.map((p) => p.name)).toEqual(["gcc-12", "libgcc-12-dev", "musl-dev", "zlib-musl-static"]);
    const musl = db?.packages.find((p) => p.name === "musl-dev");
    expect(musl).toMatchObject({ version: "1.2.3-1", architecture: "amd64", origin: "musl", maintainer: "A Maintainer <maint@example.org>", root: "/", distro: { id: "debian", versionId: "12" } });
    expect(musl?.license.expression).toMatch(/MIT/);
    // No copyright file, no license claimed.
    expect(db?.packages.find((p) => p.name === "gcc-12")).toMatchObject({ origin: "gcc-12", license: { expression: "NOASSERTION" } });
    expect(db?.packages.find((p) => p.name === "zlib-musl-static")?.version).toBe("1:1.2.13.dfsg");
  });

  it("dpkg: file lists, `<name>:<arch>.list` first for Multi-Arch: same", async () => {
    const fs = memoryFs({
      "/var/lib/dpkg/status": DPKG_STATUS_TEXT,
      "/var/lib/dpkg/info/musl-dev:amd64.list": "/.\n/usr\n/usr/lib/x86_64-linux-musl/libc.a\n",
      "/var/lib/dpkg/info/zlib-musl-static.list": "/usr/lib/x86_64-linux-musl/libz.a\n",
    });
    const db = await readPackageDb(fs, "/");
    const lists = await db?.fileLists();
    const byName = new Map([...(lists ?? [])].map(([p, files]) => [p.name, files]));
    expect(byName.get("musl-dev")).toEqual(["/", "/usr", "/usr/lib/x86_64-linux-musl/libc.a"]);
    expect(byName.get("zlib-musl-static")).toEqual(["/usr/lib/x86_64-linux-musl/libz.a"]);
    expect(byName.get("gcc-12")).toEqual([]);
  });

  it("dpkg: with readMany, every file list and copyright file comes in one bulk read", async () => {
    const files = {
      "/var/lib/dpkg/status": DPKG_STATUS_TEXT,
      "/usr/share/doc/musl-dev/copyright": DEP5_COPYRIGHT,
      "/var/lib/dpkg/info/musl-dev:amd64.list": "/usr/lib/x86_64-linux-musl/libc.a\n",
    };
    const bulk = memoryFs(files, {}, true);
    const db = await readPackageDb(bulk, "/");
    expect(bulk.bulkReads).toBe(1);
    expect(bulk.reads.filter((r) => r.endsWith(".list") || r.endsWith("/copyright"))).toEqual([]);
    // The same answers as one read per file.
    const single = await readPackageDb(memoryFs(files), "/");
    expect(db?.packages).toEqual(single?.packages);
    expect([...((await db?.fileLists()) ?? [])].map(([p, f]) => [p.name, f])).toEqual([...((await single?.fileLists()) ?? [])].map(([p, f]) => [p.name, f]));
  });

  it("apk: the installed database, with files from F:/R: lines, preferred when a root has it", async () => {
    const fs = memoryFs({ "/etc/os-release": "ID=alpine\nVERSION_ID=3.22.0\n", "/lib/apk/db/installed": APK_INSTALLED_TEXT, "/var/lib/dpkg/status": DPKG_STATUS_TEXT });
    const db = await readPackageDb(fs, "/");
    expect(db?.manager).toBe("apk");
    expect(db?.packages.map((p) => `${p.name} ${p.version} ${p.license.expression}`)).toEqual([
      "musl 1.2.5-r10 MIT",
      "musl-dev 1.2.5-r10 MIT",
      "oldstyle 1.0-r0 NOASSERTION",
      "zlib-static 1.3.1-r2 Zlib",
    ]);
    const lists = await db?.fileLists();
    const dev = [...(lists ?? [])].find(([p]) => p.name === "musl-dev")?.[1];
    expect(dev).toEqual(["/usr/lib/Scrt1.o", "/usr/lib/crti.o", "/usr/lib/crtn.o", "/usr/lib/libc.a"]);
  });

  it("a sysroot reads its own database, and its paths stay under it", async () => {
    const fs = memoryFs({ "/aarch64-linux-musl/lib/apk/db/installed": APK_INSTALLED_TEXT });
    const db = await readPackageDb(fs, "/aarch64-linux-musl");
    expect(db?.packages.every((p) => p.root === "/aarch64-linux-musl" && p.distro === undefined)).toBe(true);
    const lists = await db?.fileLists();
    expect([...(lists ?? [])].find(([p]) => p.name === "zlib-static")?.[1]).toEqual(["/aarch64-linux-musl/usr/lib/libz.a"]);
  });

  it("a root with no database has none: nothing is invented", async () => {
    expect(await readPackageDb(memoryFs({ "/usr/bin/cc": "" }), "/")).toBeUndefined();
  });
});
