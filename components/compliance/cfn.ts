import {
    COMPLIANCE_NAMES,
    CONFIG_ROLE_POLICY_ARN,
    configRecorderTrust,
    nonCompliantEventPattern,
    patchComplianceRemediationDocument,
    recorderDeliveryPolicy,
    recorderRoleName,
    remediationParameters,
    type RemediationMode,
} from "./complianceDocuments";
import { PATCH_COMPLIANCE_DEFAULTS, remediationControls } from "./patchComplianceArgs";
import { COMPLIANCE_RULES, PATCH_RULE, recordedResourceTypes, type ComplianceRule } from "../../catalog/configRules";
import { permissionsBoundaryArn } from "../../catalog/naming";
import { roleArn } from "../identity/iamDocuments";
import { PATCH_RUN_NAMES } from "../notifications/notificationDocuments";
import { ACCOUNT_ID_MARKER, getAtt, logicalId, ref, REGION_MARKER, sub, type CfnResource } from "../organization/cloudFormation";

/**
 * Organization mode (issue 16): PatchCompliance of one member (account, Region) as CloudFormation,
 * rendered from the same builders (complianceDocuments.ts, catalog/configRules.ts): the AWS Config
 * managed rules, the recorder + delivery channel + role when the program records Config, and the
 * automatic remediation with its wrapper runbook.
 *
 * A StackSet template is the same in every Region, but AWS does not offer every rule everywhere
 * (catalog/configRules.ts `unavailableIn`; PutConfigRule fails there). So each rule a Region may
 * lack carries a CloudFormation Condition on `AWS::Region`, and the lists built from "the rules
 * of this Region" (recorded resource types, the event pattern's rule names) list each item under
 * `Fn::If` with `AWS::NoValue`, which removes it from the list where its rule is unavailable.
 * (A Region offering none of the rules would leave an empty rule-name list, which EventBridge
 * refuses in a pattern: the config validation refuses such a target Region.)
 *
 * NON_COMPLIANT notifications differ from configured-accounts mode on purpose: there each
 * location has its own topic with the e-mail/https subscriptions. Here every account × Region of
 * the organization would create that topic and send its own subscription confirmations (and a
 * new account would send more, unattended). Instead the member forwards its NON_COMPLIANT
 * compliance-change events to the central patch-run bus, exactly like the patch-run events, with
 * the same forwarder role (notifications/cfn.ts); the central stack routes them from that bus to
 * the one central compliance topic (the only subscriptions anyone confirms: the patch-run bus
 * policy admits `aws.config` compliance changes from the organization's forwarder roles, and
 * ComplianceAlerts' `patching-compliance-alerts-forwarded` rule de-duplicates them into
 * `patching-compliance-alerts`; since issue 19 configured accounts forward the same way).
 */

export const COMPLIANCE_IDS = {
    rule: (rule: ComplianceRule) => logicalId("ConfigRule", rule.role),
    /** Condition: the rule is offered in the stack's Region (present only for rules some Region lacks). */
    available: (rule: ComplianceRule) => logicalId(rule.role, "RuleAvailable"),
    recorderRole: "ConfigRecorderRole",
    recorder: "ConfigRecorder",
    deliveryChannel: "ConfigDeliveryChannel",
    remediationDocument: "RemediationDocument",
    remediation: "PatchComplianceRemediation",
    forwardRule: "NonCompliantForwardRule",
} as const;

export interface ComplianceTemplateRemediation {
    /** The patch runbook the wrapper runs (AUTOMATION_DOCUMENT_NAMES.runPatchBaseline). */
    readonly documentName: string;
    /** The account's Automation execution role, by name (the account-wide template creates it). */
    readonly executionRoleName: string;
    /** @default PATCH_COMPLIANCE_DEFAULTS.mode */
    readonly mode?: RemediationMode;
    /** @default PATCH_COMPLIANCE_DEFAULTS.rebootOption */
    readonly rebootOption?: "RebootIfNeeded" | "NoReboot";
    /** @default PATCH_COMPLIANCE_DEFAULTS.maximumAttempts */
    readonly maximumAttempts?: number;
    /** @default PATCH_COMPLIANCE_DEFAULTS.retryAttemptSeconds */
    readonly retryAttemptSeconds?: number;
    /** @default PATCH_COMPLIANCE_DEFAULTS.concurrentExecutionRatePercentage */
    readonly concurrentExecutionRatePercentage?: number;
    /** @default PATCH_COMPLIANCE_DEFAULTS.errorPercentage */
    readonly errorPercentage?: number;
}

