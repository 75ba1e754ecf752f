import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MANAGED_POLICIES, policy, trustStatement, type PolicyDocument } from "./iamDocuments";
import { permissionsBoundaryArn } from "../../catalog/naming";

export const DEFAULT_HOST_MANAGEMENT_DEFAULTS = {
    /** IAM is global: one role per account, shared by every Region whose setting names it. */
    roleName: "patching-default-host-management",
    /** The service setting's id (UpdateServiceSetting SettingId takes the id or its ARN). */
    settingId: "/ssm/managed-instance/default-ec2-instance-management-role",
} as const;

/** `arn:aws:ssm:<region>:<account>:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`. */
export function defaultHostManagementSettingArn(accountId: string, region: string): string {
    return `arn:aws:ssm:${region}:${accountId}:servicesetting${DEFAULT_HOST_MANAGEMENT_DEFAULTS.settingId}`;
}

/**
 * The trust AWS documents for the Default Host Management role: Systems Manager assumes it and
 * hands the agent on each instance temporary credentials for it (SSM user guide,
 * managed-instances-default-host-management.html, "custom role"; agent side:
 * ssm-agent-technical-details.html — "the temporary credentials have the permissions you specify
 * for the IAM role you chose for Default Host Management Configuration"). The documented trust has
 * no aws:SourceAccount/SourceArn condition, and AWS does not document which ones DHMC sends, so
 * none is added (a condition the service does not satisfy would leave every instance unmanaged);
 * the role is reachable only through this account's setting, which only a holder of
 * ssm:UpdateServiceSetting + iam:PassRole on it can point at it.
 */
export function defaultHostManagementTrust(): PolicyDocument {
    return policy(trustStatement("SystemsManagerDefaultHostManagement", { Service: "ssm.amazonaws.com" }));
}

export interface DefaultHostManagementArgs {
    readonly accountId: string;
    /** Regions whose Default Host Management setting names the role; non-empty. */
    readonly regions: readonly string[];
    /** The account's log-writer policy (ManagedNodeRoles.logWriterPolicyArn), so DHMC nodes can upload command output. */
    readonly logWriterPolicyArn: pulumi.Input<string>;
    /**
     * Name of the role the setting names (path "/", so the setting value is the bare name).
     * @default DEFAULT_HOST_MANAGEMENT_DEFAULTS.roleName
     */
    readonly roleName?: string;
}

export function validateDefaultHostManagementArgs(args: DefaultHostManagementArgs): void {
    const fail = (message: string): never => {
        throw new Error(`DefaultHostManagement: ${message}`);
    };
    if (!/^\d{12}$/.test(args.accountId)) {
        fail(`accountId "${args.accountId}" is not a 12-digit AWS account id`);
    }
    if (args.regions.length === 0) {
        fail("regions is empty; give at least one Region whose setting the program manages");
    }
    for (const region of args.regions) {
        if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
            fail(`region "${region}" is not an AWS Region name (e.g. eu-west-2)`);
        }
    }
    const roleName = args.roleName ?? DEFAULT_HOST_MANAGEMENT_DEFAULTS.roleName;
    if (!/^patching-[\w+=,.@-]{1,55}$/.test(roleName)) {
        fail(`roleName "${roleName}" must start with "patching-" (the program boundary lets the program write only such roles) and be an IAM name of at most 64 characters`);
    }
}

/**
 * Systems Manager Default Host Management Configuration for one account (issue 15): every EC2
 * instance with IMDSv2 and SSM Agent 3.2.582.0 or later in the listed Regions becomes a managed
 * node without an instance profile, with the credentials of one role trusted by ssm.amazonaws.com.
 * That role carries AmazonSSMManagedEC2InstanceDefaultPolicy (the policy AWS documents for it) and
 * the program's log-writer policy, so those nodes upload patch and inventory output too.
 *
 * The setting is Region-wide and may already be set (e.g. by Quick Setup): UpdateServiceSetting
 * overwrites it with this role, and destroying the resource resets it (ResetServiceSetting), i.e.
 * turns DHMC off in that Region. List a Region only when the program should own its setting.
 */
export class DefaultHostManagement extends pulumi.ComponentResource {
    readonly roleArn: pulumi.Output<string>;
    readonly roleName: pulumi.Output<string>;
    /** Setting ARN per Region. */
    readonly settingIds: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: DefaultHostManagementArgs, opts?: pulumi.ComponentResourceOptions) {
        validateDefaultHostManagementArgs(args);
        super("patching:nodes:DefaultHostManagement", name, {}, opts);
        const roleName = args.roleName ?? DEFAULT_HOST_MANAGEMENT_DEFAULTS.roleName;
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: roleName,
                permissionsBoundary: permissionsBoundaryArn(args.accountId),
                description: "Default Host Management Configuration: SSM Agent credentials for instances without an instance profile (multicloud-patching)",
                assumeRolePolicy: JSON.stringify(defaultHostManagementTrust()),
            },
            { parent: this },
        );
        const attachments = [
            new aws.iam.RolePolicyAttachment(`${name}-default-policy`, { role: role.name, policyArn: MANAGED_POLICIES.ssmManagedEc2InstanceDefault }, { parent: this }),
            new aws.iam.RolePolicyAttachment(`${name}-log-writer`, { role: role.name, policyArn: args.logWriterPolicyArn }, { parent: this }),
        ];
        this.settingIds = {};
        for (const region of args.regions) {
            // SettingValue is the role's name (with its path, minus the leading "/", for a role
            // under a path; this one is at "/"): SSM user guide, managed-instances-default-host-management.html.
            const setting = new aws.ssm.ServiceSetting(
                `${name}-${region}-setting`,
                { region, settingId: defaultHostManagementSettingArn(args.accountId, region), settingValue: role.name },
                // Never point instances at a role that cannot do the job yet.
                { parent: this, dependsOn: attachments },
            );
            this.settingIds[region] = setting.arn;
        }
        this.roleArn = role.arn;
        this.roleName = role.name;
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName, settingIds: this.settingIds });
    }
}
