/**
 * The policy modules by domain (exports only). The pack's entry file (index.ts) lists their
 * policies one by one; the offline plan runs every policy exported here, and a test checks that
 * the two agree.
 */
export * as storage from "./storage";
export * as iam from "./iam";
export * as principals from "./principals";
export * as patching from "./patching";
export * as network from "./network";
export * as azure from "./azure";
export * as stack from "./stack";
export * as rollout from "./rollout";
export * as exceptions from "./exceptions";
