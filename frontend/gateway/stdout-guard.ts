// In gateway mode stdout carries the HTTP/2 stream: one stray byte breaks the
// build. Importing this module (first, from run.ts) sends console.log/info/debug
// to stderr before any other module body runs.
import { format } from "node:util";

const toStderr = (...args: unknown[]): void => {
  process.stderr.write(`${format(...args)}\n`);
};
console.log = toStderr;
console.info = toStderr;
console.debug = toStderr;
