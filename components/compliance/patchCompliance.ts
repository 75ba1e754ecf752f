import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    COMPLIANCE_NAMES,
    CONFIG_ROLE_POLICY_ARN,
    configRecorderTrust,
    patchComplianceRemediationDocument,
    recorderDeliveryPolicy,
    recorderRoleName,
    remediationParameters,
} from "./complianceDocuments";
import { PATCH_COMPLIANCE_DEFAULTS, remediationControls, validatePatchComplianceArgs, type PatchComplianceArgs, type PatchComplianceRemediation } from "./patchComplianceArgs";
import { availableRules, PATCH_RULE, recordedResourceTypes } from "../../catalog/configRules";
import { permissionsBoundaryArn } from "../../catalog/naming";
import { renderDocument } from "../runbooks/patchAutomationDocuments";

/**
 * SPEC capability 11 for one member (account, Region): the three AWS Config managed rules on SSM
 * compliance (optionally with the recorder they need) and optional automatic remediation of patch
 * non-compliance with the patch runbook. NON_COMPLIANT notifications are not per location any
 * more (issue 19): PatchRunEventForwarding forwards this location's changes to the central bus,
 * where ComplianceAlerts de-duplicates them into the one compliance topic.
 */
export class PatchCompliance extends pulumi.ComponentResource {
    /** The Config rules created (a Region may not offer all three; see COMPLIANCE_RULES). */
    readonly ruleNames: pulumi.Output<string[]>;

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

        if (args.remediation !== undefined) {
            const patchRule = rules[rulesToCreate.indexOf(PATCH_RULE)];
            this.remediation(name, region, args.remediation, patchRule);
        }

        this.ruleNames = pulumi.all(rules.map((rule) => rule.name));
        this.registerOutputs({ ruleNames: this.ruleNames });
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
        const controls = remediationControls(remediation);
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
                maximumAutomaticAttempts: controls.maximumAttempts,
                retryAttemptSeconds: controls.retryAttemptSeconds,
                executionControls: { ssmControls: { concurrentExecutionRatePercentage: controls.concurrentExecutionRatePercentage, errorPercentage: controls.errorPercentage } },
            },
            { parent: this },
        );
    }
}
