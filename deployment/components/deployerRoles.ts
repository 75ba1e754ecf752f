import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Policy } from "@pulumi/aws/iam/policy";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicy } from "@pulumi/aws/iam/rolePolicy";
import { RolePolicyAttachment } from "@pulumi/aws/iam/rolePolicyAttachment";
import * as pulumi from "@pulumi/pulumi";
import { PERMISSIONS_BOUNDARY_NAME, permissionsBoundaryArn } from "../../catalog/naming";
import { programBoundary } from "../../components/identity/boundaryDocuments";
import { DEPLOYMENT_ACCESS_TAG, PROGRAM_PREFIX, type ProgramBoundaryScope } from "../../components/identity/boundaryScope";
import { MANAGED_POLICY_MAX_CHARACTERS, policyCharacters } from "../../components/identity/policySize";
import {
    DEFAULT_PROJECT,
    deploymentPolicyName,
    deploymentRoleIamPolicy,
    deploymentRoleServicesPolicy,
    deploymentRoleTrust,
    oidcRolePolicy,
    oidcRoleTrust,
    programBoundaryScopes,
} from "../iamDocuments";

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
    /**
     * The main stack runs in organization mode: the central account's deployment role manages the
     * member StackSets (components/identity/boundaryStackSets.ts).
     * @default false
     */
    readonly organizationMode?: boolean;
    /**
     * The account the main stack builds the QuickSight dashboard in (`reporting.quickSight.enabled`):
     * its deployment role gets the dashboard's grants (components/identity/boundaryQuickSight.ts).
     * @default - no dashboard
     */
    readonly quickSightDashboardAccountId?: string;
    /** One provider per account id, each confined to its account (allowedAccountIds). */
    readonly providers: ReadonlyMap<string, AwsProvider>;
    /**
     * The identity provider resource, when this program creates it.
     * @default - the provider already exists in the central account
     */
    readonly oidcProvider?: pulumi.Resource;
    /**
     * The main program's project name: the `Project` tag its resources carry, by which the boundary
     * knows the program's KMS keys and network resources.
     * @default DEFAULT_PROJECT ("multicloud-patching")
     */
    readonly project?: string;
    /**
     * The program boundary policy of each account, when the caller creates them (ProgramBoundaries:
     * one per account, shared by every stack using the account). Must cover the central account
     * and every deployment role's account.
     * @default - this component creates the boundary in each of its accounts (right when no other
     * stack shares an account with this one)
     */
    readonly boundaryPolicies?: ReadonlyMap<string, pulumi.Resource>;
}

export interface ProgramBoundariesArgs {
    /** One scope per account (deployment/iamDocuments programBoundaryScopes). */
    readonly scopes: readonly ProgramBoundaryScope[];
    readonly providers: ReadonlyMap<string, AwsProvider>;
}

/**
 * The program permissions boundary (components/identity/boundaryDocuments.ts), created once per
 * account under its fixed name PERMISSIONS_BOUNDARY_NAME: every role of the main program and of
 * this program carries it. Created here, by the administrator's bootstrap, never by the program it
 * bounds — the deployer may not change it (its own denies).
 */
export class ProgramBoundaries extends pulumi.ComponentResource {
    /** The boundary policy by account id (for dependsOn: role ARNs name it by its fixed ARN). */
    public readonly policies: ReadonlyMap<string, Policy>;

    constructor(name: string, args: ProgramBoundariesArgs, opts?: pulumi.ComponentResourceOptions) {
        validateProgramBoundariesArgs(args);
        super("patching:deployment:ProgramBoundaries", name, {}, opts);
        this.policies = new Map(
            args.scopes.map((scope) => [
                scope.accountId,
                new Policy(
                    `${name}-${scope.accountId}`,
                    {
                        name: PERMISSIONS_BOUNDARY_NAME,
                        description: "multicloud-patching permissions boundary: every role the program and its CI bootstrap create carries it",
                        policy: JSON.stringify(programBoundary(scope)),
                    },
                    { parent: this, provider: args.providers.get(scope.accountId) as AwsProvider },
                ),
            ]),
        );
        this.registerOutputs({ accounts: [...this.policies.keys()] });
    }
}

/** One scope per account, a provider for each, and a document IAM accepts (6,144 characters). */
export function validateProgramBoundariesArgs(args: ProgramBoundariesArgs): void {
    const accounts = args.scopes.map((scope) => scope.accountId);
    const duplicate = accounts.find((account, index) => accounts.indexOf(account) !== index);
    if (duplicate !== undefined) {
        throw new Error(`ProgramBoundaries: account ${duplicate} has two scopes; merge them (programBoundaryScopes) — the boundary is one policy per account`);
    }
    for (const scope of args.scopes) {
        if (!args.providers.has(scope.accountId)) {
            throw new Error(`ProgramBoundaries: no AWS provider for account ${scope.accountId}; providers: ${[...args.providers.keys()].join(", ") || "none"}`);
        }
        const size = policyCharacters(programBoundary(scope));
        if (size > MANAGED_POLICY_MAX_CHARACTERS) {
            throw new Error(
                `ProgramBoundaries: the boundary of account ${scope.accountId} has ${size} characters, over IAM's ${MANAGED_POLICY_MAX_CHARACTERS} for a managed policy; ` +
                    `it lists ${scope.automationRoleNames.length} Automation role names and ${scope.deploymentRoles.length} deployment roles — use the same names in every stack sharing the account`,
            );
        }
    }
}

