// The planner: Spec -> Plan (toolchain, compiler argv, context files, image config).
export type { CompilePlan, ImageConfigPlan, ImageFilePlan, Plan, PlannedFlag, Platform, ToolchainPlan } from "./types.js";
export type { Flag, Profile } from "./profiles.js";
export type { PlanOptions } from "./plan.js";
export { contextPatterns, plan, planToolchain, SRC_DIR, OUT_DIR, SUPPORTED_ARCHITECTURES } from "./plan.js";
export { PROFILES, profileFlags } from "./profiles.js";
export { explain } from "./explain.js";
export type { CompileMode, LinkPlan, ScanPlan, UnitGraphPlan, UnitPlan } from "./units.js";
export { compileMode, MIN_UNITS, SCAN_CHUNK, DEPS_DIR, DEPS_FILE, driverFor, OBJ_DIR, parseDepfile, planScans, planUnits, sourceLanguage, unitReads } from "./units.js";
