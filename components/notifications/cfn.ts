import { automationStatusPattern, forwarderRoleName, forwarderRolePolicy, forwarderRoleTrust, PATCH_RUN_NAMES, runCommandFailurePattern } from "./notificationDocuments";
import { PATCH_RUN_NOTIFICATION_DEFAULTS } from "./patchRunNotifications";
import { permissionsBoundaryArn } from "../../catalog/naming";
import { ACCOUNT_ID_MARKER, getAtt, REGION_MARKER, sub, type CfnResources } from "../organization/cloudFormation";

/**
 * Organization mode (issue 16): PatchRunEventForwarding of one member (account, Region) as
 * CloudFormation, from the same builders (notificationDocuments.ts): the forwarder role and the
 * two rules on the default bus that forward this account's patch-run events to the central
 * patch-run bus.
 *
 * Every stack instance forwards: in configured-accounts mode the central account's central Region
 * is skipped (its events are already on the central bus's side), but StackSets never deploy to
 * configured accounts, and the central account always is one.
 *
 * IAM is global, yet the role lives in the Regional template: its name carries the Region
 * (`forwarderRoleName(region)` with the `${AWS::Region}` marker → Fn::Sub in RoleName), so the
 * stack instances of one account in several Regions create distinct roles, each trusted only by
 * its own Region's rules, as in configured-accounts mode.
 */
export interface ForwardingTemplateArgs {
    readonly centralBusArn: string;
    /** Same value as the central PatchRunNotifications'. @default PATCH_RUN_NOTIFICATION_DEFAULTS.notifySuccess */
    readonly notifySuccess?: boolean;
    /**
     * Further rules of this template that forward through the same role (the NON_COMPLIANT
     * forwarding of compliance/cfn.ts): the role's trust must name every rule that assumes it.
     * @default - only the two patch-run rules
     */
    readonly extraRuleNames?: readonly string[];
}

export const FORWARDING_IDS = {
    role: "PatchRunForwarderRole",
    automationRule: "PatchRunForwardAutomationRule",
    runCommandRule: "PatchRunForwardRunCommandRule",
} as const;

export function forwardingResources(args: ForwardingTemplateArgs): CfnResources {
    const account = ACCOUNT_ID_MARKER;
    const region = REGION_MARKER;
    const documents = PATCH_RUN_NOTIFICATION_DEFAULTS.documentNames;
    const notifySuccess = args.notifySuccess ?? PATCH_RUN_NOTIFICATION_DEFAULTS.notifySuccess;
    const target = { Id: "central-event-bus", Arn: args.centralBusArn, RoleArn: getAtt(FORWARDING_IDS.role, "Arn") };
    const rules = [
        { id: FORWARDING_IDS.automationRule, key: "automation", name: PATCH_RUN_NAMES.forwardAutomationRule, pattern: automationStatusPattern(documents, notifySuccess, [account]) },
        { id: FORWARDING_IDS.runCommandRule, key: "run-commands", name: PATCH_RUN_NAMES.forwardRunCommandRule, pattern: runCommandFailurePattern([account]) },
    ];
    return {
        [FORWARDING_IDS.role]: {
            Type: "AWS::IAM::Role",
            Properties: {
                RoleName: sub(forwarderRoleName(region)),
                PermissionsBoundary: sub(permissionsBoundaryArn(account)),
                Description: sub(`EventBridge forwarding patch-run events from ${region} to the central bus (multicloud-patching)`),
                AssumeRolePolicyDocument: sub(forwarderRoleTrust(account, region, args.extraRuleNames ?? [])),
                // Inline, so the rules' RoleArn (GetAtt) waits for the policy as well.
                Policies: [{ PolicyName: "put-events-on-central-bus", PolicyDocument: sub(forwarderRolePolicy(args.centralBusArn)) }],
            },
        },
        ...Object.fromEntries(
            rules.map((rule) => [
                rule.id,
                {
                    Type: "AWS::Events::Rule",
                    Properties: {
                        Name: rule.name,
                        Description: `Forwards patch-run events (${rule.key}) to the central patch-run event bus`,
                        EventPattern: sub(rule.pattern),
                        State: "ENABLED",
                        Targets: [target],
                    },
                },
            ]),
        ),
    };
}
