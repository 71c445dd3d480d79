// License expressions from what package databases say, checked with
// spdx-expression-parse: a valid SPDX expression, or NOASSERTION. Nothing is
// guessed: a name with no SPDX identifier keeps its own text as a LicenseRef-.

import { createHash } from "node:crypto";
import parseSpdx from "spdx-expression-parse";
import { NOASSERTION } from "./spdx.js";
import type { PackageLicense } from "./types.js";

export const NO_LICENSE: PackageLicense = { expression: NOASSERTION, extracted: [] };

/** Whether `expression` is a valid SPDX license expression (clause D of the spec, via spdx-expression-parse). */
export function isSpdxExpression(expression: string): boolean {
  try {
    parseSpdx(expression);
    return true;
  } catch {
    return false;
  }
}

/** apk's `L:` field: Alpine writes SPDX expressions (`MIT AND BSD-2-Clause`); older packages may not. */
export function apkLicense(field: string | undefined): PackageLicense {
  const text = field?.trim() ?? "";
  if (text === "") return NO_LICENSE;
  // SPDX allows lower-case operators; some consumers do not, so they are written upper-case.
  for (const candidate of [text.replace(/ and /g, " AND ").replace(/ or /g, " OR ").replace(/ with /g, " WITH "), text]) {
    if (isSpdxExpression(candidate)) return { expression: candidate, extracted: [] };
  }
  return NO_LICENSE;
}

/**
 * Debian's short license names (copyright-format 1.0, "License specification")
 * that have an SPDX identifier. `+` after a versioned name means "or later".
 */
const DEBIAN_TO_SPDX: Readonly<Record<string, string>> = {
  "apache-2.0": "Apache-2.0",
  "artistic-2.0": "Artistic-2.0",
  "bsd-2-clause": "BSD-2-Clause",
  "bsd-3-clause": "BSD-3-Clause",
  "bsd-4-clause": "BSD-4-Clause",
  "cc0-1.0": "CC0-1.0",
  expat: "MIT",
  mit: "MIT",
  isc: "ISC",
  zlib: "Zlib",
  "mpl-1.1": "MPL-1.1",
  "mpl-2.0": "MPL-2.0",
  "gpl-1": "GPL-1.0",
  "gpl-2": "GPL-2.0",
  "gpl-3": "GPL-3.0",
  "lgpl-2": "LGPL-2.0",
  "lgpl-2.1": "LGPL-2.1",
  "lgpl-3": "LGPL-3.0",
  "agpl-3": "AGPL-3.0",
  "gfdl-1.2": "GFDL-1.2",
  "gfdl-1.3": "GFDL-1.3",
};

const VERSIONED_FAMILIES = new Set(["GPL-1.0", "GPL-2.0", "GPL-3.0", "LGPL-2.0", "LGPL-2.1", "LGPL-3.0", "AGPL-3.0", "GFDL-1.2", "GFDL-1.3"]);

/** One Debian short name -> an SPDX id, or undefined when SPDX has none. */
export function debianNameToSpdx(name: string): string | undefined {
  const trimmed = name.trim();
  const plus = trimmed.endsWith("+");
  let base = (plus ? trimmed.slice(0, -1) : trimmed).toLowerCase();
  // `GPL-2.0` is written for `GPL-2` too.
  const gpl = /^(gpl|lgpl|agpl)-(\d)\.0$/.exec(base);
  if (gpl) base = `${gpl[1]}-${gpl[2]}`;
  const id = DEBIAN_TO_SPDX[base];
  if (id === undefined) return spdxSpelled(trimmed);
  if (VERSIONED_FAMILIES.has(id)) return `${id}-${plus ? "or-later" : "only"}`;
  return plus ? undefined : id;
}

/**
 * copyright-format 1.0 asks for SPDX's names where SPDX has the license, so a
 * name spelled exactly as an SPDX license id (`CC-BY-3.0`, `Sleepycat`,
 * `X11`, with `+` for "or later") is that license.
 */
