import * as path from "node:path";
import { parseEstateConfig } from "../../../stacks/config/estateConfig";
import { STRUCTURED_CONFIG_KEYS } from "../../../stacks/config/schema";
import type { AwsAccount, Estate } from "../../../stacks/config/estateModel";
import { patchGroupsFor } from "../../../stacks/awsCore";
import { templateContext } from "../../../stacks/awsOrganization";
import type { TemplateContext } from "../../../components/organization/templates";
import { readStackConfig } from "../../../tools/mock/stackConfig";

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** A committed stack file's estate, parsed by the real config code. */
export function stackEstate(stack: string): Estate {
    const config = readStackConfig(ROOT, stack);
    const prefix = `${config.project}:`;
    const raw = Object.fromEntries(
        Object.entries(config.values)
            // As loadEstateConfig: an empty scalar is "not set" (Pulumi.yaml's optional defaults).
            .filter(([key, value]) => key.startsWith(prefix) && value !== "")
            .map(([key, value]) => {
                const name = key.slice(prefix.length);
                return [name, (STRUCTURED_CONFIG_KEYS as readonly string[]).includes(name) ? (JSON.parse(value) as unknown) : value];
            }),
    );
    return parseEstateConfig(raw, { project: config.project, stack });
}

/**
 * The template context for one member account of a configured-accounts estate: the same values
 * stacks/awsCore.ts and stacks/awsData.ts hand that account's components (stacks/awsOrganization.ts
 * templateContext, which organization mode uses for the StackSets).
 */
export function contextFor(estate: Estate, member: AwsAccount, dataSyncKmsKeyArn?: string, enforcerCodeS3Key = ENFORCER_TEST_CODE_KEY): TemplateContext {
    return templateContext(estate, { regions: member.regions, patchGroups: patchGroupsFor(estate, member), ...(dataSyncKmsKeyArn === undefined ? {} : { dataSyncKmsKeyArn }), enforcerCodeS3Key });
}

/** Any key under the enforcer prefix: what the central stack publishes is a content-hashed name like this. */
export const ENFORCER_TEST_CODE_KEY = "lambda/ssm-role-enforcer/0123abcd.zip";
