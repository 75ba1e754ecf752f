import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Policy } from "@pulumi/aws/iam/policy";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicy } from "@pulumi/aws/iam/rolePolicy";
import { RolePolicyAttachment } from "@pulumi/aws/iam/rolePolicyAttachment";
import * as pulumi from "@pulumi/pulumi";
import { boundaryPolicyName, deploymentRoleBoundary, deploymentRoleIamPolicy, deploymentRoleTrust, oidcRolePolicy, oidcRoleTrust, POWER_USER_ACCESS } from "../iamDocuments";

export interface DeploymentRoleSpec {
    readonly accountId: string;
    /** Stable key of the account within the stack (its alias): names the child resources. */
    readonly alias: string;
    readonly roleName: string;
    /** @default "/" */
    readonly rolePath?: string;
}

export interface DeployerRolesArgs {
    readonly organization: string;
    /** The main stack (for descriptions). */
    readonly stack: string;
    /** Account holding the OIDC role (and the api.pulumi.com/oidc identity provider). */
    readonly centralAccountId: string;
    readonly oidcRoleName: string;
    /** The only OIDC subject the role accepts: the stack's ESC environment. */
    readonly oidcSubject: string;
    /** Must cover the ESC session duration. */
    readonly maxSessionDurationSeconds: number;
    readonly deploymentRoles: readonly DeploymentRoleSpec[];
    /** Role names beyond `patching-*` the deployment roles manage (the Automation roles). */
    readonly automationRoleNames: readonly string[];
    /** One provider per account id, each confined to its account (allowedAccountIds). */
    readonly providers: ReadonlyMap<string, AwsProvider>;
    /**
     * The identity provider resource, when this program creates it.
     * @default - the provider already exists in the central account
     */
    readonly oidcProvider?: pulumi.Resource;
}

/**
 * The IAM side of one stack's CI access: in the central account a role that ESC's OIDC token for
 * this stack's environment — and nothing else — can assume, which may only assume the stack's
 * deployment roles; in every account of the stack the deployment role the main program's provider
 * assumes, trusting only that OIDC role, with PowerUserAccess, IAM scoped to the program's own
 * roles and policies, and a permissions boundary against privilege escalation.
 */
export class DeployerRoles extends pulumi.ComponentResource {
    public readonly oidcRoleArn: pulumi.Output<string>;
    /** Deployment role ARN by account alias. */
    public readonly deploymentRoleArns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: DeployerRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        validateDeployerRolesArgs(args);
        super("patching:deployment:DeployerRoles", name, {}, opts);
        const providerOf = (accountId: string) => args.providers.get(accountId) as AwsProvider;
        const roleArnOf = (role: DeploymentRoleSpec) => `arn:aws:iam::${role.accountId}:role${role.rolePath ?? "/"}${role.roleName}`;

        const oidcRole = new Role(
            `${name}-oidc-role`,
            {
                name: args.oidcRoleName,
                description: `Pulumi ESC (OIDC) entry point of multicloud-patching stack ${args.stack}: may only assume its deployment roles`,
                assumeRolePolicy: JSON.stringify(oidcRoleTrust(args.centralAccountId, args.organization, args.oidcSubject)),
                maxSessionDuration: args.maxSessionDurationSeconds,
            },
            { parent: this, provider: providerOf(args.centralAccountId), ...(args.oidcProvider ? { dependsOn: [args.oidcProvider] } : {}) },
        );
        new RolePolicy(
            `${name}-oidc-role-assume`,
            { role: oidcRole.name, name: "assume-deployment-roles", policy: JSON.stringify(oidcRolePolicy(args.deploymentRoles.map(roleArnOf))) },
            { parent: this, provider: providerOf(args.centralAccountId) },
        );

        this.deploymentRoleArns = {};
        for (const spec of args.deploymentRoles) {
            const provider = providerOf(spec.accountId);
            const prefix = `${name}-${spec.alias}`;
            const boundary = new Policy(
                `${prefix}-boundary`,
                {
                    name: boundaryPolicyName(spec.roleName),
                    description: `Permissions boundary of ${spec.roleName} (multicloud-patching ${args.stack})`,
                    policy: JSON.stringify(
                        deploymentRoleBoundary({ accountId: spec.accountId, deploymentRoleName: spec.roleName, ...(spec.accountId === args.centralAccountId ? { oidcRoleName: args.oidcRoleName } : {}) }),
                    ),
                },
                { parent: this, provider },
            );
            const role = new Role(
                `${prefix}-role`,
                {
                    name: spec.roleName,
                    path: spec.rolePath ?? "/",
                    description: `multicloud-patching ${args.stack}: assumed by the program's provider for this account`,
                    // IAM rejects a trust naming a role that does not exist yet: the Output orders them.
                    assumeRolePolicy: oidcRole.arn.apply((arn) => JSON.stringify(deploymentRoleTrust(arn))),
                    permissionsBoundary: boundary.arn,
                },
                { parent: this, provider },
            );
            new RolePolicyAttachment(`${prefix}-power-user`, { role: role.name, policyArn: POWER_USER_ACCESS }, { parent: this, provider });
            new RolePolicy(
                `${prefix}-iam`,
                { role: role.name, name: "manage-program-iam", policy: JSON.stringify(deploymentRoleIamPolicy({ accountId: spec.accountId, extraRoleNames: args.automationRoleNames })) },
                { parent: this, provider },
            );
            this.deploymentRoleArns[spec.alias] = role.arn;
        }

        this.oidcRoleArn = oidcRole.arn;
        this.registerOutputs({ oidcRoleArn: this.oidcRoleArn, deploymentRoleArns: this.deploymentRoleArns });
    }
}

/** Every account needs a provider, and aliases name children, so they must be unique. */
export function validateDeployerRolesArgs(args: DeployerRolesArgs): void {
    for (const accountId of [args.centralAccountId, ...args.deploymentRoles.map((role) => role.accountId)]) {
        if (!args.providers.has(accountId)) {
            throw new Error(`DeployerRoles: no AWS provider for account ${accountId}; providers: ${[...args.providers.keys()].join(", ") || "none"}`);
        }
    }
    const aliases = args.deploymentRoles.map((role) => role.alias);
    const duplicate = aliases.find((alias, index) => aliases.indexOf(alias) !== index);
    if (duplicate !== undefined) {
        throw new Error(`DeployerRoles: deploymentRoles alias "${duplicate}" appears twice; aliases name the child resources and must be unique`);
    }
    if (args.maxSessionDurationSeconds < 3600 || args.maxSessionDurationSeconds > 43200) {
        throw new Error(`DeployerRoles: maxSessionDurationSeconds ${args.maxSessionDurationSeconds} is outside IAM's 3600-43200`);
    }
}
