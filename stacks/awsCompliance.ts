import type * as pulumi from "@pulumi/pulumi";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { AUTOMATION_DOCUMENT_NAMES } from "../components/runbooks/patchAutomationDocuments";
import { PatchCompliance } from "../components/compliance/patchCompliance";
import type { AwsCoreOutputs } from "./awsCore";
import { CONFIG_DELIVERY_PREFIX, type AwsDataOutputs } from "./awsData";
import type { AwsAccount, Estate, PatchGroup } from "./config/estateModel";

/**
 * Config remediation covers every NON_COMPLIANT node of an account and Region, whatever its patch
 * group, and its rate control is a share of those resources (SsmControls
 * ConcurrentExecutionRatePercentage / ErrorPercentage, integers 1-100). So it follows the strictest
 * patch group patched there, where a group's rate control translates: a percentage carries over
 * (at least 1); a serial group (maxConcurrency "1", or maxErrors "0") maps to 1, the strictest Config
 * accepts; other absolute counts have no share equivalent and leave the component default.
 */
export function remediationRateControl(groups: readonly PatchGroup[]): { concurrentExecutionRatePercentage?: number; errorPercentage?: number } {
    const share = (value: string, serial: string): number | undefined => {
        const percentage = /^(\d+)%$/.exec(value);
        return percentage !== null ? Math.min(100, Math.max(1, Number(percentage[1]))) : value === serial ? 1 : undefined;
    };
    const strictest = (values: (number | undefined)[]) => {
        const known = values.filter((v): v is number => v !== undefined);
        return known.length === 0 ? undefined : Math.min(...known);
    };
    const concurrency = strictest(groups.map((g) => share(g.rateControl.maxConcurrency, "1")));
    const errors = strictest(groups.map((g) => share(g.rateControl.maxErrors, "0")));
    return { ...(concurrency === undefined ? {} : { concurrentExecutionRatePercentage: concurrency }), ...(errors === undefined ? {} : { errorPercentage: errors }) };
}

export interface AwsComplianceOutputs {
    /** NON_COMPLIANT topic ARN per member location. */
    readonly topics: Record<string, pulumi.Output<string>>;
}

/**
 * SPEC capability 11 in every member (account, Region): Config rules on SSM compliance, the
 * NON_COMPLIANT topic with the configured subscriptions, and — when configured — a Config
 * recorder delivering to the inventory-log bucket and automatic remediation with the patch
 * runbook under the account's execution role.
 */
export function buildAwsCompliance(estate: Estate, providerOf: (account: AwsAccount) => AwsProvider, core: AwsCoreOutputs, data: AwsDataOutputs): AwsComplianceOutputs {
    const topics: AwsComplianceOutputs["topics"] = {};
    for (const member of estate.members) {
        for (const region of member.regions) {
            const scope = `${member.alias}-${region}`;
            const location = data.locations[scope];
            const compliance = new PatchCompliance(
                `${scope}-compliance`,
                {
                    region,
                    accountId: member.id,
                    emailSubscriptions: estate.notifications.emails,
                    httpsSubscriptions: estate.notifications.httpsEndpoints,
                    ...(estate.compliance.configRecorder
                        ? { configRecorder: { deliveryBucketName: location.inventoryLogBucket, deliveryKeyPrefix: CONFIG_DELIVERY_PREFIX, deliveryKmsKeyArn: location.logKmsKeyArn } }
                        : {}),
                    ...(estate.compliance.remediation
                        ? {
                              remediation: {
                                  documentName: AUTOMATION_DOCUMENT_NAMES.runPatchBaseline,
                                  executionRoleArn: core.accounts[member.alias].executionRoleArn,
                                  mode: estate.compliance.remediation.mode,
                                  ...(estate.compliance.remediation.rebootOption === undefined ? {} : { rebootOption: estate.compliance.remediation.rebootOption }),
                                  maximumAttempts: estate.compliance.remediation.maximumAutomaticAttempts,
                                  retryAttemptSeconds: estate.compliance.remediation.retryAttemptSeconds,
                                  ...remediationRateControl(estate.patchGroups.filter((group) => group.accounts.includes(member.alias))),
                              },
                          }
                        : {}),
                },
                { provider: providerOf(member) },
            );
            topics[scope] = compliance.topicArn;
        }
    }
    return { topics };
}
