import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { adoptionTemplate, resourcesToImport } from "../../components/organization/adoption";
import { regionalTemplate, templateBody } from "../../components/organization/templates";
import { MEMBER_STACK_SET_NAMES } from "../../components/organization/stackSets";
import { organizationPatchGroups, organizationRegions, templateContext } from "../../stacks/awsOrganization";
import type { OpsDeps } from "./clients";
import { loadEstate, UsageError } from "./estate";

export interface OrgAdoptionOptions {
    readonly stack: string;
    /** The account being moved into organization mode (12-digit id). */
    readonly accountId: string;
    readonly region: string;
    /** The retained log key's id, when the log buckets are SSE-KMS. */
    readonly logKeyId?: string;
    /** @default `.plan/adoption-<account>-<region>` under the project folder */
    readonly out?: string;
}

/** The stack name CloudFormation gets for the import change set (the StackSet adopts it afterwards). */
export const adoptionStackName = (accountId: string, region: string): string => `patching-adopt-${accountId}-${region}`;

/**
 * `npm run ops -- org-adoption`: writes the import change set's template and resources-to-import
 * for one account and Region of an organization-mode stack, and prints the AWS CLI commands that
 * adopt the retained log buckets and key into the Regional StackSet (README, "Moving configured
 * accounts into organization mode"). Calls no AWS API itself.
 */
export function orgAdoption(options: OrgAdoptionOptions, deps: OpsDeps): number {
    const estate = loadEstate(deps.directory, options.stack);
    if (estate.organization === undefined) {
        throw new UsageError(`--stack: ${options.stack} has no organization block; adoption moves accounts into organization mode`);
    }
    if (!/^\d{12}$/.test(options.accountId)) {
        throw new UsageError(`--account-id: "${options.accountId}" is not a 12-digit AWS account id`);
    }
    const regions = organizationRegions(estate);
    if (!regions.includes(options.region)) {
        throw new UsageError(`--region: "${options.region}" is not a target Region of ${options.stack} (${regions.join(", ")})`);
    }
    const template = regionalTemplate(templateContext(estate, { regions, patchGroups: organizationPatchGroups(estate) }));
    let imports;
    try {
        imports = resourcesToImport(template, { accountId: options.accountId, region: options.region, ...(options.logKeyId === undefined ? {} : { logKeyId: options.logKeyId }) });
    } catch (error) {
        throw new UsageError(`--log-key-id: ${(error as Error).message}`);
    }
    const out = options.out ?? path.join(deps.directory, ".plan", `adoption-${options.accountId}-${options.region}`);
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, "template.json"), `${templateBody(adoptionTemplate(template))}\n`);
    writeFileSync(path.join(out, "resources-to-import.json"), `${JSON.stringify(imports, null, 2)}\n`);
    const stack = adoptionStackName(options.accountId, options.region);
    const callAs = estate.organization.callAs;
    deps.stdout.write(
        [
            `Wrote ${path.join(out, "template.json")} and resources-to-import.json (${imports.length} resources).`,
            `In account ${options.accountId}, Region ${options.region}:`,
            `  aws cloudformation create-change-set --stack-name ${stack} --change-set-name adopt --change-set-type IMPORT \\`,
            `    --template-body file://${path.join(out, "template.json")} --resources-to-import file://${path.join(out, "resources-to-import.json")} --region ${options.region}`,
            `  aws cloudformation execute-change-set --stack-name ${stack} --change-set-name adopt --region ${options.region}`,
            `In the central account (the StackSet's Region ${estate.central.region}), with the stack id printed by describe-stacks:`,
            `  aws cloudformation import-stacks-to-stack-set --stack-set-name ${MEMBER_STACK_SET_NAMES.regional} --stack-ids <stack id> \\`,
            `    --organizational-unit-ids <the account's OU> --call-as ${callAs} --region ${estate.central.region}`,
            "",
        ].join("\n"),
    );
    return 0;
}
