import type * as pulumi from "@pulumi/pulumi";
import { COMPLIANCE_NAMES, patchComplianceRemediationDocument, remediationAttemptMaxSeconds, type RemediationMode } from "./complianceDocuments";
import { availableRules, PATCH_RULE } from "../../catalog/configRules";
import { documentNameProblem } from "../runbooks/patchAutomationDocuments";

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

/** The attempt window and rate controls of a remediation, defaults applied (both deployment modes use it). */
export function remediationControls(remediation: {
    readonly maximumAttempts?: number;
    readonly retryAttemptSeconds?: number;
    readonly concurrentExecutionRatePercentage?: number;
    readonly errorPercentage?: number;
}): { maximumAttempts: number; retryAttemptSeconds: number; concurrentExecutionRatePercentage: number; errorPercentage: number } {
    const defaults = PATCH_COMPLIANCE_DEFAULTS;
    return {
        maximumAttempts: remediation.maximumAttempts ?? defaults.maximumAttempts,
        retryAttemptSeconds: remediation.retryAttemptSeconds ?? defaults.retryAttemptSeconds,
        concurrentExecutionRatePercentage: remediation.concurrentExecutionRatePercentage ?? defaults.concurrentExecutionRatePercentage,
        errorPercentage: remediation.errorPercentage ?? defaults.errorPercentage,
    };
}

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
