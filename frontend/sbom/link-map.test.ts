import { describe, expect, it } from "vitest";
import { parseLinkMap } from "./link-map.js";
import { GNU_LINK_MAP, LLD_LINK_MAP } from "./testing/fixtures.js";

describe("link map", () => {
  it("GNU ld: archives count only when a member was taken; loaded objects always count", () => {
    const linked = parseLinkMap(GNU_LINK_MAP);
    expect([...linked.archives]).toEqual([
      ["/usr/lib/gcc/x86_64-linux-gnu/12/../../../x86_64-linux-musl/libz.a", ["crc32.o"]],
      ["/usr/lib/x86_64-linux-musl/libc.a", ["__libc_start_main.lo", "exit.lo"]],
    ]);
    // libgcc.a and libgcc_eh.a were searched (LOAD) but gave nothing.
    expect(linked.objects).toEqual([
      "/lib/x86_64-linux-musl/crtn.o",
      "/tmp/ccAZqqhV.o",
      "/usr/lib/gcc/x86_64-linux-gnu/12/crtbeginS.o",
      "/usr/lib/gcc/x86_64-linux-gnu/12/crtendS.o",
      "/usr/lib/x86_64-linux-musl/Scrt1.o",
      "/usr/lib/x86_64-linux-musl/crti.o",
    ]);
  });

  it("lld: archive members and objects from the input-section lines", () => {
    const linked = parseLinkMap(LLD_LINK_MAP);
    expect([...linked.archives]).toEqual([["/usr/lib/libc.a", ["printf.o"]]]);
    expect(linked.objects).toEqual(["/tmp/main-1234.o", "/usr/lib/crt1.o"]);
  });

  it("an empty map links nothing", () => {
    expect(parseLinkMap("")).toEqual({ archives: new Map(), objects: [] });
  });
});
