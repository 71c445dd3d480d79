// What every language's planner shares: the Plan's types, its assembly, the
// target platforms and explain. Each language's own planner is in
// frontend/languages/<name>/.
export type { CompilePlan, Flag, ImageConfigPlan, ImageFilePlan, Plan, PlannedFlag, Platform, Profile, SysrootPlan, ToolchainPlan, UserFlagKey } from "./types.js";
export type { PlanParts } from "./plan.js";
export type { TargetPlatform } from "./targets.js";
export { assemblePlan, LINK_MAP, META_DIR, OUT_DIR, SRC_DIR, withImageFiles } from "./plan.js";
export { APK_INSTALLED_DB, sameMachine, SUPPORTED_ARCHITECTURES, sysrootOf, TARGET_PLATFORMS, targetOf } from "./targets.js";
export { explain } from "./explain.js";
