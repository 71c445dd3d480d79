// Which processes belong to one test daemon: dockerd, its containerd and the
// shims and runc children under them. Used to prove that no frontend (node)
// process outlives its build. Other daemons on the machine (other test beds)
// are not ours and are never looked at.

import { readdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Daemon } from "./daemon.js";

export interface Proc {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  readonly cmdline: string;
}

function readProc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm is in parentheses and may itself hold spaces or parentheses.
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const ppid = Number(stat.slice(close + 2).split(" ")[1]);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    return { pid, ppid, comm, cmdline };
  } catch {
    return undefined; // exited while we looked
  }
}

export function allProcs(): Proc[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is Proc => p !== undefined);
}

/** The daemon's state directory (where docker.sock lives), from its DOCKER_HOST. */
export function daemonDir(daemon: Daemon): string {
  return dirname(daemon.dockerHost.replace(/^unix:\/\//, ""));
}

/**
 * Every process under this daemon: descendants of dockerd (BuildKit's runc
 * executor runs frontends as its children) and of any process whose command
 * line names the daemon's directory (containerd and its shims, which are
 * re-parented to init).
 */
export function daemonTree(daemon: Daemon): Proc[] {
  const dir = daemonDir(daemon);
  const dockerd = dockerdPid(daemon);
  if (dockerd === undefined) throw new Error(`cannot see the processes of ${daemon.name}: no running dockerd.pid in ${dir}`);
  const procs = allProcs();
  const roots = new Set(procs.filter((p) => p.pid === dockerd || p.cmdline.includes(dir)).map((p) => p.pid));
  const children = new Map<number, Proc[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: Proc[] = [];
  const queue = [...roots];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const p = procs.find((q) => q.pid === pid);
    if (p) out.push(p);
    for (const c of children.get(pid) ?? []) queue.push(c.pid);
  }
  return out;
}

/** The test bed's dockerd pid for `daemon`, when it runs on this machine (undefined otherwise). */
export function dockerdPid(daemon: Daemon): number | undefined {
  try {
    const pid = Number(readFileSync(`${daemonDir(daemon)}/dockerd.pid`, "utf8").trim());
    return readProc(pid)?.comm === "dockerd" ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether this machine can see the daemon's processes (a test-bed daemon, not a remote one). */
export function canSeeProcesses(daemon: Daemon): boolean {
  return dockerdPid(daemon) !== undefined;
}

/** Node processes (speck frontends) running under the daemon. */
export function frontendProcs(daemon: Daemon): Proc[] {
  return daemonTree(daemon).filter((p) => p.comm === "node" || /\bspeck\b.*\bfrontend\b/.test(p.cmdline));
}

/**
 * Waits until no frontend runs under the daemon; returns how long that took (ms), or throws after
 * `timeoutMs`. On a daemon whose processes this machine cannot see, returns -1 without checking
 * (callers that exist only for this check skip themselves with canSeeProcesses instead).
 */
export async function waitNoFrontend(daemon: Daemon, timeoutMs = 5_000): Promise<number> {
  if (!canSeeProcesses(daemon)) return -1;
  const t0 = performance.now();
  for (;;) {
    const left = frontendProcs(daemon);
    if (left.length === 0) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs) {
      throw new Error(`frontend processes still running ${timeoutMs} ms later:\n${left.map((p) => `${p.pid} ${p.cmdline}`).join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
