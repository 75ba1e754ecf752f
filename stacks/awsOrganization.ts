import type * as pulumi from "@pulumi/pulumi";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { roleArn } from "../components/identity/iamDocuments";
import type { DeploymentRoleRef } from "../components/identity/boundaryDocuments";
import type { BaselinePatchGroup } from "../components/baselines/patchBaselines";
import { MemberStackSets, type StackSetTarget } from "../components/organization/stackSets";
import { OrganizationArtifacts } from "../components/organization/organizationArtifacts";
import { lambdaBundle, lambdaEntry } from "../components/assets/lambdaBundle";
import { SSM_ROLE_ENFORCER_DEFAULTS } from "../components/enforcer/ssmRoleEnforcer";
import { ENFORCER_CODE_KEY_PLACEHOLDER, type TemplateContext } from "../components/organization/templates";
import { remediationRateControl } from "./awsCompliance";
import { dataSyncBucketName } from "../catalog/naming";
import { CONFIG_DELIVERY_PREFIX, type AwsDataOutputs } from "./awsData";
import type { AwsAccount, Estate, PatchGroup } from "./config/estateModel";

export interface AwsOrganizationOutputs {
    /** Present in organization mode only: the two StackSets' ids and template sizes. */
    readonly stackSets?: {
        readonly ids: Record<"account" | "regional", pulumi.Output<string>>;
        readonly templateBytes: Record<"account" | "regional", number>;
    };
}

/**
 * The deployment role as the boundary names it (`arn:aws:iam::<id>:role<path><name>` → path and
 * name): every account's deployment role has the same name and path (deploymentRoleName).
 */
export function deploymentRoleRef(deploymentRoleArn: string): DeploymentRoleRef {
    const match = /^arn:aws[\w-]*:iam::\d{12}:role(\/(?:[^/]+\/)*)([^/]+)$/.exec(deploymentRoleArn);
    if (match === null) {
        throw new Error(`deployment role ARN "${deploymentRoleArn}" is not an IAM role ARN`);
    }
    return match[1] === "/" ? { roleName: match[2] } : { roleName: match[2], rolePath: match[1] };
}

/**
 * The member-side template context for the given Regions and patch groups: exactly the values
 * stacks/awsCore.ts and stacks/awsData.ts hand a member account's components in
 * configured-accounts mode (so a template renders the same documents), minus the account id and
 * Region, which the StackSet stacks take from their pseudo parameters.
 */
export function templateContext(
    estate: Estate,
    scope: { readonly regions: readonly string[]; readonly patchGroups: readonly PatchGroup[]; readonly dataSyncKmsKeyArn?: string; readonly enforcerCodeS3Key?: string },
): TemplateContext {
    const patchGroups: BaselinePatchGroup[] = scope.patchGroups.map((group) => ({ ...group, approveAfterDays: group.approveAfterDays[estate.environment] }));
    const { remediation } = estate.compliance;
    const { enforcer } = estate;
    return {
        project: estate.project,
        environment: estate.environment,
        patchGroupTagKey: estate.patchGroupTagKey,
        administrationRoleName: estate.automationAdministrationRoleName,
        administrationRoleArn: roleArn(estate.central.account.id, estate.automationAdministrationRoleName),
        executionRoleName: estate.automationExecutionRoleName,
        ebsKmsKeyArns: estate.ebsKmsKeyArns,
        regions: scope.regions,
        deploymentRoles: [deploymentRoleRef(estate.central.account.deploymentRoleArn)],
        patchGroups,
        logStorage: estate.logStorage,
        inventory: {
            schedule: estate.inventory.schedule,
            maxConcurrency: estate.inventory.maxConcurrency,
            maxErrors: estate.inventory.maxErrors,
            dataSyncPrefix: estate.inventory.dataSyncPrefix,
            dataSyncBucketName: dataSyncBucketName(estate.central.account.id, estate.central.region),
            dataSyncBucketRegion: estate.central.region,
            ...(scope.dataSyncKmsKeyArn === undefined ? {} : { dataSyncKmsKeyArn: scope.dataSyncKmsKeyArn }),
        },
        centralAccountId: estate.central.account.id,
        centralRegion: estate.central.region,
        compliance: {
            ...(estate.compliance.configRecorder ? { configDeliveryPrefix: CONFIG_DELIVERY_PREFIX } : {}),
            ...(remediation === undefined
                ? {}
                : {
                      remediation: {
                          mode: remediation.mode,
                          ...(remediation.rebootOption === undefined ? {} : { rebootOption: remediation.rebootOption }),
                          maximumAutomaticAttempts: remediation.maximumAutomaticAttempts,
                          retryAttemptSeconds: remediation.retryAttemptSeconds,
                          // As stacks/awsCompliance.ts: the strictest of the groups patched where the template goes.
                          ...remediationRateControl(scope.patchGroups),
                      },
                  }),
        },
        notifySuccess: estate.notifications.patchRunSuccess,
        ...(enforcer.enabled
            ? {
                  enforcer: {
                      optOutTagKey: enforcer.optOutTagKey,
                      instanceRoleTagKey: enforcer.instanceRoleTagKey,
                      ...(enforcer.instanceRolePath === undefined ? {} : { instanceRolePath: enforcer.instanceRolePath }),
                      schedule: enforcer.schedule,
                      attachLogWriter: estate.logAccess.enforcerAttach,
                      // The lead wires the published bundle's key; until then a name no build produces.
                      codeS3Key: scope.enforcerCodeS3Key ?? ENFORCER_CODE_KEY_PLACEHOLDER,
                  },
              }
            : {}),
    };
}

