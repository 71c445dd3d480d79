// A minimal reader for the tar files the bench looks into (a `docker save`
// archive and the image layers inside it): names, types, sizes and contents.
// ustar and GNU/pax long names are handled; nothing else is needed here.

export interface TarEntry {
  /** Path without a leading "./" or "/". */
  readonly path: string;
  /** The typeflag: "0" file, "5" directory, "2" symlink, … */
  readonly type: string;
  readonly size: number;
  readonly data: Uint8Array;
}

function text(b: Uint8Array, from: number, len: number): string {
  const slice = b.subarray(from, from + len);
  const nul = slice.indexOf(0);
  return Buffer.from(nul === -1 ? slice : slice.subarray(0, nul)).toString("utf8");
}

function octal(b: Uint8Array, from: number, len: number): number {
  const s = text(b, from, len).trim();
  return s === "" ? 0 : parseInt(s, 8);
}

/** pax records: "LEN key=value\n"… */
function paxPath(data: Uint8Array): string | undefined {
  for (const rec of Buffer.from(data).toString("utf8").split("\n")) {
    const m = /^\d+ path=(.*)$/.exec(rec);
    if (m !== null) return m[1];
  }
  return undefined;
}

export function readTar(buf: Uint8Array): TarEntry[] {
  const out: TarEntry[] = [];
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((x) => x === 0)) break;
    const size = octal(h, 124, 12);
    const type = text(h, 156, 1) || "0";
    const data = buf.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") { longName = text(data, 0, data.length); continue; }
    if (type === "x") { longName = paxPath(data) ?? longName; continue; }
    if (type === "g") continue;
    const prefix = text(h, 345, 155);
    const name = longName ?? (prefix !== "" ? `${prefix}/${text(h, 0, 100)}` : text(h, 0, 100));
    longName = undefined;
    out.push({ path: name.replace(/^\.?\/+/, "").replace(/\/$/, ""), type, size, data });
  }
  return out;
}
