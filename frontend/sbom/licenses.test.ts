import { describe, expect, it } from "vitest";
import { apkLicense, debianCopyrightLicense, debianNameToSpdx, isSpdxExpression, parseDeb822 } from "./licenses.js";
import { DEP5_COPYRIGHT, FREE_FORM_COPYRIGHT } from "./testing/fixtures.js";

describe("licenses", () => {
  it("maps Debian short names to SPDX ids, `+` to or-later, and nothing else", () => {
    expect(debianNameToSpdx("GPL-2+")).toBe("GPL-2.0-or-later");
    expect(debianNameToSpdx("GPL-2")).toBe("GPL-2.0-only");
    expect(debianNameToSpdx("LGPL-2.1+")).toBe("LGPL-2.1-or-later");
    expect(debianNameToSpdx("GPL-3.0+")).toBe("GPL-3.0-or-later");
    expect(debianNameToSpdx("Expat")).toBe("MIT");
    expect(debianNameToSpdx("BSD-3-clause")).toBe("BSD-3-Clause");
    expect(debianNameToSpdx("Zlib")).toBe("Zlib");
    expect(debianNameToSpdx("public-domain")).toBeUndefined();
    // Spelled as SPDX spells it: that license (copyright-format asks for SPDX names where they exist).
    expect(debianNameToSpdx("CC-BY-3.0")).toBe("CC-BY-3.0");
    expect(debianNameToSpdx("Sleepycat")).toBe("Sleepycat");
    expect(debianNameToSpdx("GPL")).toBeUndefined();
    expect(debianNameToSpdx("permissive")).toBeUndefined();
    expect(debianNameToSpdx("MIT+")).toBeUndefined();
  });

  it("a machine-readable copyright file gives every license its files come under, texts kept for the rest", () => {
    const l = debianCopyrightLicense(DEP5_COPYRIGHT);
    expect(l.expression).toMatch(/^BSD-3-Clause AND GPL-2\.0-or-later AND LicenseRef-public-domain-[0-9a-f]{8} AND MIT$/);
    expect(isSpdxExpression(l.expression)).toBe(true);
    expect(l.extracted).toHaveLength(1);
    expect(l.extracted[0]?.name).toBe("public-domain");
    expect(l.extracted[0]?.text).toBe("These files are placed in the public domain.");
  });

  it("a free-form copyright file, or a name with no text anywhere, is NOASSERTION: nothing is guessed", () => {
    expect(debianCopyrightLicense(FREE_FORM_COPYRIGHT).expression).toBe("NOASSERTION");
    const noText = DEP5_COPYRIGHT.replace(" These files are placed in the public domain.\n", "");
    expect(debianCopyrightLicense(noText).expression).toBe("NOASSERTION");
  });

  it("apk's L: is used when it is an SPDX expression, else NOASSERTION", () => {
    expect(apkLicense("MIT AND BSD-2-Clause").expression).toBe("MIT AND BSD-2-Clause");
    expect(apkLicense("GPL-2.0-or-later and LGPL-2.1-or-later").expression).toBe("GPL-2.0-or-later AND LGPL-2.1-or-later");
    expect(apkLicense("GPL2+ BSD").expression).toBe("NOASSERTION");
    expect(apkLicense(undefined).expression).toBe("NOASSERTION");
  });

  it("reads deb822 paragraphs with continuation lines and the ` .` empty line", () => {
    const [p] = parseDeb822("Package: a\nDescription: one\n line two\n .\n line four\n");
    expect(p?.get("description")).toBe("one\nline two\n\nline four");
  });
});
