// Stage 2 as the build runs it: one compiler run, or the unit graph shaped by
// a dependency scan (issue 12). The scan is one solve round trip before the
// graph exists; it is cached like any op, by the content of the context, so a
// build with nothing changed pays the round trip but runs nothing.

import { encodeDefinition, marshal, type Platform, type State } from "../../../llb/index.js";
import type { GatewayClient } from "../../gateway/index.js";
import type { Plan } from "../../plan/index.js";
import type { Context } from "../../pipeline/context.js";
import { compileOutputs, type CompileOutputs, type StageOptions } from "../../pipeline/stages.js";
import { compileMode, DEPS_FILE, planScans, planUnits, unitReads, type ScanPlan } from "./unit-plan.js";
import { linkOp, scanOp, unitOp } from "./unit-ops.js";

export async function compileStage(
  client: GatewayClient,
  toolchain: State,
  context: Context,
  plan: Plan,
  platform: Platform,
  platformId: string,
  opts: StageOptions,
): Promise<CompileOutputs> {
  if (compileMode(plan).kind === "single") return compileOutputs(toolchain, context.state, plan, platformId, opts);
  const runScans = async (scans: readonly ScanPlan[]) => {
    const states = scans.map((scan) => scanOp(toolchain, context.state, plan, scan, platformId, opts));
    const depfiles = await Promise.all(
      states.map(async (state) => {
        const { ref } = await client.solve({ definition: encodeDefinition(marshal(state, { platform })), evaluate: true });
        return new TextDecoder().decode(await client.readFile(ref, DEPS_FILE));
      }),
    );
    return { scans, states, depfiles };
  };
  // A chunked scan does not see the other chunks' sources: a source that
  // includes another listed source fails there. Then one scan over the whole
  // context decides (and reports a real compile error as the compiler's own).
  const { scans, states: scanned, depfiles } = await runScans(planScans(plan, context.files)).catch(() => runScans(planScans(plan, undefined)));
  // Rules that do not fit the sources leave `reads` undefined: every unit then
  // mounts the whole context, slower to cache but never stale.
  const graph = planUnits(plan, unitReads(scans, depfiles, plan.sources, context.files));
  const objects = graph.units.map((u, i) => unitOp(toolchain, context.state, plan, u, i, graph.units.length, platformId, opts));
  return linkOp(toolchain, context.state, scanned, objects, plan, graph.link, platformId, opts);
}
