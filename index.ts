// The Pulumi program: read and validate the stack configuration, build the estate, export outputs.
import { loadEstateConfig } from "./stacks/config/estateConfig";
import { buildEstate } from "./stacks/estate";

const { outputs } = buildEstate(loadEstateConfig());

export const environment = outputs.environment;
export const centralAccountId = outputs.centralAccountId;
export const centralRegion = outputs.centralRegion;
export const accounts = outputs.accounts;
export const patchGroups = outputs.patchGroups;
export const azureSubscriptions = outputs.azureSubscriptions;
export const administrationRoleArn = outputs.aws.administrationRoleArn;
export const memberAccounts = outputs.aws.accounts;
export const regions = outputs.aws.regions;
export const inventoryBucketName = outputs.data.inventoryBucketName;
export const locations = outputs.data.locations;
export const runbooks = outputs.automation.documents;
export const privateConnectivity = outputs.connectivity.locations;
export const scheduleGroupName = outputs.automation.scheduleGroupName;
export const schedules = outputs.automation.scheduleArns;
export const complianceAlertTopicArn = outputs.notifications.complianceAlertTopicArn;
export const ssmRoleEnforcers = outputs.enforcer.functions;
export const reporting = outputs.reporting;
export const hybridActivationIds = outputs.azure.activationIds;
export const hybridHome = outputs.azure.hybridHome;
export const hybridRegistrationTopicArn = outputs.azure.registrationAlertTopicArn;
export const patchRunTopicArn = outputs.notifications.patchRunTopicArn;