export interface ComplianceTemplateArgs {
    /**
     * A recorder + delivery channel delivering to this location's inventory-log bucket.
     * @default - none: the rules use the recorder the account already has
     */
    readonly configRecorder?: {
        readonly deliveryBucketName: string;
        /** Logical ids of the bucket and its policy (the channel waits for the policy that admits Config). */
        readonly deliveryBucketId: string;
        readonly deliveryBucketPolicyId: string;
        readonly deliveryKeyPrefix: string;
        /** Logical id of the bucket's KMS key when SSE-KMS. @default - SSE-S3 bucket */
        readonly deliveryKeyId?: string;
    };
    /** @default - no automatic remediation */
    readonly remediation?: ComplianceTemplateRemediation;
    /** The central patch-run bus and the logical id of the forwarder role that may put events on it. */
    readonly forwarding: { readonly centralBusArn: string; readonly forwarderRoleId: string };
}

const NO_VALUE = { Ref: "AWS::NoValue" };

/** The condition a rule's resources carry, or none when AWS offers the rule in every Region. */
function conditionOf(rule: ComplianceRule): string | undefined {
    return rule.unavailableIn.length === 0 ? undefined : COMPLIANCE_IDS.available(rule);
}

/** `value` where `condition` holds; removed from its list elsewhere. */
function onlyWhere(condition: string | undefined, value: unknown): unknown {
    return condition === undefined ? value : { "Fn::If": [condition, value, NO_VALUE] };
}

/**
 * One condition per rule some Region lacks: the stack's Region is none of those. Fn::Or takes
 * 2-10 conditions (Condition functions reference), so a single Region is a plain Fn::Equals.
 */
export function complianceConditions(): Record<string, unknown> {
    const isRegion = (region: string) => ({ "Fn::Equals": [{ Ref: "AWS::Region" }, region] });
    return Object.fromEntries(
        COMPLIANCE_RULES.filter((rule) => conditionOf(rule) !== undefined).map((rule) => {
            const lacking = rule.unavailableIn.length === 1 ? isRegion(rule.unavailableIn[0]) : { "Fn::Or": rule.unavailableIn.map(isRegion) };
            return [COMPLIANCE_IDS.available(rule), { "Fn::Not": [lacking] }];
        }),
    );
}

/**
 * Every item of `items(rules)` over all rules, each under the condition(s) of the rules that
 * contribute it: resolved in a Region, the list is exactly `items(availableRules(region))` (same
 * order, since the full list is built by the same function and items only drop out).
 */
function perRegionList(items: (rules: readonly ComplianceRule[]) => string[]): unknown[] {
    return items(COMPLIANCE_RULES).map((item) => {
        const owners = COMPLIANCE_RULES.filter((rule) => items([rule]).includes(item));
        const conditions = owners.map(conditionOf);
        // An item some always-available rule contributes needs no condition.
        if (conditions.includes(undefined)) {
            return item;
        }
        if (conditions.length > 1) {
            throw new Error(`compliance template: ${item} comes from several conditional rules; add a combined condition`);
        }
        return onlyWhere(conditions[0], item);
    });
}

/** A resource that exists only where `rule` is offered. */
const underRule = (rule: ComplianceRule, resource: CfnResource): CfnResource => {
    const condition = conditionOf(rule);
    return condition === undefined ? resource : { ...resource, Condition: condition };
};

/**
 * A builder called with a stand-in for a value only CloudFormation knows (a key ARN): after
 * {@link sub}, the stand-in string is swapped for the intrinsic function.
 */
