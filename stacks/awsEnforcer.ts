import type * as pulumi from "@pulumi/pulumi";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { MANAGED_NODE_ROLE_DEFAULTS } from "../components/identity/managedNodeRoles";
import { SsmRoleEnforcer } from "../components/enforcer/ssmRoleEnforcer";
import type { AwsCoreOutputs } from "./awsCore";
import type { AwsAccount, Estate } from "./config/estateModel";

export interface AwsEnforcerOutputs {
    /** Function ARN per member location. */
    readonly functions: Record<string, pulumi.Output<string>>;
}

/**
 * SPEC capability 10: the SSM-role enforcer in every member (account, Region). Deployed per
 * location rather than centrally with cross-account roles: EC2 state-change events are regional
 * and stay in their account, so a local function needs no event forwarding, no cross-account role
 * that may attach policies to any role in every account, and a fault stays within one location.
 */
export function buildAwsEnforcer(estate: Estate, providerOf: (account: AwsAccount) => AwsProvider, core: AwsCoreOutputs): AwsEnforcerOutputs {
    const functions: AwsEnforcerOutputs["functions"] = {};
    if (!estate.enforcer.enabled) {
        return { functions };
    }
    for (const member of estate.members) {
        for (const region of member.regions) {
            const scope = `${member.alias}-${region}`;
            const enforcer = new SsmRoleEnforcer(
                `${scope}-ssm-role-enforcer`,
                {
                    region,
                    accountId: member.id,
                    // An Output: the function waits for the profile it hands out.
                    instanceProfileName: core.accounts[member.alias].instanceProfileName,
                    // The role ManagedNodeRoles puts in that profile (the only role it may pass).
                    instanceRoleName: MANAGED_NODE_ROLE_DEFAULTS.instanceRoleName,
                    optOutTagKey: estate.enforcer.optOutTagKey,
                    instanceRoleTagKey: estate.enforcer.instanceRoleTagKey,
                    ...(estate.enforcer.instanceRolePath === undefined ? {} : { instanceRolePath: estate.enforcer.instanceRolePath }),
                    schedule: estate.enforcer.schedule,
                    // Issue 15: the roles it gives Core get the log writer too, unless configured off.
                    ...(estate.logAccess.enforcerAttach ? { logWriterPolicyArn: core.accounts[member.alias].logWriterPolicyArn } : {}),
                },
                { provider: providerOf(member) },
            );
            functions[scope] = enforcer.functionArn;
        }
    }
    return { functions };
}
