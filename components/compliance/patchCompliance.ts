import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    COMPLIANCE_NAMES,
    CONFIG_ROLE_POLICY_ARN,
    configRecorderTrust,
    NON_COMPLIANT_MESSAGE,
    nonCompliantEventPattern,
    patchComplianceRemediationDocument,
    recorderDeliveryPolicy,
    recorderRoleName,
    remediationAttemptMaxSeconds,
    remediationParameters,
    topicPolicy,
    type RemediationMode,
} from "./complianceDocuments";
import { topicKeyPolicy } from "../notifications/topicDocuments";
import { availableRules, PATCH_RULE, recordedResourceTypes } from "../../catalog/configRules";
import { documentNameProblem } from "../runbooks/patchAutomationDocuments";
import { subscriptionProblems } from "../notifications/subscriptionChecks";
import { subscribeTopic } from "../notifications/topicSubscriptions";
import { permissionsBoundaryArn } from "../../catalog/naming";
import { renderDocument } from "../runbooks/patchAutomationDocuments";

/**
 * Defaults of the optional arguments. Remediation installs and reboots if needed: that is the only
 * combination after which the node can report COMPLIANT (NoReboot leaves InstalledPendingReboot,
 * which the patch-compliance rule reports NON_COMPLIANT). Three attempts within a day: AWS's own
 * defaults (5 within 60 s) could never hold even two patch runs, so a node that does not converge
 * would be remediated forever (see remediationAttemptMaxSeconds).
 */
export const PATCH_COMPLIANCE_DEFAULTS = {
    mode: "install",
    rebootOption: "RebootIfNeeded",
    maximumAttempts: 3,
    retryAttemptSeconds: 86400,
    concurrentExecutionRatePercentage: 10,
    errorPercentage: 50,
} as const satisfies { mode: RemediationMode; rebootOption: "RebootIfNeeded" | "NoReboot" } & Record<string, unknown>;

export const REMEDIATION_MODES: readonly RemediationMode[] = ["install", "refresh-compliance"];

export interface PatchComplianceRemediation {
    /** The patch runbook the remediation runs on each node, e.g. `patching-RunPatchBaseline`. */
    readonly documentName: string;
    /** Role Automation assumes (trusted by ssm.amazonaws.com, allowed to run the runbook). */
    readonly executionRoleArn: pulumi.Input<string>;
    /** Attempts per resource within `retryAttemptSeconds` before Config adds a remediation exception, 1-25. @default PATCH_COMPLIANCE_DEFAULTS.maximumAttempts */
    readonly maximumAttempts?: number;
    /**
     * The window those attempts are counted in, 1-2678000 seconds; must hold `maximumAttempts`
     * back-to-back attempts (remediationAttemptMaxSeconds each). @default PATCH_COMPLIANCE_DEFAULTS.retryAttemptSeconds
     */
    readonly retryAttemptSeconds?: number;
    /** `install` patches the node; `refresh-compliance` only rescans it (Scan). @default PATCH_COMPLIANCE_DEFAULTS.mode */
    readonly mode?: RemediationMode;
    /** Install mode only; NoReboot is refused (it cannot converge). @default PATCH_COMPLIANCE_DEFAULTS.rebootOption */
    readonly rebootOption?: "RebootIfNeeded" | "NoReboot";
    /** Share of non-compliant resources remediated at once, 1-100. @default PATCH_COMPLIANCE_DEFAULTS.concurrentExecutionRatePercentage */
    readonly concurrentExecutionRatePercentage?: number;
    /** Share of failed remediations that stops the rest, 1-100. @default PATCH_COMPLIANCE_DEFAULTS.errorPercentage */
    readonly errorPercentage?: number;
}

