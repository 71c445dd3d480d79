// Parsers for the values that have a syntax of their own. Each returns the
// normalised value or throws ValueError with a message that says what would be
// right; decode.ts attaches the span.

export class ValueError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const UNITS: Readonly<Record<string, number>> = {
  B: 1,
  kB: 1000, KB: 1000, MB: 1000 ** 2, GB: 1000 ** 3,
  KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3,
};

/** `13400`, `16KiB`, `1.5MB` -> bytes (KiB/MiB/GiB are 1024-based, kB/MB/GB 1000-based). */
export function parseBudget(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$/.exec(text.trim());
  const unit = m?.[2] || "B";
  const factor = UNITS[unit];
  if (!m?.[1] || factor === undefined) {
    throw new ValueError(`invalid budget \`${text}\``, "write a size such as `13400`, `16KiB` or `1.5MB`; KiB and MiB are 1024-based, kB and MB 1000-based");
  }
  const bytes = Math.floor(Number(m[1]) * factor);
  if (bytes < 1) throw new ValueError(`budget \`${text}\` is zero`, "give the largest binary size allowed, e.g. `16KiB`");
  if (!Number.isSafeInteger(bytes) || bytes > 1024 ** 4) throw new ValueError(`budget \`${text}\` is too large`, "at most 1TiB");
  return bytes;
}

const MAX_ID = 4294967294; // 2^32-1 is the kernel's "no id"

/** `65534`, `65534:65534` (numeric only: a scratch image has no /etc/passwd to look names up). */
export function parseUser(text: string): string {
  const m = /^(\d+)(?::(\d+))?$/.exec(text);
  if (!m?.[1]) {
    const named = /^[A-Za-z_][\w.-]*(:[\w.-]+)?$/.test(text);
    throw new ValueError(
      named ? `user \`${text}\` is a name, but a scratch image has no /etc/passwd to look it up` : `invalid user \`${text}\``,
      "write a numeric `uid` or `uid:gid`, e.g. `65534:65534`",
    );
  }
  for (const id of [m[1], m[2]]) {
    if (id !== undefined && Number(id) > MAX_ID) throw new ValueError(`user id ${id} is out of range`, `ids go from 0 to ${MAX_ID}`);
  }
  return m[2] === undefined ? String(Number(m[1])) : `${Number(m[1])}:${Number(m[2])}`;
}

/** `8080`, `8080/tcp`, `53/udp`, `9/sctp` -> `port/proto`. */
export function parsePort(text: string): string {
  const m = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/i.exec(text);
  const port = Number(m?.[1]);
  if (!m || port < 1 || port > 65535) {
    throw new ValueError(`invalid port \`${text}\``, "write a port from 1 to 65535, optionally with /tcp, /udp or /sctp: `8080`, `53/udp`");
  }
  return `${port}/${(m[2] ?? "tcp").toLowerCase()}`;
}

/** Linux signal numbers on every architecture speck targets (the generic ABI). */
export const SIGNALS: Readonly<Record<string, number>> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGSTKFLT: 16, SIGCHLD: 17,
  SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25,
  SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGIO: 29, SIGPWR: 30, SIGSYS: 31,
};

/** `SIGTERM`, `TERM`, `15` -> `SIGTERM`; real-time signals (32..64) stay numbers. */
export function parseSignal(text: string): string {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    const name = Object.entries(SIGNALS).find(([, v]) => v === n)?.[0];
    if (name) return name;
    if (n >= 32 && n <= 64) return String(n);
    throw new ValueError(`invalid stop signal \`${text}\``, "signal numbers go from 1 to 64");
  }
  const upper = text.toUpperCase();
  const name = upper.startsWith("SIG") ? upper : `SIG${upper}`;
  if (SIGNALS[name] !== undefined) return name;
  throw new ValueError(`unknown stop signal \`${text}\``, "write a signal such as `SIGTERM`, `TERM` or `15`");
}

/** File modes are octal, as chmod takes them: `0644`, `644`, `0o755`. */
export function parseMode(text: string): number {
  const m = /^(?:0o)?([0-7]{1,5})$/i.exec(text);
  const mode = m?.[1] === undefined ? NaN : parseInt(m[1], 8);
  if (!(mode <= 0o7777)) {
    throw new ValueError(`invalid mode \`${text}\``, "write permission bits in octal, at most 7777, e.g. `0644` or `\"0755\"`");
  }
  return mode;
}

