// `speck explain` for any plan: the shared text (plan/explain.ts) with the
// lines of the language that made the plan.

import { explain } from "../plan/explain.js";
import type { Plan } from "../plan/types.js";
import { languageSupport } from "./registry.js";

export function explainPlan(plan: Plan): string {
  const language = languageSupport(plan.language);
  return explain(plan, { title: language.title(plan.language), ...language.explain(plan) });
}