export interface PatchComplianceArgs {
    readonly region: string;
    readonly accountId: string;
    /** E-mail addresses subscribed to the NON_COMPLIANT topic (each must confirm). @default - none */
    readonly emailSubscriptions?: readonly string[];
    /** https endpoints subscribed to the NON_COMPLIANT topic (each must confirm). @default - none */
    readonly httpsSubscriptions?: readonly string[];
    /** Create a configuration recorder + delivery channel (only for accounts/Regions without one). @default - none: the rules use the existing recorder */
    readonly configRecorder?: {
        /** An Output resolving once the bucket policy allows Config, so the channel waits for it. */
        readonly deliveryBucketName: pulumi.Input<string>;
        readonly deliveryKeyPrefix: string;
        /**
         * The delivery bucket's KMS key when it is SSE-KMS (its policy must allow config.amazonaws.com:
         * see `configDeliveryKeyStatement`).
         * @default - SSE-S3 bucket
         */
        readonly deliveryKmsKeyArn?: pulumi.Input<string>;
    };
    /** Automatic remediation of patch non-compliance with the patch runbook. @default - off */
    readonly remediation?: PatchComplianceRemediation;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const integerIn = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;

function remediationProblems(args: PatchComplianceArgs, remediation: PatchComplianceRemediation): string[] {
    const ranges: [keyof PatchComplianceRemediation, number, number][] = [
        ["maximumAttempts", 1, 25],
        ["retryAttemptSeconds", 1, 2678000],
        ["concurrentExecutionRatePercentage", 1, 100],
        ["errorPercentage", 1, 100],
    ];
    const role = remediation.executionRoleArn;
    const documentName = documentNameProblem(remediation.documentName);
    const mode = remediation.mode ?? PATCH_COMPLIANCE_DEFAULTS.mode;
    const attempts = remediation.maximumAttempts ?? PATCH_COMPLIANCE_DEFAULTS.maximumAttempts;
    const window = remediation.retryAttemptSeconds ?? PATCH_COMPLIANCE_DEFAULTS.retryAttemptSeconds;
    const attemptSeconds = remediationAttemptMaxSeconds(patchComplianceRemediationDocument(remediation.documentName));
    return [
        ...(availableRules(args.region).includes(PATCH_RULE) ? [] : [`remediation is set, but region "${args.region}" does not offer ${PATCH_RULE.identifier}, the rule it remediates`]),
        ...(documentName === undefined ? [] : [`remediation.${documentName.replace(/^document name/, "documentName")}`]),
        ...(remediation.documentName === COMPLIANCE_NAMES.remediationDocument ? [`remediation.documentName "${remediation.documentName}" is the remediation wrapper itself; name the patch runbook it runs`] : []),
        ...(typeof role === "string" && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(role) ? [`remediation.executionRoleArn "${role}" is not an IAM role ARN`] : []),
        ...ranges.flatMap(([field, min, max]) => {
            const value = remediation[field] as number | undefined;
            return value === undefined || integerIn(value, min, max) ? [] : [`remediation.${field} ${value} is not an integer from ${min} to ${max}`];
        }),
        ...(REMEDIATION_MODES.includes(mode) ? [] : [`remediation.mode "${mode}" is not one of ${REMEDIATION_MODES.join(", ")}`]),
        ...rebootOptionProblems(mode, remediation.rebootOption),
        // Only when both are valid integers: otherwise their own range message says it.
        ...(!integerIn(attempts, 1, 25) || !integerIn(window, 1, 2678000) || window >= attempts * attemptSeconds
            ? []
            : [
                  `remediation.retryAttemptSeconds ${window} cannot hold maximumAttempts (${attempts}) attempts of up to ${attemptSeconds} s each; ` +
                      `Config adds a remediation exception only when that many attempts fall within the window, so a node that never turns COMPLIANT would be remediated forever; use at least ${attempts * attemptSeconds}`,
              ]),
    ];
}

function rebootOptionProblems(mode: RemediationMode, rebootOption: string | undefined): string[] {
    if (rebootOption === undefined || rebootOption === "RebootIfNeeded") {
        return mode === "refresh-compliance" && rebootOption !== undefined ? [`remediation.rebootOption "${rebootOption}" applies only to mode install; refresh-compliance scans and never reboots`] : [];
    }
    if (rebootOption !== "NoReboot") {
        return [`remediation.rebootOption "${rebootOption}" is not one of RebootIfNeeded, NoReboot`];
    }
    return mode === "install"
        ? [
              'remediation.rebootOption "NoReboot" is refused for mode install: patches installed without a reboot stay InstalledPendingReboot, which the patch-compliance rule reports NON_COMPLIANT, so Config would start the install again; use RebootIfNeeded, or mode refresh-compliance',
          ]
        : [`remediation.rebootOption "NoReboot" applies only to mode install; refresh-compliance scans and never reboots`];
}

/** Throws one error listing every problem, each naming the argument, the value and what is allowed. */
export function validatePatchComplianceArgs(args: PatchComplianceArgs): void {
    const recorder = args.configRecorder;
    const problems = [
        ...(/^[a-z]{2}(-[a-z]+)+-\d+$/.test(args.region) ? [] : [`region "${args.region}" is not an AWS Region code`]),
        ...(/^[a-z]{2}(-[a-z]+)+-\d+$/.test(args.region) && availableRules(args.region).length === 0 ? [`region "${args.region}" offers none of the three AWS Config rules`] : []),
        ...(/^\d{12}$/.test(args.accountId) ? [] : [`accountId "${args.accountId}" is not a 12-digit AWS account id`]),
        ...subscriptionProblems(args.emailSubscriptions ?? [], args.httpsSubscriptions ?? []),
        ...(recorder === undefined || typeof recorder.deliveryBucketName !== "string" || (BUCKET_NAME.test(recorder.deliveryBucketName) && !recorder.deliveryBucketName.includes(".."))
            ? []
            : [`configRecorder.deliveryBucketName "${recorder.deliveryBucketName}" is not a valid S3 bucket name (3-63 of a-z 0-9 . -)`]),
        ...(recorder === undefined || !/^\/|\/$/.test(recorder.deliveryKeyPrefix) ? [] : [`configRecorder.deliveryKeyPrefix "${recorder.deliveryKeyPrefix}" must not start or end with "/"`]),
        ...(args.remediation === undefined ? [] : remediationProblems(args, args.remediation)),
    ];
    if (problems.length > 0) {
        throw new Error(`PatchCompliance: ${problems.join("; ")}`);
    }
}


/**
 * SPEC capability 11 for one member (account, Region): the three AWS Config managed rules on SSM
 * compliance (optionally with the recorder they need), an EventBridge rule on NON_COMPLIANT
 * changes that e-mails/posts through a KMS-encrypted SNS topic, and optional automatic
 * remediation of patch non-compliance with the patch runbook.
 */
export class PatchCompliance extends pulumi.ComponentResource {
    readonly topicArn: pulumi.Output<string>;
    /** The Config rules created (a Region may not offer all three; see COMPLIANCE_RULES). */
    readonly ruleNames: pulumi.Output<string[]>;
    readonly eventRuleArn: pulumi.Output<string>;

