import { describe, expect, it } from "vitest";
import { closest } from "./suggest.js";
import { contextPath, imagePath, parseBudget, parseMode, parsePort, parseSignal, parseUser, ValueError } from "./values.js";

describe("values", () => {
  it("budget: bytes, 1024-based KiB/MiB, 1000-based kB/MB", () => {
    expect(parseBudget("13400")).toBe(13_400);
    expect(parseBudget("16KiB")).toBe(16_384);
    expect(parseBudget("1.5MB")).toBe(1_500_000);
    expect(parseBudget("1.5MiB")).toBe(1_572_864);
    expect(parseBudget("2 kB")).toBe(2_000);
    for (const bad of ["", "16kb", "-1", "1e3", "0.1B", "KiB", "16 KiBs"]) expect(() => parseBudget(bad), bad).toThrow(ValueError);
  });

  it("user: numeric uid or uid:gid, normalised", () => {
    expect(parseUser("0")).toBe("0");
    expect(parseUser("007:010")).toBe("7:10");
    for (const bad of ["nobody", "1000:staff", "1:2:3", "-1", "4294967295", ""]) expect(() => parseUser(bad), bad).toThrow(ValueError);
  });

  it("ports, signals and modes", () => {
    expect([parsePort("8080"), parsePort("53/UDP"), parsePort("9/sctp")]).toEqual(["8080/tcp", "53/udp", "9/sctp"]);
    for (const bad of ["0", "65536", "80/http", "http", "8080/"]) expect(() => parsePort(bad), bad).toThrow(ValueError);
    expect([parseSignal("SIGTERM"), parseSignal("term"), parseSignal("15"), parseSignal("34")]).toEqual(["SIGTERM", "SIGTERM", "SIGTERM", "34"]);
    for (const bad of ["SIGFOO", "0", "65", ""]) expect(() => parseSignal(bad), bad).toThrow(ValueError);
    expect([parseMode("0644"), parseMode("755"), parseMode("0o600"), parseMode("7777")]).toEqual([0o644, 0o755, 0o600, 0o7777]);
    for (const bad of ["0999", "10000", "rw-r--r--", "", "0x1ff"]) expect(() => parseMode(bad), bad).toThrow(ValueError);
  });

  it("context paths stay inside the context; image paths inside the root", () => {
    expect(contextPath("./src//a/../b.c", "source")).toBe("src/b.c");
    for (const bad of ["../a.c", "a/../../b.c", "/a.c", "C:\\a.c", ".", ""]) expect(() => contextPath(bad, "source"), bad).toThrow(ValueError);
    expect(imagePath("/etc/./x/../app.conf", "dest")).toBe("/etc/app.conf");
    for (const bad of ["etc/x", "/../x", "/a/../../x"]) expect(() => imagePath(bad, "dest"), bad).toThrow(ValueError);
  });

  it("suggests only plausible typos", () => {
    expect(closest("sorces", ["sources", "name"])).toBe("sources");
    expect(closest("CFLAGS", ["cflags", "ldflags"])).toBe("cflags");
    expect(closest("zzz", ["sources", "name"])).toBeUndefined();
  });
});