function spdxSpelled(name: string): string | undefined {
  if (!/^[A-Za-z0-9.-]+\+?$/.test(name) || name.startsWith("LicenseRef-") || name.startsWith("DocumentRef-")) return undefined;
  try {
    const parsed = parseSpdx(name);
    return "license" in parsed && parsed.exception === undefined ? name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A Debian machine-readable copyright file (copyright-format 1.0) -> the
 * package's declared license: every license its Files paragraphs name, joined
 * with AND. Names SPDX lacks (`public-domain`) become LicenseRef- ids carrying
 * the text the file gives for them; a file in the old free-form style, or a
 * name with no text anywhere, gives NOASSERTION.
 */
export function debianCopyrightLicense(text: string): PackageLicense {
  const paragraphs = parseDeb822(text);
  const header = paragraphs[0];
  if (!header || !/copyright-format\/1\.0/.test(header.get("format") ?? "")) return NO_LICENSE;
  // Stand-alone License paragraphs hold the texts that Files paragraphs name.
  const texts = new Map<string, string>();
  for (const p of paragraphs.slice(1)) {
    const lic = p.get("license");
    if (lic === undefined || p.has("files")) continue;
    const [name = "", ...body] = lic.split("\n");
    if (body.join("\n").trim() !== "") texts.set(name.trim().toLowerCase(), body.join("\n"));
  }
  const terms = new Set<string>();
  const extracted = new Map<string, { licenseId: string; name: string; text: string }>();
  for (const p of paragraphs.slice(1)) {
    const lic = p.get("license");
    if (lic === undefined || !p.has("files")) continue;
    const [first = "", ...body] = lic.split("\n");
    const inline = body.join("\n");
    for (const name of splitLicenseNames(first)) {
      const id = debianNameToSpdx(name);
      if (id !== undefined) {
        terms.add(id);
        continue;
      }
      const licenseText = inline.trim() !== "" ? inline : texts.get(name.toLowerCase());
      if (licenseText === undefined) return NO_LICENSE;
      const ref = licenseRef(name, licenseText);
      extracted.set(ref, { licenseId: ref, name, text: licenseText });
      terms.add(ref);
    }
  }
  if (terms.size === 0) return NO_LICENSE;
  const expression = [...terms].sort().join(" AND ");
  if (!isSpdxExpression(expression)) return NO_LICENSE;
  return { expression, extracted: [...extracted.values()].sort((a, b) => (a.licenseId < b.licenseId ? -1 : 1)) };
}

/**
 * `GPL-2+ or Artistic`, `MIT and BSD-3-clause`, `GPL-3+ with GCC-exception`:
 * every name the field combines. Choices (`or`) count as names too: the
 * declared license lists every license the package's files come under.
 */
function splitLicenseNames(field: string): string[] {
  const withoutExceptions = field.replace(/\s+with\s+\S+\s+exception/gi, "");
  return withoutExceptions
    .split(/\s+(?:or|and)\s+|,\s*/i)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** `LicenseRef-public-domain-1a2b3c4d`: the name for people, the hash so two different texts never share an id. */
function licenseRef(name: string, text: string): string {
  const slug = name.replace(/[^A-Za-z0-9.-]+/g, "-").replace(/^-+|-+$/g, "") || "license";
  return `LicenseRef-${slug}-${createHash("sha256").update(text).digest("hex").slice(0, 8)}`;
}

/**
 * Deb822 paragraphs (Debian's control-file syntax, also used by dpkg's status
 * file and copyright files): `Field: value`, continuation lines start with a
 * space, a line holding only ` .` is an empty line, paragraphs are separated
 * by blank lines. Field names are case-insensitive; kept lower-case here.
 */
export function parseDeb822(text: string): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  let current = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split("\n")) {
    if (line.trim() === "") {
      if (current.size > 0) out.push(current);
      current = new Map();
      last = undefined;
    } else if (line.startsWith("#")) {
      continue;
    } else if (/^[ \t]/.test(line)) {
      if (last === undefined) continue;
      const cont = line.trim() === "." ? "" : line.slice(1);
      current.set(last, `${current.get(last) ?? ""}\n${cont}`);
    } else {
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      last = line.slice(0, colon).toLowerCase();
      current.set(last, line.slice(colon + 1).trim());
    }
  }
  if (current.size > 0) out.push(current);
  return out;
}
