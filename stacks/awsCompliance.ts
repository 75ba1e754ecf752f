import type * as pulumi from "@pulumi/pulumi";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { AUTOMATION_DOCUMENT_NAMES } from "../components/runbooks/patchAutomationDocuments";
import { PatchCompliance } from "../components/compliance/patchCompliance";
import type { AwsCoreOutputs } from "./awsCore";
import { CONFIG_DELIVERY_PREFIX, type AwsDataOutputs } from "./awsData";
import type { AwsAccount, Estate } from "./config/estateModel";

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
                                  operation: estate.compliance.remediationOperation,
                                  maximumAttempts: estate.compliance.remediationMaxAttempts,
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
