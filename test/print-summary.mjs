// Prints the robustness line of `.ci/run` (issue 5) from the counts the test
// suites wrote with test/summary.ts: node test/print-summary.mjs DIR
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
const total = {};
for (const f of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
  for (const [k, v] of Object.entries(JSON.parse(readFileSync(join(dir, f), "utf8")))) total[k] = (total[k] ?? 0) + v;
}
const n = (k) => (total[k] === undefined ? "none" : String(total[k]));
console.log(
  `robustness: ${n("badInputs")} bad inputs tried, ${n("fuzzCases")} fuzz cases run, ${n("faultsInjected")} faults injected, ` +
    `${n("buildsUnderLoad")} builds under load, ${n("containersStarted")} containers started, ${n("securityChecks")} security checks, ` +
    `${total.unexpected ?? 0} unexpected outcomes`,
);
