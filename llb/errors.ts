// One error class for everything the builder refuses. It is thrown at the call
// that made the mistake (not later at marshal time), and its message names the
// problem, so a stack trace is never needed to understand it.

export type LlbErrorCode =
  /** An image reference that does not parse as a Docker reference. */
  | "INVALID_REFERENCE"
  /** An output asked of a mount that has none (cache, tmpfs, secret, ssh, read-only). */
  | "MOUNT_HAS_NO_OUTPUT"
  /** getMount() of a path that is not mounted. */
  | "NO_SUCH_MOUNT"
  /** A relative path where the state has no working directory to resolve it against. */
  | "RELATIVE_PATH_WITHOUT_CWD"
  /** marshal() of scratch: there is nothing to build. */
  | "EMPTY_DEFINITION"
  /** An op needs an LLB cap the daemon does not support. */
  | "CAP_NOT_SUPPORTED"
  /** Bytes that are not a usable pb.Definition. */
  | "INVALID_DEFINITION"
  /** Any other argument the builder cannot turn into valid LLB. */
  | "INVALID_ARGUMENT";

export class LlbError extends Error {
  override readonly name = "LlbError";
  readonly code: LlbErrorCode;

  constructor(code: LlbErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function invalidArgument(message: string): LlbError {
  return new LlbError("INVALID_ARGUMENT", message);
}
