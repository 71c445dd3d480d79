// LLB capability IDs (BuildKit solver/pb/caps.go) that ops declare in their
// OpMetadata.caps. The daemon rejects an op declaring a cap it lacks, which is
// far better than an old daemon silently skipping a field it does not know.

export const Caps = {
  sourceImage: "source.image",
  sourceImageResolveMode: "source.image.resolvemode",
  sourceImageLayerLimit: "source.image.layerlimit",
  sourceImageChecksum: "source.image.checksum",
  sourceLocal: "source.local",
  sourceLocalUnique: "source.local.unique",
  sourceLocalSessionID: "source.local.sessionid",
  sourceLocalIncludePatterns: "source.local.includepatterns",
  sourceLocalFollowPaths: "source.local.followpaths",
  sourceLocalExcludePatterns: "source.local.excludepatterns",
  sourceLocalSharedKeyHint: "source.local.sharedkeyhint",
  sourceLocalDiffer: "source.local.differ",
  sourceGit: "source.git",
  sourceGitKeepDir: "source.git.keepgitdir",
  sourceGitFullURL: "source.git.fullurl",
  sourceGitHTTPAuth: "source.git.httpauth",
  sourceGitKnownSSHHosts: "source.git.knownsshhosts",
  sourceGitMountSSHSock: "source.git.mountsshsock",
  sourceGitSubdir: "source.git.subdir",
  sourceGitChecksum: "source.git.checksum",
  sourceGitSkipSubmodules: "source.git.skipsubmodules",
  sourceHTTP: "source.http",
  sourceHTTPChecksum: "source.http.checksum",
  sourceHTTPPerm: "source.http.perm",
  // The typo is BuildKit's real cap ID.
  sourceHTTPUIDGID: "soruce.http.uidgid",
  sourceHTTPAuth: "source.http.auth",
  sourceHTTPHeader: "source.http.header",
  execMetaBase: "exec.meta.base",
  execMetaCgroupParent: "exec.meta.cgroup.parent",
  execMetaNetwork: "exec.meta.network",
  execMetaProxy: "exec.meta.proxyenv",
  execMetaSecurity: "exec.meta.security",
  execMetaUlimit: "exec.meta.ulimit",
  execMountBind: "exec.mount.bind",
  execMountCache: "exec.mount.cache",
  execMountCacheSharing: "exec.mount.cache.sharing",
  execMountSelector: "exec.mount.selector",
  execMountTmpfs: "exec.mount.tmpfs",
  execMountTmpfsSize: "exec.mount.tmpfs.size",
  execMountSecret: "exec.mount.secret",
  execMountSSH: "exec.mount.ssh",
  execSecretEnv: "exec.secretenv",
  execValidExitCode: "exec.validexitcode",
  fileBase: "file.base",
  fileRmWildcard: "file.rm.wildcard",
  fileCopyIncludeExcludePatterns: "file.copy.includeexcludepatterns",
  fileCopyAlwaysReplaceExistingDestPaths: "file.copy.alwaysreplaceexistingdestpaths",
  fileCopyModeString: "file.copy.modestring",
  fileSymlinkCreate: "file.symlink.create",
  constraints: "constraints",
  platform: "platform",
  metaIgnoreCache: "meta.ignorecache",
  metaDescription: "meta.description",
  metaExportCache: "meta.exportcache",
  mergeOp: "mergeop",
  diffOp: "diffop",
} as const;

export type CapID = (typeof Caps)[keyof typeof Caps];

/** A trie over cap IDs in order: looking a list up allocates nothing. */
interface InternNode {
  readonly next: Map<string, InternNode>;
  list: readonly string[] | undefined;
}
const internRoot: InternNode = { next: new Map(), list: undefined };

/**
 * One frozen array per distinct cap set (duplicates dropped, first occurrence
 * kept): thousands of ops share a handful of sets, and every retained array
 * is work for the garbage collector. Called once per op, so a hit must not
 * allocate (no Set, no joined key).
 */
export function internCaps(caps: Iterable<string>): readonly string[] {
  const list = Array.isArray(caps) ? (caps as readonly string[]) : [...caps];
  let node = internRoot;
  for (let i = 0; i < list.length; i++) {
    const c = list[i] as string;
    if (list.indexOf(c) < i) continue; // a duplicate
    let child = node.next.get(c);
    if (child === undefined) node.next.set(c, (child = { next: new Map(), list: undefined }));
    node = child;
  }
  if (node.list === undefined) node.list = Object.freeze([...new Set(list)]);
  return node.list;
}
