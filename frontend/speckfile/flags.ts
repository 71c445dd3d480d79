// Flags that YAML split at their commas. In a `[...]` list a comma separates
// items, so `ldflags: [-Wl,-z,now]` is three flags, `-Wl`, `-z` and `now`, and
// the compiler's complaint about `-Wl` points nowhere useful. What can be known
// from the file is caught here, at the item's line and column:
// - a bare `-Wl`, `-Wa` or `-Wp` (their options follow after commas in the
//   same argument), with the items glued to it when YAML split them off;
// - an item that only makes sense as the rest of the previous one: unquoted,
//   no space after the comma, not an option or a path, after a flag that takes
//   no separate argument (`-fsanitize=address,undefined`, `-DV=1,2`);
// - `-Xlinker`, `-Xassembler` or `-Xpreprocessor` with no item after it.

import type { RawScalar } from "./read.js";

export interface FlagProblem {
  /** The item the message points at (where the split flag starts). */
  readonly item: RawScalar;
  readonly message: string;
  readonly hint: string;
}

/** The comma-joined pass-through flags, with the tool each one feeds and an option it might carry. */
const COMMA_FLAGS: Readonly<Record<string, readonly [tool: string, example: string]>> = {
  "-Wl": ["linker", "--gc-sections"],
  "-Wa": ["assembler", "--noexecstack"],
  "-Wp": ["preprocessor", "-DNDEBUG"],
};

/** The pass-through flags that take their option as the next argument. */
const NEXT_ARG_FLAGS: Readonly<Record<string, readonly [tool: string, example: string]>> = {
  "-Xlinker": ["linker", "--gc-sections"],
  "-Xassembler": ["assembler", "--noexecstack"],
  "-Xpreprocessor": ["preprocessor", "-DNDEBUG"],
};

/** Driver options whose value may be the next argument, so a bare word after one is that value. */
const TAKES_ARGUMENT = new Set([
  ...Object.keys(NEXT_ARG_FLAGS), "-z", "-x", "-L", "-I", "-D", "-U", "-l", "-u", "-T", "-e", "-B", "-include", "-imacros",
  "-isystem", "-idirafter", "-iquote", "-iprefix", "-iwithprefix", "-isysroot", "-MF", "-MT", "-MQ", "--param", "-aux-info",
]);

/** A bare word that is no option and no file: only the tail of a flag that had a comma in it. */
function isLeftover(item: RawScalar | undefined): boolean {
  return item?.glued === true && !item.text.startsWith("-") && !/[./]/.test(item.text);
}

export function splitFlagProblems(items: readonly RawScalar[]): FlagProblem[] {
  const problems: FlagProblem[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as RawScalar;
    const comma = COMMA_FLAGS[item.text];
    if (comma !== undefined) {
      let end = i + 1;
      while (items[end]?.glued) end++;
      if (end > i + 1) problems.push(split(items.slice(i, end)));
      else {
        problems.push({
          item,
          message: `\`${item.text}\` alone passes nothing to the ${comma[0]}`,
          hint: `write the ${comma[0]}'s options after it, joined by commas, in one item: \`"${item.text},${comma[1]}"\``,
        });
      }
      i = end - 1;
      continue;
    }
    const next = NEXT_ARG_FLAGS[item.text];
    if (next !== undefined && i === items.length - 1) {
      problems.push({
        item,
        message: `\`${item.text}\` needs the ${next[0]}'s option as the next item`,
        hint: `add it after \`${item.text}\`, e.g. \`${next[1]}\`, or drop \`${item.text}\``,
      });
      continue;
    }
    if (!TAKES_ARGUMENT.has(item.text) && isLeftover(items[i + 1])) {
      let end = i + 1;
      while (isLeftover(items[end])) end++;
      problems.push(split(items.slice(i, end)));
      i = end - 1;
    }
  }
  return problems;
}

function split(parts: readonly RawScalar[]): FlagProblem {
  const whole = parts.map((p) => p.text).join(",");
  const names = parts.map((p) => `\`${p.text}\``);
  return {
    item: parts[0] as RawScalar,
    message: `\`${whole}\` is split at its comma${parts.length > 2 ? "s" : ""}: in a \`[...]\` list YAML reads it as ${parts.length} flags, ${names.slice(0, -1).join(", ")} and ${names.at(-1)}`,
    hint: `quote it, \`"${whole}"\`, or write a block list with \`- ${whole}\` on a line of its own`,
  };
}
