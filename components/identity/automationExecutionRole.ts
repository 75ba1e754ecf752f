import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { executionRolePolicy, executionRoleTrust, MANAGED_POLICIES } from "./iamDocuments";
import { permissionsBoundaryArn } from "../../catalog/naming";

export interface AutomationExecutionRoleArgs {
    /** Role name; the same in every member account (TargetLocations ExecutionRoleName). */
    readonly roleName: string;
    /** The account this role lives in. */
    readonly accountId: string;
    /** ARN of the central administration role, the only AWS principal trusted. */
    readonly administrationRoleArn: pulumi.Input<string>;
    /** Tag key whose presence allows the runbook to start/stop an instance. */
    readonly patchGroupTagKey: string;
}

export function validateAutomationExecutionRoleArgs(args: AutomationExecutionRoleArgs): void {
    if (!/^\d{12}$/.test(args.accountId)) {
        throw new Error(`AutomationExecutionRole: accountId "${args.accountId}" is not a 12-digit AWS account id`);
    }
}

/**
 * The Automation execution role in a member account: what the patch runbooks run as there.
 * AmazonSSMAutomationRole plus exactly the extra actions the runbooks use.
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
        new aws.iam.RolePolicyAttachment(`${name}-automation-policy`, { role: role.name, policyArn: MANAGED_POLICIES.ssmAutomationRole }, { parent: this });
        new aws.iam.RolePolicy(
            `${name}-runbook-permissions`,
            { role: role.name, name: "patch-runbook-permissions", policy: JSON.stringify(executionRolePolicy(args.accountId, args.roleName, args.patchGroupTagKey)) },
            { parent: this },
        );
        this.roleArn = role.arn;
        this.roleName = role.name;
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
    }
}