    constructor(name: string, args: PatchComplianceArgs, opts?: pulumi.ComponentResourceOptions) {
        validatePatchComplianceArgs(args);
        super("patching:compliance:PatchCompliance", name, {}, opts);
        const region = args.region;
        const rulesToCreate = availableRules(region);
        const recorder = args.configRecorder === undefined ? [] : this.recorder(name, args, args.configRecorder, recordedResourceTypes(rulesToCreate));
        const rules = rulesToCreate.map(
            (rule) =>
                new aws.cfg.Rule(
                    `${name}-${rule.role}`,
                    { region, name: rule.name, source: { owner: "AWS", sourceIdentifier: rule.identifier }, scope: { complianceResourceTypes: [...rule.resourceTypes] } },
                    // PutConfigRule needs a recorder in the Region; ours, when this component owns it.
                    { parent: this, dependsOn: recorder },
                ),
        );

        const key = new aws.kms.Key(
            `${name}-topic-key`,
            { region, description: "Encrypts the patching NON_COMPLIANT topic; EventBridge may use it to publish", enableKeyRotation: true, deletionWindowInDays: 30, policy: JSON.stringify(topicKeyPolicy(args.accountId)) },
            { parent: this },
        );
        new aws.kms.Alias(`${name}-topic-key-alias`, { region, name: COMPLIANCE_NAMES.topicKeyAlias, targetKeyId: key.keyId }, { parent: this });
        const topic = new aws.sns.Topic(`${name}-topic`, { region, name: COMPLIANCE_NAMES.topic, kmsMasterKeyId: key.arn }, { parent: this });
        const eventRule = new aws.cloudwatch.EventRule(
            `${name}-non-compliant`,
            {
                region,
                name: COMPLIANCE_NAMES.eventRule,
                description: "Resources turning NON_COMPLIANT with the patching AWS Config rules",
                eventPattern: JSON.stringify(nonCompliantEventPattern(rulesToCreate.map((rule) => rule.name))),
            },
            { parent: this },
        );
        const policyJson = pulumi.all([topic.arn, eventRule.arn]).apply(([topicArn, ruleArn]) => JSON.stringify(topicPolicy(topicArn, ruleArn, args.accountId)));
        new aws.sns.TopicPolicy(`${name}-topic-policy`, { region, arn: topic.arn, policy: policyJson }, { parent: this });
        new aws.cloudwatch.EventTarget(
            `${name}-notify`,
            { region, rule: eventRule.name, targetId: "non-compliant-topic", arn: topic.arn, inputTransformer: { inputPaths: { ...NON_COMPLIANT_MESSAGE.inputPaths }, inputTemplate: NON_COMPLIANT_MESSAGE.inputTemplate } },
            { parent: this },
        );
        subscribeTopic(this, name, region, topic.arn, args.emailSubscriptions ?? [], args.httpsSubscriptions ?? []);
        if (args.remediation !== undefined) {
            const patchRule = rules[rulesToCreate.indexOf(PATCH_RULE)];
            this.remediation(name, region, args.remediation, patchRule);
        }

        this.topicArn = topic.arn;
        this.ruleNames = pulumi.all(rules.map((rule) => rule.name));
        this.eventRuleArn = eventRule.arn;
        this.registerOutputs({ topicArn: this.topicArn, ruleNames: this.ruleNames, eventRuleArn: this.eventRuleArn });
    }

