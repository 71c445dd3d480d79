// Hand-written samples in the formats speck reads (dpkg status and lists, a
// Debian machine-readable copyright file, apk's installed database, a GNU ld
// map), shaped like the real files of a Debian toolchain with musl-gcc and of
// Alpine, and an in-memory RootFs to serve them.

import type { RootFs } from "../root-fs.js";

export const DPKG_STATUS_TEXT = `Package: gcc-12
Status: install ok installed
Priority: optional
Section: devel
Maintainer: The GCC Team <gcc-team@example.org>
Architecture: amd64
Source: gcc-12 (12.2.0-14)
Version: 12.2.0-14
Description: GNU C compiler

Package: libgcc-12-dev
Status: install ok installed
Maintainer: The GCC Team <gcc-team@example.org>
Architecture: amd64
Multi-Arch: same
Source: gcc-12
Version: 12.2.0-14
Description: GCC support library (development files)

Package: musl-dev
Status: install ok installed
Maintainer: A Maintainer <maint@example.org>
Architecture: amd64
Multi-Arch: same
Source: musl
Version: 1.2.3-1
Description: standard C library development files
 musl is a C library.
 .
 This package contains the static library.
Homepage: https://musl.libc.org/

Package: old-tool
Status: deinstall ok config-files
Architecture: amd64
Version: 0.9-1
Description: removed, only its configuration is left

Package: zlib-musl-static
Status: install ok installed
Maintainer: speck test bed <root@localhost>
Architecture: amd64
Source: zlib
Version: 1:1.2.13.dfsg
Description: zlib for musl-gcc, static
`;

export const DEP5_COPYRIGHT = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: example

Files: *
Copyright: 2005-2020 Someone
License: MIT

Files: crt/*
Copyright: 2005-2014 Someone
License: public-domain
 These files are placed in the public domain.

Files: src/compat/*
Copyright: 2001 Another
License: GPL-2+ or BSD-3-clause

License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy
 of this software ...

License: BSD-3-clause
 Redistribution and use in source and binary forms ...
`;

export const FREE_FORM_COPYRIGHT = `This package was debianized by Someone on a Monday.

It was downloaded from somewhere. Copyright (C) 1999 The Authors.

License: see /usr/share/common-licenses/GPL-3.
`;

export const APK_INSTALLED_TEXT = `C:Q1aaaa=
P:musl
V:1.2.5-r10
A:x86_64
S:400000
I:700000
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:A Packager <packager@example.org>
F:lib
R:ld-musl-x86_64.so.1
R:libc.musl-x86_64.so.1

C:Q1bbbb=
P:musl-dev
V:1.2.5-r10
A:x86_64
L:MIT
o:musl
m:A Packager <packager@example.org>
F:usr/lib
R:Scrt1.o
R:crti.o
R:crtn.o
R:libc.a

C:Q1cccc=
P:zlib-static
V:1.3.1-r2
A:x86_64
L:Zlib
o:zlib
F:usr/lib
R:libz.a

C:Q1dddd=
P:oldstyle
V:1.0-r0
A:x86_64
L:GPL2+ BSD
o:oldstyle
`;

/** The shape of `gcc -static -Wl,-Map=...` output from GNU ld 2.40, cut down. */
export const GNU_LINK_MAP = `Archive member included to satisfy reference by file (symbol)

/usr/lib/x86_64-linux-musl/libc.a(__libc_start_main.lo)
                              /usr/lib/x86_64-linux-musl/Scrt1.o (__libc_start_main)
/usr/lib/x86_64-linux-musl/libc.a(exit.lo)
                              /usr/lib/x86_64-linux-musl/libc.a(__libc_start_main.lo) (exit)
/usr/lib/gcc/x86_64-linux-gnu/12/../../../x86_64-linux-musl/libz.a(crc32.o)
                              /tmp/ccAZqqhV.o (crc32)

Discarded input sections

 .text          0x0000000000000000        0x0 /usr/lib/x86_64-linux-musl/Scrt1.o

Memory Configuration

Name             Origin             Length             Attributes
*default*        0x0000000000000000 0xffffffffffffffff

Linker script and memory map

LOAD /usr/lib/x86_64-linux-musl/Scrt1.o
LOAD /usr/lib/x86_64-linux-musl/crti.o
LOAD /usr/lib/gcc/x86_64-linux-gnu/12/crtbeginS.o
LOAD /tmp/ccAZqqhV.o
START GROUP
LOAD /usr/lib/gcc/x86_64-linux-gnu/12/libgcc.a
LOAD /usr/lib/gcc/x86_64-linux-gnu/12/libgcc_eh.a
LOAD /usr/lib/x86_64-linux-musl/libc.a
END GROUP
LOAD /usr/lib/gcc/x86_64-linux-gnu/12/crtendS.o
LOAD /lib/x86_64-linux-musl/crtn.o
 .text          0x0000000000401000       0x2a /usr/lib/x86_64-linux-musl/libc.a(exit.lo)
`;

/** LLVM lld's map (`ld.lld -Map`): one line per input section. */
export const LLD_LINK_MAP = `             VMA              LMA     Size Align Out     In      Symbol
          2002a8           2002a8       1c     8 .rela.plt
          2012c0           2012c0       34    16 .text
          2012c0           2012c0       22     1         /usr/lib/crt1.o:(.text)
          2012e4           2012e4       10     4         /tmp/main-1234.o:(.text.main)
          2012f4           2012f4       30     4         /usr/lib/libc.a(printf.o):(.text.printf)
`;

/** Files and symbolic links in memory, as a RootFs; `bulk` adds readMany (counted in `bulkReads`). */
export function memoryFs(files: Readonly<Record<string, string>>, links: Readonly<Record<string, string>> = {}, bulk = false): RootFs & { reads: string[]; bulkReads: number } {
  const reads: string[] = [];
  const encode = (path: string): Uint8Array | undefined => {
    const text = files[path];
    return text === undefined ? undefined : new TextEncoder().encode(text);
  };
  const fs: RootFs & { reads: string[]; bulkReads: number } = {
    reads,
    bulkReads: 0,
    readFile: (path) => {
      reads.push(path);
      return Promise.resolve(encode(path));
    },
    readLink: (path) => Promise.resolve(links[path]),
  };
  if (bulk) {
    fs.readMany = (paths) => {
      fs.bulkReads++;
      return Promise.resolve(new Map(paths.flatMap((p) => (encode(p) ? [[p, encode(p) as Uint8Array] as const] : []))));
    };
  }
  return fs;
}
