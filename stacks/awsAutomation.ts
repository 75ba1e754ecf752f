import type * as pulumi from "@pulumi/pulumi";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { PatchAutomationDocuments } from "../components/patchAutomationDocuments";
import type { AwsAccount, Estate } from "./estateModel";

export interface AwsAutomationOutputs {
    /** Document ARNs per location (`<alias>-<region>`). */
    readonly documents: Record<string, Record<string, pulumi.Output<string>>>;
}

/**
 * Every (account, Region) the patch runbooks must exist in, under the same names: each member
 * location (the child executions run there) and the central account's Region (where the
 * schedules start the parent execution).
 */
export function runbookLocations(estate: Estate): { account: AwsAccount; region: string }[] {
    const locations = estate.members.flatMap((account) => account.regions.map((region) => ({ account, region })));
    const central = estate.central;
    if (!locations.some((l) => l.account.alias === central.account.alias && l.region === central.region)) {
        locations.push({ account: central.account, region: central.region });
    }
    return locations;
}

/** SPEC capability 8: the patch Automation documents in every location that runs them. */
export function buildAwsAutomation(estate: Estate, providerOf: (account: AwsAccount) => AwsProvider): AwsAutomationOutputs {
    const documents: AwsAutomationOutputs["documents"] = {};
    for (const { account, region } of runbookLocations(estate)) {
        const scope = `${account.alias}-${region}`;
        const runbooks = new PatchAutomationDocuments(`${scope}-runbooks`, { region, patchGroupTagKey: estate.patchGroupTagKey }, { provider: providerOf(account) });
        documents[scope] = runbooks.documentArns;
    }
    return { documents };
}
