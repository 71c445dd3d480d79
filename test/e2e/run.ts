// Runs a program (argv, never a shell string) and captures its output, with a timeout.
import { spawn } from "node:child_process";

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Kill the process (SIGKILL) after this many milliseconds. Default: 10 minutes. */
  readonly timeoutMs?: number;
  /** Written to the process's stdin, which is then closed. */
  readonly input?: string | Uint8Array;
  /** When false, a non-zero exit resolves instead of throwing. Default: true. */
  readonly check?: boolean;
}

export interface RunResult {
  readonly argv: readonly string[];
  /** Exit code, or null when killed by a signal (including the timeout). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** A program that failed; the message carries its command line and the tail of its stderr. */
export class RunError extends Error {
  override readonly name = "RunError";
  constructor(readonly result: RunResult) {
    const why = result.timedOut ? "timed out" : `exited with ${result.code ?? "a signal"}`;
    const tail = (result.stderr || result.stdout).trimEnd().split("\n").slice(-40).join("\n");
    super(`${result.argv.join(" ")} ${why}\n${tail}`);
  }
}

export function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new TypeError("run: empty argv");
  const timeoutMs = opts.timeoutMs ?? 600_000;
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (b: Buffer) => out.push(b));
    child.stderr?.on("data", (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const result: RunResult = {
        argv,
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        timedOut,
      };
      if (opts.check !== false && code !== 0) reject(new RunError(result));
      else resolve(result);
    });
  });
}
