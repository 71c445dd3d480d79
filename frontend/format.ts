// Numbers as users read them in progress lines, labels and errors.
//
// Not toLocaleString("en-US"): its first call loads ICU's number formatting,
// about 11 ms, and the size report is on the path of every build. The output
// also cannot vary with how Node was built (small-icu, no Intl).

/** `13304` -> `13,304`; integers only, as byte counts are. */
export function groupThousands(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  const digits = String(Math.abs(n));
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits[i];
  }
  return n < 0 ? `-${out}` : out;
}
