import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { administrationRolePolicy, administrationRoleTrust, type OrganizationalUnitAccess } from "./automationDocuments";
import { permissionsBoundaryArn } from "../../catalog/naming";

export interface AutomationAdministrationRoleArgs {
    /** Role name; multi-account Automation looks for it by name. */
    readonly roleName: string;
    /** The central account (the only one whose Systems Manager may assume the role). */
    readonly centralAccountId: string;
    /** Execution role ARNs in the member accounts: the only roles this one may assume. */
    readonly executionRoleArns: readonly string[];
    /**
     * Whether Automation targets OUs (adds organizations:ListAccountsForParent).
     * @default false
     */
    readonly targetsOrganizationalUnits?: boolean | OrganizationalUnitAccess;
}

export function validateAutomationAdministrationRoleArgs(args: AutomationAdministrationRoleArgs): void {
    if (args.executionRoleArns.length === 0) {
        throw new Error("AutomationAdministrationRole: executionRoleArns is empty; the role must be allowed to assume at least one execution role");
    }
    const bad = args.executionRoleArns.find((arn) => !/^arn:aws:iam::\d{12}:role\/.+$/.test(arn));
    if (bad !== undefined) {
        throw new Error(`AutomationAdministrationRole: executionRoleArns contains "${bad}", which is not an IAM role ARN`);
    }
}

/**
 * The central Automation administration role (SSM multi-account Automation): assumed by
 * Systems Manager in the central account, allowed only to assume the member execution roles.
 */
export class AutomationAdministrationRole extends pulumi.ComponentResource {
    readonly roleArn: pulumi.Output<string>;
    readonly roleName: pulumi.Output<string>;

    constructor(name: string, args: AutomationAdministrationRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        validateAutomationAdministrationRoleArgs(args);
        super("patching:automation:AutomationAdministrationRole", name, {}, opts);
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: args.roleName,
                permissionsBoundary: permissionsBoundaryArn(args.centralAccountId),
                description: "Central role that starts multi-account patch Automation (multicloud-patching)",
                assumeRolePolicy: JSON.stringify(administrationRoleTrust(args.centralAccountId)),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-assume-execution-roles`,
            { role: role.name, name: "assume-member-execution-roles", policy: JSON.stringify(administrationRolePolicy(args.executionRoleArns, args.targetsOrganizationalUnits ?? false)) },
            { parent: this },
        );
        this.roleArn = role.arn;
        this.roleName = role.name;
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
    }
}
