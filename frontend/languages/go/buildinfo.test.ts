// The reader over ELF files built here byte by byte from the documented
// layout (no Go on this host): an ELF header, a section-name table, a
// `.go.buildinfo` section with the 32-byte header and the inline strings.
// The end-to-end test reads real binaries from Go 1.24.

import { describe, expect, it } from "vitest";
import type { ReadAt } from "../../elf/index.js";
import { GoBuildInfoError, parseModInfo, readGoBuildInfo } from "./buildinfo.js";

const enc = new TextEncoder();
// cmd/go's modload.infoStart and infoEnd, the sentinels around the module info.
const START = Buffer.from("3077af0c9274080241e1c107e6d618e6", "hex");
const END = Buffer.from("f932433186182072008242104116d8f2", "hex");

function uvarint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** The blob as the Go 1.18+ linker lays it out: magic, pointer size, flags (0x02 inline), padding, two uvarint strings. */
function blob(version: string, modinfo: string, flags = 0x02): Uint8Array {
  const header = new Uint8Array(32);
  header.set([0xff, ...enc.encode(" Go buildinf:")]);
  header[14] = 8;
  header[15] = flags;
  const v = enc.encode(version);
  const m = modinfo === "" ? new Uint8Array(0) : Uint8Array.from([...START, ...enc.encode(modinfo), ...END]);
  return Uint8Array.from([...header, ...uvarint(v.length), ...v, ...uvarint(m.length), ...m]);
}

/**
 * A little-endian ELF file (64-bit, or 32-bit as linux/arm's): header, the
 * sections, `.shstrtab` last, then the section header table.
 */
function elfFile(sections: Record<string, Uint8Array>, is64 = true): Uint8Array {
  const names = ["", ...Object.keys(sections), ".shstrtab"];
  // Offset 0 of the name table is the empty name, as in every real ELF file.
  const shstrtab = enc.encode(`${names.join("\0")}\0`);
  const nameAt = (n: string): number => names.slice(0, names.indexOf(n)).reduce((a, s) => a + s.length + 1, 0);
  const bodies = [...Object.values(sections), shstrtab];
  const shentsize = is64 ? 64 : 40;
  let at = 64;
  const placed = bodies.map((b) => {
    const o = at;
    at += b.length + ((16 - (b.length % 16)) % 16);
    return o;
  });
  const shoff = at;
  const file = new Uint8Array(shoff + names.length * shentsize);
  const v = new DataView(file.buffer);
  file.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, 1, 1]);
  v.setUint16(16, 2, true);
  v.setUint16(18, is64 ? 62 : 40, true);
  if (is64) v.setBigUint64(40, BigInt(shoff), true);
  else v.setUint32(32, shoff, true);
  v.setUint16(is64 ? 58 : 46, shentsize, true);
  v.setUint16(is64 ? 60 : 48, names.length, true);
  v.setUint16(is64 ? 62 : 50, names.length - 1, true);
  bodies.forEach((b, i) => {
    file.set(b, placed[i] as number);
    const h = shoff + (i + 1) * shentsize;
    v.setUint32(h, nameAt(names[i + 1] as string), true);
    v.setUint32(h + 4, 1, true);
    if (is64) {
      v.setBigUint64(h + 24, BigInt(placed[i] as number), true);
      v.setBigUint64(h + 32, BigInt(b.length), true);
    } else {
      v.setUint32(h + 16, placed[i] as number, true);
      v.setUint32(h + 20, b.length, true);
    }
  });
  return file;
}

const over = (bytes: Uint8Array): ReadAt => async (offset, length) => bytes.slice(offset, offset + length);

const UUID_INFO = [
  "path\texample.com/uuidgen",
  "mod\texample.com/uuidgen\t(devel)\t",
  "dep\tgithub.com/google/uuid\tv1.6.0\th1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=",
  "build\t-buildmode=exe",
  "build\t-compiler=gc",
  "build\t-trimpath=true",
  'build\t-ldflags="-s -w"',
  "build\tCGO_ENABLED=0",
  "build\tGOARCH=amd64",
  "",
].join("\n");

