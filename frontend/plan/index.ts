// The planner: Spec -> Plan (toolchain, compiler argv, context files, image config).
export type { CompilePlan, GoModules, GoPlan, ImageConfigPlan, ImageFilePlan, Plan, PlannedFlag, Platform, ToolchainPlan } from "./types.js";
export type { Flag, Profile } from "./profiles.js";
export type { PlanOptions } from "./plan.js";
export type { CompilerChoice, SysrootPlan } from "./compiler.js";
export type { Target } from "./targets.js";
export { contextPatterns, plan, planToolchain, SRC_DIR, OUT_DIR } from "./plan.js";
export { chooseCompiler, driverArgv } from "./compiler.js";
export { APK_INSTALLED_DB, SUPPORTED_ARCHITECTURES, sysrootOf, TARGETS, targetOf } from "./targets.js";
export { PROFILES, profileFlags } from "./profiles.js";
export { explain } from "./explain.js";
export type { GoMod, GoRequire } from "./go-mod.js";
export { compareGoVersions, escapeModulePath, goModFile, parseGoMod } from "./go-mod.js";
export type { GoModuleSupply, GoPlanOptions } from "./go.js";
export { checkPackageClauses, GO_BUILD_CACHE, GO_MOD_CACHE, GO_PROXY_DIR, goContextPatterns, mainPackageFiles, moduleEvidence, noGoMod, packageClause, planGo } from "./go.js";
export { GO_PROFILES } from "./go-profiles.js";
export type { CompileMode, LinkPlan, ScanPlan, UnitGraphPlan, UnitPlan } from "./units.js";
export { compileMode, MIN_UNITS, SCAN_CHUNK, DEPS_DIR, DEPS_FILE, OBJ_DIR, parseDepfile, planScans, planUnits, unitReads } from "./units.js";
