import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_WRITER_POLICY_NAME, logBucketWritePolicy, MANAGED_POLICIES } from "./iamDocuments";
import { ec2InstanceTrust, hybridNodeAgentPolicy, hybridServiceRoleTrust } from "./nodeDocuments";
import { logBucketName, permissionsBoundaryArn } from "../../catalog/naming";

export const MANAGED_NODE_ROLE_DEFAULTS = {
    instanceRoleName: "patching-managed-node",
    hybridRoleName: "patching-hybrid-node",
} as const;

export interface ManagedNodeRolesArgs {
    readonly accountId: string;
    /** Regions whose patch/inventory log buckets the instances may write to. */
    readonly regions: readonly string[];
    /**
     * Name of the EC2 instance role and its instance profile.
     * @default MANAGED_NODE_ROLE_DEFAULTS.instanceRoleName
     */
    readonly instanceRoleName?: string;
    /**
     * Name of the hybrid activation service role (CreateActivation takes the name).
     * @default MANAGED_NODE_ROLE_DEFAULTS.hybridRoleName
     */
    readonly hybridRoleName?: string;
    /**
     * Alias of the log buckets' KMS key when they use SSE-KMS (writers then need data keys).
     * @default - SSE-S3 buckets, no KMS permissions
     */
    readonly logBucketKeyAlias?: string;
}

export function validateManagedNodeRolesArgs(args: ManagedNodeRolesArgs): void {
    if (args.regions.length === 0) {
        throw new Error("ManagedNodeRoles: regions is empty; instances need at least one Region's log buckets");
    }
}

/** The account's log bucket names the instance role may write to, every Region, both kinds. */
export function accountLogBuckets(accountId: string, regions: readonly string[]): string[] {
    return regions.flatMap((region) => [logBucketName("patch", accountId, region), logBucketName("inventory", accountId, region)]);
}

/**
 * Roles for managed nodes in one account: the EC2 instance role + profile
 * (AmazonSSMManagedInstanceCore, the policy AWS documents for EC2 managed nodes; never the
 * deprecated AmazonEC2RoleforSSM) and the service role hybrid nodes (Azure VMs) get through their
 * activation. The hybrid role carries no managed policy: a node registered with a leaked
 * activation code gets its credentials, so it holds only the agent's calls (hybridNodeAgentPolicy).
 */
export class ManagedNodeRoles extends pulumi.ComponentResource {
    readonly instanceRoleArn: pulumi.Output<string>;
    readonly instanceRoleName: pulumi.Output<string>;
    readonly instanceProfileArn: pulumi.Output<string>;
    readonly instanceProfileName: pulumi.Output<string>;
    readonly hybridRoleArn: pulumi.Output<string>;
    readonly hybridRoleName: pulumi.Output<string>;
    /** The account's log-writer policy (LOG_WRITER_POLICY_NAME), for roles outside the program. */
    readonly logWriterPolicyArn: pulumi.Output<string>;

    constructor(name: string, args: ManagedNodeRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        validateManagedNodeRolesArgs(args);
        super("patching:nodes:ManagedNodeRoles", name, {}, opts);
        const instanceRoleName = args.instanceRoleName ?? MANAGED_NODE_ROLE_DEFAULTS.instanceRoleName;
        const logBuckets = JSON.stringify(
            logBucketWritePolicy(
                accountLogBuckets(args.accountId, args.regions),
                args.logBucketKeyAlias === undefined ? undefined : { accountId: args.accountId, keyAlias: args.logBucketKeyAlias },
            ),
        );
        const instanceRole = new aws.iam.Role(
            `${name}-instance-role`,
            { name: instanceRoleName, permissionsBoundary: permissionsBoundaryArn(args.accountId), description: "EC2 instances managed by Systems Manager (multicloud-patching)", assumeRolePolicy: JSON.stringify(ec2InstanceTrust()) },
            { parent: this },
        );
        new aws.iam.RolePolicyAttachment(`${name}-instance-core`, { role: instanceRole.name, policyArn: MANAGED_POLICIES.ssmManagedInstanceCore }, { parent: this });
        new aws.iam.RolePolicy(
            `${name}-instance-log-buckets`,
            { role: instanceRole.name, name: "write-patch-and-inventory-logs", policy: logBuckets },
            { parent: this },
        );
        // The same write access as a customer managed policy, for roles the program does not own:
        // the enforcer attaches it to in-scope instance roles, and the Default Host Management
        // role carries it (issue 15). The program's own roles keep their inline copies.
        const logWriter = new aws.iam.Policy(
            `${name}-log-writer`,
            { name: LOG_WRITER_POLICY_NAME, description: "Write Run Command output to this account's patch and inventory log buckets (multicloud-patching)", policy: logBuckets },
            { parent: this },
        );
        const profile = new aws.iam.InstanceProfile(`${name}-instance-profile`, { name: instanceRoleName, role: instanceRole.name }, { parent: this });

        const hybridRole = new aws.iam.Role(
            `${name}-hybrid-role`,
            {
                name: args.hybridRoleName ?? MANAGED_NODE_ROLE_DEFAULTS.hybridRoleName,
                permissionsBoundary: permissionsBoundaryArn(args.accountId),
                description: "Hybrid (Azure) nodes registered through SSM activations (multicloud-patching)",
                assumeRolePolicy: JSON.stringify(hybridServiceRoleTrust(args.accountId)),
            },
            { parent: this },
        );
        const hybridAgent = new aws.iam.RolePolicy(
            `${name}-hybrid-agent`,
            { role: hybridRole.name, name: "ssm-agent-without-data-access", policy: JSON.stringify(hybridNodeAgentPolicy(args.accountId, accountLogBuckets(args.accountId, args.regions))) },
            { parent: this },
        );
        // Hybrid nodes upload Run Command / patching output to the same buckets as EC2 instances.
        new aws.iam.RolePolicy(`${name}-hybrid-log-buckets`, { role: hybridRole.name, name: "write-patch-and-inventory-logs", policy: logBuckets }, { parent: this });

        this.instanceRoleArn = instanceRole.arn;
        this.instanceRoleName = instanceRole.name;
        this.instanceProfileArn = profile.arn;
        this.instanceProfileName = profile.name;
        this.logWriterPolicyArn = logWriter.arn;
        this.hybridRoleArn = hybridRole.arn;
        // Resolves once the role can do its job, so an activation created with it waits for the
        // agent policy (CreateActivation can fail on a role IAM has not propagated yet).
        this.hybridRoleName = pulumi.all([hybridRole.name, hybridAgent.id]).apply(([roleName]) => roleName);
        this.registerOutputs({
            instanceRoleArn: this.instanceRoleArn,
            instanceProfileName: this.instanceProfileName,
            hybridRoleArn: this.hybridRoleArn,
            hybridRoleName: this.hybridRoleName,
            logWriterPolicyArn: this.logWriterPolicyArn,
        });
    }
}