    /**
     * Recorder, delivery channel and status, in the order AWS needs: the channel needs the recorder,
     * and recording can start only with a channel (provider docs of aws.cfg.RecorderStatus).
     */
    private recorder(name: string, args: PatchComplianceArgs, config: NonNullable<PatchComplianceArgs["configRecorder"]>, resourceTypes: string[]): pulumi.Resource[] {
        const region = args.region;
        const role = new aws.iam.Role(`${name}-recorder-role`, { name: recorderRoleName(region), permissionsBoundary: permissionsBoundaryArn(args.accountId), assumeRolePolicy: JSON.stringify(configRecorderTrust(args.accountId)) }, { parent: this });
        const attachment = new aws.iam.RolePolicyAttachment(`${name}-recorder-role-policy`, { role: role.name, policyArn: CONFIG_ROLE_POLICY_ARN }, { parent: this });
        const delivery = new aws.iam.RolePolicy(
            `${name}-recorder-delivery`,
            {
                role: role.name,
                name: "deliver-to-log-bucket",
                policy: pulumi
                    .all([config.deliveryBucketName, config.deliveryKmsKeyArn])
                    .apply(([bucket, key]) => JSON.stringify(recorderDeliveryPolicy(bucket, config.deliveryKeyPrefix, args.accountId, key))),
            },
            { parent: this },
        );
        const recorder = new aws.cfg.Recorder(
            `${name}-recorder`,
            {
                region,
                name: COMPLIANCE_NAMES.recorder,
                roleArn: role.arn,
                recordingGroup: { allSupported: false, resourceTypes, recordingStrategies: [{ useOnly: "INCLUSION_BY_RESOURCE_TYPES" }] },
            },
            { parent: this },
        );
        const channel = new aws.cfg.DeliveryChannel(
            `${name}-delivery-channel`,
            {
                region,
                name: COMPLIANCE_NAMES.deliveryChannel,
                s3BucketName: config.deliveryBucketName,
                ...(config.deliveryKeyPrefix === "" ? {} : { s3KeyPrefix: config.deliveryKeyPrefix }),
                ...(config.deliveryKmsKeyArn === undefined ? {} : { s3KmsKeyArn: config.deliveryKmsKeyArn }),
            },
            // PutDeliveryChannel checks that the recorder's role can write to the bucket.
            { parent: this, dependsOn: [recorder, delivery] },
        );
        const status = new aws.cfg.RecorderStatus(`${name}-recorder-status`, { region, name: recorder.name, isEnabled: true }, { parent: this, dependsOn: [channel, attachment] });
        return [recorder, status];
    }

    /**
     * Automatic remediation on the patch-compliance rule through the wrapper runbook, which turns
     * Config's `AWS::SSM::ManagedInstanceInventory/<node>` resource id into the node id. Config
     * starts it for every NON_COMPLIANT evaluation (and again on later ones while the node stays
     * NON_COMPLIANT); validation guarantees the attempts are bounded (see remediationProblems).
     * SsmControls: ConcurrentExecutionRatePercentage / ErrorPercentage, 1-100 (API_SsmControls).
     */
    private remediation(name: string, region: string, remediation: PatchComplianceRemediation, patchRule: aws.cfg.Rule): void {
        const defaults = PATCH_COMPLIANCE_DEFAULTS;
        const document = new aws.ssm.Document(
            `${name}-remediation-document`,
            { region, name: COMPLIANCE_NAMES.remediationDocument, documentType: "Automation", documentFormat: "YAML", content: renderDocument(patchComplianceRemediationDocument(remediation.documentName)) },
            { parent: this },
        );
        new aws.cfg.RemediationConfiguration(
            `${name}-remediation`,
            {
                region,
                configRuleName: patchRule.name,
                resourceType: PATCH_RULE.resourceTypes[0],
                targetType: "SSM_DOCUMENT",
                targetId: document.name,
                parameters: remediationParameters(remediation.executionRoleArn, remediation.mode ?? defaults.mode, remediation.rebootOption ?? defaults.rebootOption),
                automatic: true,
                maximumAutomaticAttempts: remediation.maximumAttempts ?? defaults.maximumAttempts,
                retryAttemptSeconds: remediation.retryAttemptSeconds ?? defaults.retryAttemptSeconds,
                executionControls: {
                    ssmControls: {
                        concurrentExecutionRatePercentage: remediation.concurrentExecutionRatePercentage ?? defaults.concurrentExecutionRatePercentage,
                        errorPercentage: remediation.errorPercentage ?? defaults.errorPercentage,
                    },
                },
            },
            { parent: this },
        );
    }
}