function replaceString(value: unknown, standIn: string, replacement: unknown): unknown {
    if (value === standIn) {
        return replacement;
    }
    if (Array.isArray(value)) {
        return value.map((item) => replaceString(item, standIn, replacement));
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceString(item, standIn, replacement)]));
    }
    return value;
}

const KEY_ARN_STAND_IN = "CFN-GETATT-DELIVERY-KEY-ARN";

function recorderResources(recorder: NonNullable<ComplianceTemplateArgs["configRecorder"]>): Record<string, CfnResource> {
    const account = ACCOUNT_ID_MARKER;
    const keyArn = recorder.deliveryKeyId === undefined ? undefined : getAtt(recorder.deliveryKeyId, "Arn");
    const delivery = sub(recorderDeliveryPolicy(recorder.deliveryBucketName, recorder.deliveryKeyPrefix, account, keyArn === undefined ? undefined : KEY_ARN_STAND_IN));
    return {
        [COMPLIANCE_IDS.recorderRole]: {
            Type: "AWS::IAM::Role",
            Properties: {
                RoleName: sub(recorderRoleName(REGION_MARKER)),
                PermissionsBoundary: sub(permissionsBoundaryArn(account)),
                AssumeRolePolicyDocument: sub(configRecorderTrust(account)),
                ManagedPolicyArns: [CONFIG_ROLE_POLICY_ARN],
                Policies: [{ PolicyName: "deliver-to-log-bucket", PolicyDocument: replaceString(delivery, KEY_ARN_STAND_IN, keyArn) }],
            },
        },
        [COMPLIANCE_IDS.recorder]: {
            Type: "AWS::Config::ConfigurationRecorder",
            Properties: {
                Name: COMPLIANCE_NAMES.recorder,
                RoleARN: getAtt(COMPLIANCE_IDS.recorderRole, "Arn"),
                // recordedResourceTypes(availableRules(region)), decided per Region.
                RecordingGroup: { AllSupported: false, ResourceTypes: perRegionList(recordedResourceTypes), RecordingStrategy: { UseOnly: "INCLUSION_BY_RESOURCE_TYPES" } },
            },
        },
        // CloudFormation starts the recorder once a delivery channel exists (AWS's own StackSet
        // sample that enables Config has just these two resources); there is no "status" resource.
        [COMPLIANCE_IDS.deliveryChannel]: {
            Type: "AWS::Config::DeliveryChannel",
            // PutDeliveryChannel checks that Config can write to the bucket: after its policy.
            DependsOn: [COMPLIANCE_IDS.recorder, recorder.deliveryBucketPolicyId],
            Properties: {
                Name: COMPLIANCE_NAMES.deliveryChannel,
                S3BucketName: ref(recorder.deliveryBucketId),
                ...(recorder.deliveryKeyPrefix === "" ? {} : { S3KeyPrefix: recorder.deliveryKeyPrefix }),
                ...(keyArn === undefined ? {} : { S3KmsKeyArn: keyArn }),
            },
        },
    };
}

/**
 * RemediationConfiguration `Parameters` is a map name → RemediationParameterValue
 * (`{StaticValue: {Values: [...]}}` or `{ResourceValue: {Value: "RESOURCE_ID"}}`), the provider's
 * list of `{name, staticValue | resourceValue}` in CloudFormation's shape.
 */
function cfnRemediationParameters(parameters: ReturnType<typeof remediationParameters<unknown>>): Record<string, unknown> {
    return Object.fromEntries(
        parameters.map((parameter) => [parameter.name, "resourceValue" in parameter ? { ResourceValue: { Value: parameter.resourceValue } } : { StaticValue: { Values: [parameter.staticValue] } }]),
    );
}

