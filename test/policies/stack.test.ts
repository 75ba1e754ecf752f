import { strict as assert } from "node:assert";
import { awsProviderAssumeRole, estateCoverage } from "../../policies/stack";
import type { RecordedResource } from "../../tools/mock/recorder";
import { awsProvider, CENTRAL, idOf, messages, resource, useStackConfig } from "./helpers";

describe("policies/stack", () => {
    describe("aws-provider-assume-role", () => {
        it("passes a provider that assumes a role in its one allowed account", async () => assert.deepEqual(await messages(awsProviderAssumeRole, [awsProvider("hub", CENTRAL)]), []));
        it("fails a provider without assumeRoles", async () => {
            assert.deepEqual(await messages(awsProviderAssumeRole, [awsProvider("hub", CENTRAL, { assumeRoles: undefined })]), [
                "provider aws-hub assumes no role (assumeRoles): it would deploy with the caller's own credentials",
            ]);
        });
        it("fails a provider without allowedAccountIds", async () => {
            assert.deepEqual(await messages(awsProviderAssumeRole, [awsProvider("hub", CENTRAL, { allowedAccountIds: "[]" })]), [
                "provider aws-hub sets no allowedAccountIds: it would deploy into whichever account its credentials reach",
            ]);
        });
        it("fails a role in an account the provider does not allow", async () => {
            const roles = JSON.stringify([{ roleArn: "arn:aws:iam::999999999999:role/deployer" }]);
            assert.deepEqual(await messages(awsProviderAssumeRole, [awsProvider("hub", CENTRAL, { assumeRoles: roles })]), [
                `provider aws-hub assumes arn:aws:iam::999999999999:role/deployer but allows only account(s) ${CENTRAL}`,
            ]);
        });
    });

    describe("estate-coverage", () => {
        before(() =>
            useStackConfig({
                environment: "prod",
                centralAccount: "hub",
                accounts: [{ alias: "hub", id: CENTRAL, regions: ["us-west-2"] }],
                patchGroups: [{ name: "Linux", operatingSystems: ["AMAZON_LINUX_2023"], install: { expression: "cron(0 3 ? * SAT *)" } }],
            }),
        );
        type Part = "administration" | "execution" | "resourceGroup" | "baseline" | "association" | "sync";
        /** One complete location; `without` drops one part. */
        function estate(without?: Part): RecordedResource[] {
            const provider = awsProvider("hub", CENTRAL);
            const at = { provider };
            const baseline = resource("aws:ssm/patchBaseline:PatchBaseline", "al2023", { name: "patching-Linux-AMAZON_LINUX_2023", operatingSystem: "AMAZON_LINUX_2023", region: "us-west-2" }, at);
            const parts: Record<Part, RecordedResource[]> = {
                administration: [resource("aws:iam/role:Role", "admin", { name: "AWS-SystemsManager-AutomationAdministrationRole" }, at)],
                execution: [resource("aws:iam/role:Role", "execution", { name: "AWS-SystemsManager-AutomationExecutionRole" }, at)],
                resourceGroup: [resource("aws:resourcegroups/group:Group", "rg-linux", { name: "Linux", region: "us-west-2" }, at)],
                baseline: [baseline, resource("aws:ssm/patchGroup:PatchGroup", "al2023-registration", { baselineId: idOf(baseline), patchGroup: "Linux", region: "us-west-2" }, { provider, dependsOn: [baseline] })],
                association: [resource("aws:ssm/association:Association", "inventory", { name: "AWS-GatherSoftwareInventory", region: "us-west-2" }, at)],
                sync: [resource("aws:ssm/resourceDataSync:ResourceDataSync", "sync", { name: "patching-inventory-to-central", region: "us-west-2" }, at)],
            };
            return [provider, ...Object.entries(parts).flatMap(([part, resources]) => (part === without ? [] : resources))];
        }
        it("passes a location that has everything", async () => assert.deepEqual(await messages(estateCoverage, estate()), []));
        const GAPS: [Part, string][] = [
            ["administration", `hub ${CENTRAL}: no automation administration role AWS-SystemsManager-AutomationAdministrationRole`],
            ["execution", `hub ${CENTRAL}: no automation execution role AWS-SystemsManager-AutomationExecutionRole`],
            ["resourceGroup", `hub ${CENTRAL} us-west-2: no resource group Linux`],
            ["baseline", `hub ${CENTRAL} us-west-2: no AMAZON_LINUX_2023 baseline registered to patch group Linux`],
            ["association", `hub ${CENTRAL} us-west-2: no inventory association (AWS-GatherSoftwareInventory)`],
            ["sync", `hub ${CENTRAL} us-west-2: no resource data sync`],
        ];
        for (const [part, expected] of GAPS) {
            it(`fails a location without its ${part}`, async () => assert.deepEqual(await messages(estateCoverage, estate(part)), [expected]));
        }
        it("fails a configured Region that got nothing, and an account without a provider", async () => {
            useStackConfig({
                environment: "prod",
                centralAccount: "hub",
                accounts: [{ alias: "hub", id: CENTRAL, regions: ["us-west-2", "eu-west-2"] }, { alias: "spare", id: "333333333333", regions: ["us-west-2"], member: false }],
                patchGroups: [{ name: "Linux", operatingSystems: ["AMAZON_LINUX_2023"], install: { expression: "cron(0 3 ? * SAT *)" } }],
            });
            const found = await messages(estateCoverage, estate());
            assert.ok(found.includes("spare 333333333333: no AWS provider pinned to the account (allowedAccountIds)"), found.join("\n"));
            assert.ok(found.includes(`hub ${CENTRAL} eu-west-2: no resource data sync`), found.join("\n"));
            assert.equal(found.filter((m) => m.includes("us-west-2")).length, 0);
        });
    });
});
