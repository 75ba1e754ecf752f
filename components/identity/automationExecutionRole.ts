import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { executionRolePolicy, executionRoleTrust } from "./automationDocuments";
import { permissionsBoundaryArn } from "../../catalog/naming";
import { KMS_KEY_ARN_PATTERN } from "../../catalog/kms";

export interface AutomationExecutionRoleArgs {
    /** Role name; the same in every member account (TargetLocations ExecutionRoleName). */
    readonly roleName: string;
    /** The account this role lives in. */
    readonly accountId: string;
    /** ARN of the central administration role, the only AWS principal trusted. */
    readonly administrationRoleArn: pulumi.Input<string>;
    /** Tag key whose presence allows the runbooks to command, start and stop a node. */
    readonly patchGroupTagKey: string;
    /** The Automation runbooks this role may start (per-target child executions, remediation). */
    readonly runbookNames: readonly string[];
    /**
     * KMS key ARNs of EBS volumes on instances the stopped-instances runbook starts.
     * @default - none: no kms:CreateGrant
     */
    readonly ebsKmsKeyArns?: readonly string[];
}

export function validateAutomationExecutionRoleArgs(args: AutomationExecutionRoleArgs): void {
    if (!/^\d{12}$/.test(args.accountId)) {
        throw new Error(`AutomationExecutionRole: accountId "${args.accountId}" is not a 12-digit AWS account id`);
    }
    if (args.runbookNames.length === 0) {
        throw new Error("AutomationExecutionRole: runbookNames is empty; the role must be allowed to start the patch runbooks");
    }
    const badKey = (args.ebsKmsKeyArns ?? []).find((arn) => !KMS_KEY_ARN_PATTERN.test(arn));
    if (badKey !== undefined) {
        throw new Error(`AutomationExecutionRole: ebsKmsKeyArns contains "${badKey}", which is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>)`);
    }
}

/**
 * The Automation execution role in a member account: what the patch runbooks run as there.
 * One inline policy with exactly the calls the runbooks and the remediation make — no AWS
 * managed policy (AmazonSSMAutomationRole would grant ssm:* and EC2/CloudFormation writes on
 * every resource).
 */
export class AutomationExecutionRole extends pulumi.ComponentResource {
    readonly roleArn: pulumi.Output<string>;
    readonly roleName: pulumi.Output<string>;

    constructor(name: string, args: AutomationExecutionRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        validateAutomationExecutionRoleArgs(args);
        super("patching:automation:AutomationExecutionRole", name, {}, opts);
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: args.roleName,
                permissionsBoundary: permissionsBoundaryArn(args.accountId),
                description: "Runs the multicloud-patching runbooks in this account for the central administration role",
                assumeRolePolicy: pulumi.output(args.administrationRoleArn).apply((adminArn) => JSON.stringify(executionRoleTrust(adminArn, args.accountId))),
            },
            { parent: this },
        );
        const permissions = executionRolePolicy({
            accountId: args.accountId,
            roleName: args.roleName,
            patchGroupTagKey: args.patchGroupTagKey,
            runbookNames: args.runbookNames,
            ...(args.ebsKmsKeyArns === undefined ? {} : { ebsKmsKeyArns: args.ebsKmsKeyArns }),
        });
        new aws.iam.RolePolicy(`${name}-runbook-permissions`, { role: role.name, name: "patch-runbook-permissions", policy: JSON.stringify(permissions) }, { parent: this });
        this.roleArn = role.arn;
        this.roleName = role.name;
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
    }
}
