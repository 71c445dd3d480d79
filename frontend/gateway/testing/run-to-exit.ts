// Runs the gateway runtime in-process until it would exit, and resolves with
// the exit code instead of ending the test process. `started` runs right after
// run() begins (tests attach the fake bridge to the pipes there).

import { run, type BuildFunction, type RunOptions } from "../run.js";

export function runToExit(build: BuildFunction, options: Omit<RunOptions, "exit">, started: () => void = () => undefined): Promise<number> {
  return new Promise<number>((resolve) => {
    void run(build, {
      ...options,
      exit: ((code: number) => {
        resolve(code);
        return undefined as never;
      }) as (code: number) => never,
    });
    started();
  });
}