/** The patch groups that run in the organization (some OU target), in config order. */
export function organizationPatchGroups(estate: Estate): PatchGroup[] {
    return estate.patchGroups.filter((group) => (group.organizationTargets ?? []).length > 0);
}

/** Where the StackSets deploy: the organization targets as configured. */
export function stackSetTargets(estate: Estate): StackSetTarget[] {
    return (estate.organization?.targets ?? []).map((target) => ({ organizationalUnits: target.organizationalUnits, regions: target.regions, excludeAccounts: target.excludeAccounts }));
}

/** Every Region of every target, sorted (the node roles write to their log buckets in each). */
export function organizationRegions(estate: Estate): string[] {
    return [...new Set(stackSetTargets(estate).flatMap((target) => target.regions))].sort();
}

/**
 * Organization mode (issue 16): the member side as service-managed StackSets from the central
 * account, which must be the management account (callAs SELF) or a delegated administrator for
 * StackSets (callAs DELEGATED_ADMIN). Nothing in configured-accounts mode.
 */
export function buildAwsOrganization(estate: Estate, providerOf: (account: AwsAccount) => AwsProvider, data: AwsDataOutputs): AwsOrganizationOutputs {
    const { organization, organizationId } = estate;
    if (organization === undefined) {
        return {};
    }
    if (organizationId === undefined) {
        // The config refuses an organization block without an id; this guards the type only.
        throw new Error("organization: an id is required (organization.id or organizationId)");
    }
    const central = estate.central;
    const provider = providerOf(central.account);
    const artifacts = new OrganizationArtifacts(
        `${central.account.alias}-organization-artifacts`,
        {
            centralAccountId: central.account.id,
            organizationId,
            centralRegion: central.region,
            ...(estate.enforcer.enabled ? { enforcer: { code: lambdaBundle(lambdaEntry(SSM_ROLE_ENFORCER_DEFAULTS.entry)), regions: organizationRegions(estate) } } : {}),
            retention: estate.logStorage,
            protect: estate.environment === "prod",
        },
        { provider },
    );
    const stackSets = new MemberStackSets(
        `${central.account.alias}-member-stack-sets`,
        {
            region: central.region,
            callAs: organization.callAs,
            context: templateContext(estate, {
                regions: organizationRegions(estate),
                patchGroups: organizationPatchGroups(estate),
                ...(artifacts.enforcerCodeKey === undefined ? {} : { enforcerCodeS3Key: artifacts.enforcerCodeKey }),
            }),
            ...(data.inventoryKmsKeyArn === undefined ? {} : { dataSyncKmsKeyArn: data.inventoryKmsKeyArn }),
            targets: stackSetTargets(estate),
            // Configured accounts (central included) carry the member side under the same names already.
            configuredAccountIds: estate.accounts.map((account) => account.id),
            operationPreferences: organization.operationPreferences,
            templateBucketName: artifacts.bucketNames[central.region],
            instancesDependOn: artifacts.enforcerPackages,
        },
        { provider },
    );
    return { stackSets: { ids: stackSets.stackSetIds, templateBytes: stackSets.templateBytes } };
}
