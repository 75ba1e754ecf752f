import type * as pulumi from "@pulumi/pulumi";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { AutomationAdministrationRole } from "../components/identity/automationAdministrationRole";
import { AutomationExecutionRole } from "../components/identity/automationExecutionRole";
import { roleArn } from "../components/identity/iamDocuments";
import { ManagedNodeRoles } from "../components/identity/managedNodeRoles";
import { DefaultHostManagement } from "../components/identity/defaultHostManagement";
import { LOCATION_NAMES } from "../catalog/naming";
import { PatchBaselines } from "../components/baselines/patchBaselines";
import { PatchResourceGroups } from "../components/baselines/patchResourceGroups";
import { AUTOMATION_DOCUMENT_NAMES } from "../components/runbooks/patchAutomationDocuments";
import type { AwsAccount, Estate, PatchGroup } from "./config/estateModel";

/** Per-account and per-(account, Region) ids of the AWS core, for stack outputs. */
export interface AwsCoreOutputs {
    readonly administrationRoleArn: pulumi.Output<string>;
    readonly accounts: Record<string, { executionRoleArn: pulumi.Output<string>; instanceProfileName: pulumi.Output<string>; hybridRoleName: pulumi.Output<string>; logWriterPolicyArn: pulumi.Output<string> }>;
    readonly regions: Record<string, { baselineIds: Record<string, pulumi.Output<string>>; resourceGroupArns: Record<string, pulumi.Output<string>> }>;
}

/** The patch groups that cover an account. */
export function patchGroupsFor(estate: Estate, account: AwsAccount): PatchGroup[] {
    return estate.patchGroups.filter((group) => group.accounts.includes(account.alias));
}

/**
 * SPEC capabilities 1-4: automation roles (IAM, once per account), managed-node roles, patch
 * baselines + patch groups and resource groups (per member account × Region).
 */
export function buildAwsCore(estate: Estate, providerOf: (account: AwsAccount) => AwsProvider): AwsCoreOutputs {
    const central = estate.central.account;
    const administration = new AutomationAdministrationRole(
        `${central.alias}-automation-administration`,
        {
            roleName: estate.automationAdministrationRoleName,
            centralAccountId: central.id,
            executionRoleArns: estate.members.map((member) => roleArn(member.id, estate.automationExecutionRoleName)),
            // Organization mode: OU targets' accounts are unknown here, so the role may assume the
            // execution role in any account of the organization (and list OUs' accounts).
            ...(estate.organization === undefined ? {} : { targetsOrganizationalUnits: { organizationId: estate.organization.id, executionRoleName: estate.automationExecutionRoleName } }),
        },
        { provider: providerOf(central) },
    );

    const accounts: AwsCoreOutputs["accounts"] = {};
    const regions: AwsCoreOutputs["regions"] = {};
    for (const member of estate.members) {
        const provider = providerOf(member);
        const execution = new AutomationExecutionRole(
            `${member.alias}-automation-execution`,
            {
                roleName: estate.automationExecutionRoleName,
                accountId: member.id,
                administrationRoleArn: administration.roleArn,
                patchGroupTagKey: estate.patchGroupTagKey,
                // Both runbooks run in every member location (schedules fan out into child
                // executions; the Config remediation wrapper starts patching-RunPatchBaseline).
                runbookNames: Object.values(AUTOMATION_DOCUMENT_NAMES),
                // Every listed key, in every member: a volume's key may live in another account,
                // and the key's own policy still decides who may use it.
                ebsKmsKeyArns: estate.ebsKmsKeyArns,
            },
            { provider },
        );
        const nodes = new ManagedNodeRoles(
            `${member.alias}-managed-node-roles`,
            {
                accountId: member.id,
                regions: member.regions,
                ...(estate.logStorage.encryption === "SSE-KMS" ? { logBucketKeyAlias: LOCATION_NAMES.logKeyAlias } : {}),
            },
            { provider },
        );
        accounts[member.alias] = { executionRoleArn: execution.roleArn, instanceProfileName: nodes.instanceProfileName, hybridRoleName: nodes.hybridRoleName, logWriterPolicyArn: nodes.logWriterPolicyArn };
        // Issue 15: Default Host Management in the (account, Region) pairs the config lists.
        const hostManagement = estate.logAccess.defaultHostManagement.find((entry) => entry.account === member.alias);
        if (hostManagement !== undefined && hostManagement.regions.length > 0) {
            new DefaultHostManagement(
                `${member.alias}-default-host-management`,
                { accountId: member.id, regions: hostManagement.regions, logWriterPolicyArn: nodes.logWriterPolicyArn },
                { provider },
            );
        }

        const groups = patchGroupsFor(estate, member);
        if (groups.length === 0) {
            continue;
        }
        for (const region of member.regions) {
            const scope = `${member.alias}-${region}`;
            const baselines = new PatchBaselines(
                `${scope}-baselines`,
                { region, patchGroups: groups.map((group) => ({ ...group, approveAfterDays: group.approveAfterDays[estate.environment] })) },
                { provider },
            );
            const resourceGroups = new PatchResourceGroups(
                `${scope}-resource-groups`,
                { region, patchGroupNames: groups.map((group) => group.name), tagKey: estate.patchGroupTagKey },
                { provider },
            );
            regions[scope] = { baselineIds: baselines.baselineIds, resourceGroupArns: resourceGroups.groupArns };
        }
    }
    return { administrationRoleArn: administration.roleArn, accounts, regions };
}