/**
 * The IAM side of one stack's CI access: in the central account a role that ESC's OIDC token for
 * this stack's environment — and nothing else — can assume, which may only assume the stack's
 * deployment roles; in every account of the stack the deployment role the main program's provider
 * assumes, trusting only that OIDC role. Both carry the program boundary. The deployment role's
 * permissions: customer policies scoped to the services and names the program uses (no AWS
 * managed policy such as PowerUserAccess), IAM only on the program's roles and only with the
 * boundary.
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
        const project = args.project ?? DEFAULT_PROJECT;
        const scopes = programBoundaryScopes([args], project);
        const boundaries: ReadonlyMap<string, pulumi.Resource> = args.boundaryPolicies ?? new ProgramBoundaries(`${name}-boundary`, { scopes, providers: args.providers }, { parent: this }).policies;
        // The role names the boundary by its fixed ARN; the dependency orders creation. The tag
        // keeps the boundary's Core exception (for the enforcer) off these two roles.
        const bounded = (accountId: string) => ({ permissionsBoundary: permissionsBoundaryArn(accountId), tags: { [DEPLOYMENT_ACCESS_TAG.key]: DEPLOYMENT_ACCESS_TAG.value } });
        const boundaryOf = (accountId: string) => [boundaries.get(accountId) as pulumi.Resource];

        const oidcRole = new Role(
            `${name}-oidc-role`,
            {
                name: args.oidcRoleName,
                description: `Pulumi ESC (OIDC) entry point of multicloud-patching stack ${args.stack}: may only assume its deployment roles`,
                assumeRolePolicy: JSON.stringify(oidcRoleTrust(args.centralAccountId, args.organization, args.oidcSubject)),
                maxSessionDuration: args.maxSessionDurationSeconds,
                ...bounded(args.centralAccountId),
            },
            { parent: this, provider: providerOf(args.centralAccountId), dependsOn: [...boundaryOf(args.centralAccountId), ...(args.oidcProvider ? [args.oidcProvider] : [])] },
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
            const scope = scopes.find((candidate) => candidate.accountId === spec.accountId) as ProgramBoundaryScope;
            const role = new Role(
                `${prefix}-role`,
                {
                    name: spec.roleName,
                    path: spec.rolePath ?? "/",
                    description: `multicloud-patching ${args.stack}: assumed by the program's provider for this account`,
                    // IAM rejects a trust naming a role that does not exist yet: the Output orders them.
                    assumeRolePolicy: oidcRole.arn.apply((arn) => JSON.stringify(deploymentRoleTrust(arn))),
                    ...bounded(spec.accountId),
                },
                { parent: this, provider, dependsOn: boundaryOf(spec.accountId) },
            );
            // Replaces PowerUserAccess: the program's services, on the program's resources.
            const services = new Policy(
                `${prefix}-services`,
                {
                    name: deploymentPolicyName(spec.roleName, "services"),
                    description: `What ${spec.roleName} may do outside IAM: the services and names multicloud-patching uses`,
                    policy: JSON.stringify(deploymentRoleServicesPolicy(scope)),
                },
                { parent: this, provider },
            );
            new RolePolicyAttachment(`${prefix}-services-attachment`, { role: role.name, policyArn: services.arn }, { parent: this, provider });
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

/**
 * Every account needs a provider (and a boundary, when given); aliases name children, so they
 * must be unique; and no role the boundary lets the deployer write may be the deployer itself.
 */
export function validateDeployerRolesArgs(args: DeployerRolesArgs): void {
    const accounts = [args.centralAccountId, ...args.deploymentRoles.map((role) => role.accountId)];
    for (const accountId of accounts) {
        if (!args.providers.has(accountId)) {
            throw new Error(`DeployerRoles: no AWS provider for account ${accountId}; providers: ${[...args.providers.keys()].join(", ") || "none"}`);
        }
        if (args.boundaryPolicies !== undefined && !args.boundaryPolicies.has(accountId)) {
            throw new Error(`DeployerRoles: boundaryPolicies has no program boundary for account ${accountId}; every role this component creates carries one`);
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
    // The boundary lets its roles write `patching-*` roles and the Automation roles: a deployment
    // or OIDC role under such a name could edit itself.
    const programNamed = (name: string) => name.startsWith(PROGRAM_PREFIX) || args.automationRoleNames.includes(name);
    for (const [key, name] of [["oidcRoleName", args.oidcRoleName], ...args.deploymentRoles.map((role) => [`deploymentRoles[${role.alias}].roleName`, role.roleName])]) {
        if (programNamed(name)) {
            throw new Error(`DeployerRoles: ${key} "${name}" is a name the program's roles may write (prefix "${PROGRAM_PREFIX}" or an Automation role name); choose another so the deployer cannot edit its own role`);
        }
    }
}