function remediationResources(remediation: ComplianceTemplateRemediation): Record<string, CfnResource> {
    const defaults = PATCH_COMPLIANCE_DEFAULTS;
    const executionRoleArn = roleArn(ACCOUNT_ID_MARKER, remediation.executionRoleName);
    const parameters = remediationParameters(executionRoleArn, remediation.mode ?? defaults.mode, remediation.rebootOption ?? defaults.rebootOption);
    const controls = remediationControls(remediation);
    return {
        // Remediation of the patch rule only exists where that rule does (config validation
        // refuses remediation where it is unavailable in configured-accounts mode).
        [COMPLIANCE_IDS.remediationDocument]: underRule(PATCH_RULE, {
            Type: "AWS::SSM::Document",
            Properties: {
                Name: COMPLIANCE_NAMES.remediationDocument,
                DocumentType: "Automation",
                DocumentFormat: "YAML",
                UpdateMethod: "NewVersion",
                // The model as an object, as runbooks/cfn.ts (renderDocument(Content) is the component's YAML).
                Content: patchComplianceRemediationDocument(remediation.documentName),
            },
        }),
        [COMPLIANCE_IDS.remediation]: underRule(PATCH_RULE, {
            Type: "AWS::Config::RemediationConfiguration",
            Properties: {
                ConfigRuleName: ref(COMPLIANCE_IDS.rule(PATCH_RULE)),
                ResourceType: PATCH_RULE.resourceTypes[0],
                TargetType: "SSM_DOCUMENT",
                TargetId: ref(COMPLIANCE_IDS.remediationDocument),
                Parameters: sub(cfnRemediationParameters(parameters)),
                Automatic: true,
                MaximumAutomaticAttempts: controls.maximumAttempts,
                RetryAttemptSeconds: controls.retryAttemptSeconds,
                ExecutionControls: { SsmControls: { ConcurrentExecutionRatePercentage: controls.concurrentExecutionRatePercentage, ErrorPercentage: controls.errorPercentage } },
            },
        }),
    };
}

/** Config rules (+ recorder, remediation) and the NON_COMPLIANT forwarding rule of one location. */
export function complianceResources(args: ComplianceTemplateArgs): Record<string, CfnResource> {
    const recorder = args.configRecorder === undefined ? {} : recorderResources(args.configRecorder);
    const rules = Object.fromEntries(
        COMPLIANCE_RULES.map((rule) => [
            COMPLIANCE_IDS.rule(rule),
            underRule(rule, {
                Type: "AWS::Config::ConfigRule",
                // PutConfigRule needs a recorder in the Region; ours, when this template owns it.
                ...(args.configRecorder === undefined ? {} : { DependsOn: [COMPLIANCE_IDS.recorder, COMPLIANCE_IDS.deliveryChannel] }),
                Properties: { ConfigRuleName: rule.name, Source: { Owner: "AWS", SourceIdentifier: rule.identifier }, Scope: { ComplianceResourceTypes: [...rule.resourceTypes] } },
            }),
        ]),
    );
    // The configured-accounts pattern with this Region's rules, plus (as the patch-run
    // forwarders) only this account's own events: a default bus some other policy opened to
    // other accounts must not turn the forwarder role into a relay for them.
    const pattern = { account: [ACCOUNT_ID_MARKER], ...nonCompliantEventPattern([]) };
    const eventPattern = { ...pattern, detail: { ...pattern.detail, configRuleName: perRegionList((rules) => rules.map((rule) => rule.name)) } };
    return {
        ...recorder,
        ...rules,
        ...(args.remediation === undefined ? {} : remediationResources(args.remediation)),
        [COMPLIANCE_IDS.forwardRule]: {
            Type: "AWS::Events::Rule",
            Properties: {
                Name: PATCH_RUN_NAMES.forwardNonCompliantRule,
                Description: "Forwards resources turning NON_COMPLIANT with the patching AWS Config rules to the central patch-run event bus",
                EventPattern: sub(eventPattern),
                State: "ENABLED",
                Targets: [{ Id: "central-event-bus", Arn: args.forwarding.centralBusArn, RoleArn: getAtt(args.forwarding.forwarderRoleId, "Arn") }],
            },
        },
    };
}
