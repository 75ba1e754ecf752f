import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    automationStatusPattern,
    forwarderRoleName,
    forwarderRolePolicy,
    forwarderRoleTrust,
    PATCH_RUN_NAMES,
    patchRunBusArn,
    runCommandFailurePattern,
} from "./notificationDocuments";
import { PATCH_RUN_NOTIFICATION_DEFAULTS } from "./patchRunNotifications";
import { permissionsBoundaryArn } from "../../catalog/naming";
import { nonCompliantEventPattern } from "../compliance/complianceDocuments";

export interface PatchRunEventForwardingArgs {
    /** The location whose events are forwarded (not the central account's central Region). */
    readonly region: string;
    readonly accountId: string;
    /** Where PatchRunNotifications listens: the central account and Region. */
    readonly centralAccountId: string;
    readonly centralRegion: string;
    /** Same value as PatchRunNotifications', so both match the same events. @default PATCH_RUN_NOTIFICATION_DEFAULTS.notifySuccess */
    readonly notifySuccess?: boolean;
    /** Same value as PatchRunNotifications'. @default PATCH_RUN_NOTIFICATION_DEFAULTS.documentNames */
    readonly documentNames?: readonly string[];
    /**
     * Issue 19: the AWS Config rules of this location whose NON_COMPLIANT changes are forwarded
     * too (to ComplianceAlerts, through the same bus and role); empty = none.
     * @default - none
     */
    readonly nonCompliantRuleNames?: readonly string[];
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT_ID = /^\d{12}$/;

export function validatePatchRunEventForwardingArgs(args: PatchRunEventForwardingArgs): void {
    const documents = args.documentNames ?? PATCH_RUN_NOTIFICATION_DEFAULTS.documentNames;
    const problems = [
        ...(["region", "centralRegion"] as const).flatMap((key) => (REGION.test(args[key]) ? [] : [`${key} "${args[key]}" is not an AWS Region code`])),
        ...(["accountId", "centralAccountId"] as const).flatMap((key) => (ACCOUNT_ID.test(args[key]) ? [] : [`${key} "${args[key]}" is not a 12-digit AWS account id`])),
        ...(args.accountId === args.centralAccountId && args.region === args.centralRegion
            ? [`region "${args.region}" of account ${args.accountId} is the central location itself; its events reach the central rules without forwarding`]
            : []),
        ...(documents.length === 0 ? ["documentNames is empty; name the runbooks whose executions notify"] : []),
    ];
    if (problems.length > 0) {
        throw new Error(`PatchRunEventForwarding: ${problems.join("; ")}`);
    }
}

/**
 * Issue 9, every member (account, Region) except the central account's central Region, and the
 * central account's other Regions: the two patch-run patterns of PatchRunNotifications on this
 * location's default bus (where AWS services deliver), each forwarding matching events of this
 * account to the central patch-run bus with a role that may only put events there. (EventBridge
 * delivers to another account's or Region's bus only through a rule target; issue 14, M3: the
 * patch-run bus policy admits exactly the forwarder roles of the member accounts.)
 */
export class PatchRunEventForwarding extends pulumi.ComponentResource {
    readonly roleArn: pulumi.Output<string>;
    readonly ruleArns: pulumi.Output<string[]>;
    /** The bus the rules deliver to. */
    readonly targetBusArn: string;

    constructor(name: string, args: PatchRunEventForwardingArgs, opts?: pulumi.ComponentResourceOptions) {
        validatePatchRunEventForwardingArgs(args);
        super("patching:notifications:PatchRunEventForwarding", name, {}, opts);
        const { region, accountId } = args;
        const documents = args.documentNames ?? PATCH_RUN_NOTIFICATION_DEFAULTS.documentNames;
        this.targetBusArn = patchRunBusArn(args.centralRegion, args.centralAccountId);
        const complianceRules = args.nonCompliantRuleNames ?? [];
        const forwardsCompliance = complianceRules.length > 0;

        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: forwarderRoleName(region),
                permissionsBoundary: permissionsBoundaryArn(accountId),
                description: `EventBridge forwarding patch-run events from ${region} to the central bus (multicloud-patching)`,
                assumeRolePolicy: JSON.stringify(forwarderRoleTrust(accountId, region, forwardsCompliance ? [PATCH_RUN_NAMES.forwardNonCompliantRule] : [])),
            },
            { parent: this },
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-role-policy`,
            { role: role.name, name: "put-events-on-central-bus", policy: JSON.stringify(forwarderRolePolicy(this.targetBusArn)) },
            { parent: this },
        );

        const rules = [
            // Only this account's own events: a default bus that some other policy opened to other
            // accounts must not turn this role into a relay for them.
            { role: "automation", ruleName: PATCH_RUN_NAMES.forwardAutomationRule, pattern: automationStatusPattern(documents, args.notifySuccess ?? PATCH_RUN_NOTIFICATION_DEFAULTS.notifySuccess, [accountId]) },
            { role: "run-commands", ruleName: PATCH_RUN_NAMES.forwardRunCommandRule, pattern: runCommandFailurePattern([accountId]) as object },
            // Issue 19: this location's NON_COMPLIANT changes, for the one central compliance topic.
            ...(forwardsCompliance ? [{ role: "non-compliant", ruleName: PATCH_RUN_NAMES.forwardNonCompliantRule, pattern: { account: [accountId], ...nonCompliantEventPattern(complianceRules) } as object }] : []),
        ].map(({ role: key, ruleName, pattern }) => {
            const what = key === "non-compliant" ? "Forwards resources turning NON_COMPLIANT with the patching AWS Config rules" : `Forwards patch-run events (${key})`;
            const rule = new aws.cloudwatch.EventRule(
                `${name}-${key}`,
                { region, name: ruleName, description: `${what} to the central patch-run event bus`, eventPattern: JSON.stringify(pattern) },
                { parent: this },
            );
            new aws.cloudwatch.EventTarget(
                `${name}-${key}-forward`,
                { region, rule: rule.name, targetId: "central-event-bus", arn: this.targetBusArn, roleArn: role.arn },
                // The role must carry its policy before the first delivery.
                { parent: this, dependsOn: [rolePolicy] },
            );
            return rule;
        });

        this.roleArn = role.arn;
        this.ruleArns = pulumi.all(rules.map((rule) => rule.arn));
        this.registerOutputs({ roleArn: this.roleArn, ruleArns: this.ruleArns, targetBusArn: this.targetBusArn });
    }
}
