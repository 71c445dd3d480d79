// Protobuf wire-format writing: varints (negatives as 10-byte two's
// complement, like Go), length-delimited fields, and a slab allocator for the
// many small results a graph produces. No knowledge of messages here.

import type { Int64 } from "../proto/llb.js";

/** Orders strings by their UTF-8 bytes (= code points), as Go's string compare does. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 order differs from code-point order only when one side is a
    // surrogate (U+10000 and up) and the other is in U+E000..U+FFFF.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

const MINUS_ONE = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);
const SLAB_SIZE = 64 * 1024;
const SLAB_MAX_PIECE = 4 * 1024;
const RETAIN_MAX = 1024 * 1024;

/**
 * A growable protobuf wire writer (Buffer-backed for fast UTF-8 writes). One
 * message at a time: begin(), the field writes, finish().
 */
export class Writer {
  /** Where bytes go: the scratch buffer, or the slab while writing a pooled message. */
  private buf: Buffer;
  private scratch: Buffer = Buffer.allocUnsafe(1024);
  /** Where the current message starts in buf (non-zero only inside the slab). */
  private start = 0;
  private pos = 0;
  private slab: Buffer = Buffer.allocUnsafeSlow(SLAB_SIZE);
  private slabUsed = 0;

  constructor() {
    this.buf = this.scratch;
  }

  /**
   * Starts a message. A pooled one is written straight into a shared 64 KiB
   * slab: a 10,000-op graph would otherwise allocate 10,000 ArrayBuffers (their
   * bookkeeping dominates garbage collection), and writing in place saves
   * copying every op out of a scratch buffer. `sizeHint` (unpooled only) sizes
   * the scratch buffer up front for a message known to be big.
   */
  begin(pooled: boolean, sizeHint = 0): void {
    if (pooled) {
      if (SLAB_SIZE - this.slabUsed < SLAB_MAX_PIECE) {
        this.slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
        this.slabUsed = 0;
      }
      this.buf = this.slab;
      this.start = this.pos = this.slabUsed;
      return;
    }
    // A whole Definition can grow the scratch buffer to megabytes; do not keep that around.
    if (sizeHint > this.scratch.length) this.scratch = Buffer.allocUnsafeSlow(sizeHint);
    else if (this.scratch.length > RETAIN_MAX) this.scratch = Buffer.allocUnsafe(1024);
    this.buf = this.scratch;
    this.start = this.pos = 0;
  }

  /**
   * The message written since begin(). Pooled results are views sharing an
   * ArrayBuffer, so they are only handed out where the caller never looks past
   * the view (op bytes inside a Definition); the others own their buffer.
   */
  finish(pooled: boolean): Uint8Array {
    const buf = this.buf;
    const n = this.pos - this.start;
    let out: Uint8Array;
    if (pooled) {
      // A plain Uint8Array view (not a Buffer): cheaper to create than subarray().
      out = new Uint8Array(buf.buffer, buf.byteOffset + this.start, n);
      // Keep views 8-byte aligned so typed-array reads on them stay cheap. A
      // message that outgrew the slab was moved to a buffer of its own.
      if (buf === this.slab) this.slabUsed = (this.pos + 7) & ~7;
    } else {
      out = new Uint8Array(n);
      buf.copy(out, 0, this.start, this.pos);
      this.scratch = buf; // keep a grown scratch buffer (begin() drops a huge one)
    }
    this.buf = this.scratch;
    this.start = this.pos = 0;
    return out;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const used = this.pos - this.start;
    const next = Buffer.allocUnsafe(Math.max(2 * used, used + n, 1024));
    this.buf.copy(next, 0, this.start, this.pos);
    this.buf = next;
    this.start = 0;
    this.pos = used;
  }

  /** One byte, e.g. a precomputed tag below 128. */
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Bytes written earlier by since(), copied as they are. */
  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** The current position in the message, for since(). */
  mark(): number {
    return this.pos - this.start;
  }

  /** A copy of what was written since `at` (a mark()). Lengths still open around it are not included. */
  since(at: number): Uint8Array {
    return new Uint8Array(this.buf.subarray(this.start + at, this.pos));
  }

  tag(id: number, wire: number): void {
    this.varint(id * 8 + wire);
  }

  /** Non-negative integers up to 2^53. */
  varint(n: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (n > 127) {
      buf[pos++] = (n & 127) | 128;
      n = Math.floor(n / 128);
    }
    buf[pos++] = n;
    this.pos = pos;
  }

  /** int32/int64/enum: negatives as 10-byte two's complement, like Go. */
  int64(v: Int64): void {
    // -1 ("none": no input, no output, unset timestamp) is in nearly every op.
    if (v === -1 || v === -1n) return this.raw(MINUS_ONE);
    if (typeof v === "number") {
      if (v >= 0 && v <= Number.MAX_SAFE_INTEGER && Number.isInteger(v)) return this.varint(v);
      if (!Number.isSafeInteger(v)) throw new RangeError(`not a safe integer: ${v}`);
      // Split into 32-bit halves without BigInt (hot path: -1 is everywhere in LLB).
      const hi = Math.floor(v / 4294967296);
      return this.varint64(v - hi * 4294967296, hi >>> 0);
    }
    if (v >= 0n && v <= MAX_SAFE_BIG) return this.varint(Number(v));
    const u = BigInt.asUintN(64, v);
    this.varint64(Number(u & 0xffffffffn), Number(u >> 32n));
  }

  /** A 64-bit varint from unsigned 32-bit halves. */
  private varint64(lo: number, hi: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (hi > 0 || lo > 127) {
      buf[pos++] = (lo & 127) | 128;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[pos++] = lo;
    this.pos = pos;
  }

  string(s: string): void {
    const n = s.length;
    if (n < 128) {
      // Short ASCII strings (nearly all LLB strings) skip the native UTF-8 calls.
      this.ensure(n + 1);
      const buf = this.buf;
      const start = this.pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      if (i === n) {
        buf[this.pos] = n;
        this.pos = start + n;
        return;
      }
    }
    const len = Buffer.byteLength(s, "utf8");
    this.varint(len);
    this.ensure(len);
    this.pos += this.buf.write(s, this.pos, "utf8");
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Reserves one byte for a length prefix; endLength widens it if needed. Returns a position in the message. */
  beginLength(): number {
    this.ensure(1);
    return this.pos++ - this.start;
  }

  endLength(mark: number): void {
    // Relative, because ensure() may move the message to a bigger buffer meanwhile.
    const len = this.pos - (this.start + mark) - 1;
    let size = 1;
    for (let v = len; v > 127; v = Math.floor(v / 128)) size++;
    if (size > 1) this.ensure(size - 1);
    const at = this.start + mark;
    if (size > 1) {
      this.buf.copyWithin(at + size, at + 1, this.pos);
      this.pos += size - 1;
    }
    let p = at;
    let v = len;
    while (v > 127) {
      this.buf[p++] = (v & 127) | 128;
      v = Math.floor(v / 128);
    }
    this.buf[p] = v;
  }
}
