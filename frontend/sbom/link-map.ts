// What a link really put into the binary, read from the linker's map file
// (`-Wl,-Map=FILE`). Both GNU ld and LLVM lld write one:
//
//   GNU ld: "Archive member included to satisfy reference by file (symbol)"
//           lists `/usr/lib/x86_64-linux-musl/libc.a(printf.o)` for every
//           member taken from an archive; `LOAD /path/crt1.o` lines name every
//           input, archives included whether or not a member was taken.
//   lld:    one line per input section, `/path/libc.a(printf.o):(.text)` or
//           `/path/crt1.o:(.text)`.
//
// So: an archive counts when one of its members appears; an object file
// counts when it is loaded (objects are linked whole). Compiler temporaries
// (the program's own objects) are not anyone's package and are dropped later.

export interface LinkedInputs {
  /** Archive path -> the members taken from it (sorted). */
  readonly archives: ReadonlyMap<string, readonly string[]>;
  /** Object files linked whole (crt1.o, crtbeginT.o, ...). */
  readonly objects: readonly string[];
}

const ARCHIVE_MEMBER = /(\/[^\s()]+?\.a)\(([^()\s]+)\)/g;
const GNU_LOAD = /^LOAD\s+(\/\S+\.o)\s*$/;
const LLD_OBJECT = /^\s*\S+\s+\S+\s+\S+\s+\S+\s+(\/[^\s()]+\.o):\(/;

export function parseLinkMap(text: string): LinkedInputs {
  const archives = new Map<string, Set<string>>();
  const objects = new Set<string>();
  for (const line of text.split("\n")) {
    for (const m of line.matchAll(ARCHIVE_MEMBER)) {
      const [, archive = "", member = ""] = m;
      let members = archives.get(archive);
      if (!members) archives.set(archive, (members = new Set()));
      members.add(member);
    }
    const load = GNU_LOAD.exec(line) ?? LLD_OBJECT.exec(line);
    if (load?.[1] !== undefined) objects.add(load[1]);
  }
  return {
    archives: new Map([...archives].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, [...v].sort()])),
    objects: [...objects].sort(),
  };
}
