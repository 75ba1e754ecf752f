export * from "./automationAdministrationRole";
export * from "./automationExecutionRole";
export * from "./managedNodeRoles";
export * from "./patchBaselines";
export * from "./patchResourceGroups";