describe("readGoBuildInfo", () => {
  it("reads the version, main module, modules with their h1 and the settings from .go.buildinfo", async () => {
    const file = elfFile({ ".text": new Uint8Array(40), ".go.buildinfo": blob("go1.24.4", UUID_INFO) });
    expect(await readGoBuildInfo(over(file))).toEqual({
      goVersion: "go1.24.4",
      path: "example.com/uuidgen",
      main: { path: "example.com/uuidgen", version: "(devel)" },
      deps: [{ path: "github.com/google/uuid", version: "v1.6.0", sum: "h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=" }],
      settings: [
        { key: "-buildmode", value: "exe" },
        { key: "-compiler", value: "gc" },
        { key: "-trimpath", value: "true" },
        { key: "-ldflags", value: "-s -w" },
        { key: "CGO_ENABLED", value: "0" },
        { key: "GOARCH", value: "amd64" },
      ],
    });
  });

  it("finds the header at a 16-byte boundary after other data, and reads a module list longer than 127 bytes", async () => {
    const many = Array.from({ length: 40 }, (_, i) => `dep\texample.org/m${i}\tv1.0.${i}\th1:${"A".repeat(43)}=`).join("\n");
    const b = blob("go1.22.0", `path\tp\n${many}\n`);
    const info = await readGoBuildInfo(over(elfFile({ ".go.buildinfo": Uint8Array.from([...new Uint8Array(48), ...b]) })));
    expect(info.deps).toHaveLength(40);
    expect(info.deps[39]).toEqual({ path: "example.org/m39", version: "v1.0.39", sum: `h1:${"A".repeat(43)}=` });
  });

  it("reads a 32-bit ELF (linux/arm) the same way", async () => {
    const file = elfFile({ ".text": new Uint8Array(24), ".go.buildinfo": blob("go1.24.4", UUID_INFO) }, false);
    expect((await readGoBuildInfo(over(file))).deps.map((d) => d.path)).toEqual(["github.com/google/uuid"]);
  });

  it("a binary built outside module mode has a version and no modules", async () => {
    expect(await readGoBuildInfo(over(elfFile({ ".go.buildinfo": blob("go1.24.4", "") })))).toEqual({ goVersion: "go1.24.4", deps: [], settings: [] });
  });

  it("refuses what is not there, and the pre-1.18 pointer form, with a reason", async () => {
    await expect(readGoBuildInfo(over(elfFile({ ".data": new Uint8Array(64) })))).rejects.toThrow(/no \.go\.buildinfo section/);
    await expect(readGoBuildInfo(over(elfFile({ ".go.buildinfo": new Uint8Array(64) })))).rejects.toThrow(/no build info header/);
    await expect(readGoBuildInfo(over(elfFile({ ".go.buildinfo": blob("go1.17", "", 0x00) })))).rejects.toThrow(/pointers \(Go before 1\.18\)/);
    const cut = blob("go1.24.4", UUID_INFO).slice(0, 60);
    await expect(readGoBuildInfo(over(elfFile({ ".go.buildinfo": cut })))).rejects.toThrow(GoBuildInfoError);
  });
});

describe("parseModInfo", () => {
  it("attaches a => line to the module before it", () => {
    const info = parseModInfo("path\tm\nmod\tm\t(devel)\t\ndep\tgolang.org/x/text\tv0.3.0\th1:old=\n=>\tgolang.org/x/text\tv0.14.0\th1:new=\ndep\tb.example/x\tv1.0.0\n");
    expect(info.deps).toEqual([
      { path: "golang.org/x/text", version: "v0.3.0", sum: "h1:old=", replace: { path: "golang.org/x/text", version: "v0.14.0", sum: "h1:new=" } },
      { path: "b.example/x", version: "v1.0.0" },
    ]);
    expect(() => parseModInfo("path\tm\n=>\tx\tv1\th1:x=\n")).toThrow(/no module on the line before/);
  });

  it("unquotes quoted keys and values as strconv.Quote writes them", () => {
    expect(parseModInfo('build\t"odd key"="a\\tb \\"c\\""\nbuild\tGOFLAGS=`-x y`\n').settings).toEqual([
      { key: "odd key", value: 'a\tb "c"' },
      { key: "GOFLAGS", value: "-x y" },
    ]);
  });
});
