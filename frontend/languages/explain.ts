// `speck explain` for any plan: the shared text (plan/explain.ts) with the
// lines of the language that made the plan.

import { explain } from "../plan/explain.js";
import type { Plan } from "../plan/types.js";
import { DEFAULT_NETWORK, describeNetwork, type NetworkSettings } from "../pipeline/network.js";
import { languageSupport } from "./registry.js";

/** The plan in words; `network` is what the ops that download get (`--network`, the proxy build args). */
export function explainPlan(plan: Plan, network: NetworkSettings = DEFAULT_NETWORK): string {
  const language = languageSupport(plan.language);
  return explain(plan, { title: language.title(plan.language), network: describeNetwork(network), ...language.explain(plan, network) });
}
