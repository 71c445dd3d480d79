// Types of identity.mjs (a plain Node script, so that bundle.mjs runs without a TypeScript loader).
export declare const UNKNOWN: "unknown";
export interface Identity {
  readonly version: string;
  readonly revision: string;
  readonly source: string;
}
export declare function speckIdentity(root: string, env?: Readonly<Record<string, string | undefined>>): Identity;
export declare function httpsUrl(remote: string | undefined): string | undefined;