const NAME_RE = /^[A-Za-z0-9._-]+$/;

/** A binary name: the file name inside the image. */
export function checkName(text: string): string {
  if (text === "") throw new ValueError("`name` is empty", "give the binary a name such as `pausle`");
  if (text.includes("/") || text.includes("\\")) throw new ValueError(`name \`${text}\` contains a path separator`, "the name is a single file name; letters, digits, `.`, `_`, `-`");
  if (text === "." || text === "..") throw new ValueError(`name \`${text}\` is not a file name`, "letters, digits, `.`, `_`, `-`");
  if (text.length > 64) throw new ValueError(`name is ${text.length} characters long; the limit is 64`);
  if (!NAME_RE.test(text)) throw new ValueError(`name \`${text}\` has characters other than letters, digits, \`.\`, \`_\`, \`-\``);
  return text;
}

/**
 * A relative path inside the build context, normalised (`./a//b` -> `a/b`).
 * Absolute paths and any `..` that leaves the context are refused; `..` that
 * stays inside is folded away.
 */
export function contextPath(text: string, what: string): string {
  if (text === "") throw new ValueError(`${what} is empty`);
  if (text.includes("\0")) throw new ValueError(`${what} \`${printable(text)}\` contains a NUL byte`);
  if (text.startsWith("/") || /^[A-Za-z]:[\\/]/.test(text)) {
    throw new ValueError(`${what} \`${text}\` is an absolute path`, "paths are relative to the build context");
  }
  if (text.includes("\\")) throw new ValueError(`${what} \`${text}\` contains a backslash`, "use `/` between directories");
  const parts: string[] = [];
  for (const part of text.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) throw new ValueError(`${what} \`${text}\` is outside the build context`, "only files inside the context can be used");
      parts.pop();
    } else parts.push(part);
  }
  if (parts.length === 0) throw new ValueError(`${what} \`${text}\` names the context itself`);
  return parts.join("/");
}

/** An absolute path inside the image, normalised; `..` may not climb above `/`. */
export function imagePath(text: string, what: string): string {
  if (!text.startsWith("/")) throw new ValueError(`${what} \`${text}\` is not absolute`, "start it with `/`");
  if (text.includes("\0")) throw new ValueError(`${what} contains a NUL byte`);
  const parts: string[] = [];
  for (const part of text.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) throw new ValueError(`${what} \`${text}\` escapes the image root`, "`..` cannot go above `/`");
      parts.pop();
    } else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/** Alpine package names (apk's syntax), optionally with a version constraint; never an option. */
export function checkPackage(text: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9+._-]*(?:(?:=|~|>=|<=|<|>|~=)[A-Za-z0-9+._-]+)?$/.test(text) || text.length > 128) {
    throw new ValueError(`invalid Alpine package name \`${printable(text)}\``, "names use letters, digits, `+`, `.`, `_`, `-` and start with a letter or digit, e.g. `zlib-static`");
  }
  return text;
}

/** A library for `-l`: `z`, `m`, `:libfoo.a`. */
export function checkLib(text: string): string {
  if (text.startsWith("-l")) throw new ValueError(`library \`${text}\` starts with -l`, `write \`${text.slice(2)}\`: speck adds the -l`);
  if (!/^:?[A-Za-z0-9_+][A-Za-z0-9_+.-]*$/.test(text)) throw new ValueError(`invalid library name \`${printable(text)}\``, "write the name without `lib` and `.a`, e.g. `z` for libz");
  return text;
}

/** A C identifier for `-D`. */
export function checkMacro(text: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) throw new ValueError(`invalid macro name \`${printable(text)}\``, "a C identifier: letters, digits and `_`, not starting with a digit");
  return text;
}

/** A docker image reference (`alpine:3.22`, `registry:5000/team/alpine@sha256:...`). */
export function checkImageRef(text: string): string {
  const component = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  const domain = "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::\\d+)?/)?";
  const re = new RegExp(`^${domain}${component}(?:/${component})*(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`);
  if (text.length > 255 || !re.test(text)) throw new ValueError(`invalid image reference \`${printable(text)}\``, "e.g. `alpine:3.22` or `alpine@sha256:<digest>`");
  return text;
}

/** Quotes control characters so a message stays on one line. */
export function printable(s: string): string {
  const short = s.length > 80 ? `${s.slice(0, 77)}...` : s;
  return JSON.stringify(short).slice(1, -1);
}
