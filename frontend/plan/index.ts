// The planner: Spec -> Plan (toolchain, compiler argv, context files, image config).
export type { CompilePlan, ImageConfigPlan, ImageFilePlan, Plan, PlannedFlag, Platform, ToolchainPlan } from "./types.js";
export type { Flag, Profile } from "./profiles.js";
export type { PlanOptions } from "./plan.js";
export type { CompilerChoice, SysrootPlan } from "./compiler.js";
export type { Target } from "./targets.js";
export { contextPatterns, plan, planToolchain, SRC_DIR, OUT_DIR } from "./plan.js";
export { chooseCompiler, driverArgv } from "./compiler.js";
export { APK_INSTALLED_DB, SUPPORTED_ARCHITECTURES, sysrootOf, TARGETS, targetOf } from "./targets.js";
export { PROFILES, profileFlags } from "./profiles.js";
export { explain } from "./explain.js";
