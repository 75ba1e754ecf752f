import { strict as assert } from "node:assert";
import {
    automationRateControl,
    patchBaselineApprovalRules,
    patchBaselineApproveAfterDays,
    patchBaselineProdNotBeforeDev,
    ssmActivationLimited,
    ssmActivationPatchGroupTag,
} from "../../policies/patching";
import { validRawConfig } from "../fixtures/estateConfig";
import { awsProvider, CENTRAL, idOf, messages, resource, useStackConfig } from "./helpers";

const provider = awsProvider("security", CENTRAL);
const rules = (...days: (number | undefined)[]) => days.map((d) => ({ complianceLevel: "CRITICAL", patchFilters: [{ key: "CLASSIFICATION", values: ["Security"] }], ...(d === undefined ? {} : { approveAfterDays: d }) }));
const baseline = (days: (number | undefined)[], name = "patching-Linux-AMAZON_LINUX_2023") =>
    resource("aws:ssm/patchBaseline:PatchBaseline", `${name}-baseline`, { name, operatingSystem: "AMAZON_LINUX_2023", region: "us-west-2", approvalRules: rules(...days) }, { provider });

describe("policies/patching", () => {
    describe("patch-baseline-approval-rules", () => {
        it("passes a baseline with a rule", async () => assert.deepEqual(await messages(patchBaselineApprovalRules, [provider, baseline([7])]), []));
        it("fails a baseline without rules", async () => {
            assert.deepEqual(await messages(patchBaselineApprovalRules, [provider, baseline([])]), [
                "patch baseline patching-Linux-AMAZON_LINUX_2023 has no approval rules: nodes would get only the patches listed by hand",
            ]);
        });
    });

    describe("patch-baseline-approve-after-days", () => {
        it("passes delays within the maximum (and rules without one, as for Ubuntu)", async () => {
            assert.deepEqual(await messages(patchBaselineApproveAfterDays, [provider, baseline([30, undefined])], { maxApproveAfterDays: 30 }), []);
        });
        it("fails a delay above the configured maximum", async () => {
            assert.deepEqual(await messages(patchBaselineApproveAfterDays, [provider, baseline([7, 31])], { maxApproveAfterDays: 30 }), [
                "approval rule 2 of patch baseline patching-Linux-AMAZON_LINUX_2023 approves after 31 days; allowed: 0-30",
            ]);
        });
        it("defaults to AWS's 360-day limit", async () => assert.equal((await messages(patchBaselineApproveAfterDays, [provider, baseline([400])])).length, 1));
    });

    describe("patch-baseline-prod-not-before-dev", () => {
        const registered = (days: number[]) => {
            const b = baseline(days);
            return [provider, b, resource("aws:ssm/patchGroup:PatchGroup", "linux-registration", { baselineId: idOf(b), patchGroup: "Linux", region: "us-west-2" }, { provider, dependsOn: [b] })];
        };
        const config = (environment: string, days = { dev: 2, prod: 7 }) => {
            const raw = validRawConfig();
            (raw["patchGroups"] as { approveAfterDays?: object }[])[0].approveAfterDays = days;
            useStackConfig({ ...raw, environment });
        };
        it("passes a prod baseline that waits the prod delay", async () => {
            config("prod");
            assert.deepEqual(await messages(patchBaselineProdNotBeforeDev, registered([7])), []);
        });
        it("fails a prod baseline that approves before the dev delay", async () => {
            config("prod");
            assert.deepEqual(await messages(patchBaselineProdNotBeforeDev, registered([1])), [
                "approval rule 1 of patching-Linux-AMAZON_LINUX_2023 (patch group Linux) approves after 1 days in prod, before the group's dev delay of 2 days",
            ]);
        });
        it("fails a prod baseline below minimumProdApproveAfterDays", async () => {
            config("prod");
            assert.deepEqual(await messages(patchBaselineProdNotBeforeDev, registered([5]), { minimumProdApproveAfterDays: 7 }), [
                "approval rule 1 of patching-Linux-AMAZON_LINUX_2023 (patch group Linux) approves after 5 days in prod; at least 7 required",
            ]);
        });
        it("fails a dev baseline that waits longer than prod", async () => {
            config("dev");
            assert.equal((await messages(patchBaselineProdNotBeforeDev, registered([10])))[0], "approval rule 1 of patching-Linux-AMAZON_LINUX_2023 (patch group Linux) approves after 10 days in dev, later than the group's prod delay of 7 days");
        });
        it("fails a patch group configured with prod before dev", async () => {
            config("prod", { dev: 9, prod: 7 });
            assert.equal((await messages(patchBaselineProdNotBeforeDev, [provider]))[0], "patch group Linux approves after 7 days in prod but 9 in dev: prod would patch before dev has tested");
        });
    });

    describe("automation-rate-control", () => {
        const request = { DocumentName: "patching-RunPatchBaseline", Targets: [{ Key: "ResourceGroup", Values: ["Linux"] }], MaxConcurrency: "10%", MaxErrors: "5%", TargetLocations: [{ Accounts: [CENTRAL], Regions: ["us-west-2"], TargetLocationMaxConcurrency: "2", TargetLocationMaxErrors: "1" }] };
        const schedule = (input: object, arn = "arn:aws:scheduler:::aws-sdk:ssm:startAutomationExecution") =>
            resource("aws:scheduler/schedule:Schedule", "linux-install", { name: "Linux-install", target: { arn, roleArn: "arn:aws:iam::1:role/s", input: JSON.stringify(input) } }, { provider });
        it("passes a multi-account Automation with all limits", async () => assert.deepEqual(await messages(automationRateControl, [provider, schedule(request)]), []));
        it("fails targets without MaxErrors", async () => {
            assert.deepEqual(await messages(automationRateControl, [provider, schedule({ ...request, MaxErrors: undefined })]), ["schedule linux-install fans out without MaxErrors"]);
        });
        it("fails a location without per-location limits", async () => {
            const noLimits = { ...request, TargetLocations: [{ Accounts: [CENTRAL], Regions: ["us-west-2"] }] };
            assert.deepEqual(await messages(automationRateControl, [provider, schedule(noLimits)]), [
                "schedule linux-install fans out without TargetLocations[0].TargetLocationMaxConcurrency, TargetLocations[0].TargetLocationMaxErrors",
            ]);
        });
        it("ignores schedules with other targets", async () => assert.deepEqual(await messages(automationRateControl, [provider, schedule({}, "arn:aws:sqs:us-east-1:1:q")]), []));
        it("fails an association without maxConcurrency", async () => {
            const association = resource("aws:ssm/association:Association", "inventory", { name: "AWS-GatherSoftwareInventory", maxErrors: "10%" }, { provider });
            assert.deepEqual(await messages(automationRateControl, [provider, association]), [
                "association inventory sets no maxConcurrency: it would run on every target at once and never stop on errors",
            ]);
        });
    });

    describe("ssm-activation-limited / ssm-activation-patch-group-tag", () => {
        const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
        const activation = (inputs: Record<string, unknown>) =>
            resource("aws:ssm/activation:Activation", "azure-linux", { iamRole: "patching-hybrid-node", registrationLimit: 10, expirationDate: inDays(20), tags: { "Patch Group": "Linux" }, ...inputs }, { provider });
        it("passes a limited, short-lived, tagged activation", async () => {
            assert.deepEqual(await messages(ssmActivationLimited, [provider, activation({})]), []);
            assert.deepEqual(await messages(ssmActivationPatchGroupTag, [provider, activation({})]), []);
        });
        it("fails a missing registration limit", async () => {
            assert.deepEqual(await messages(ssmActivationLimited, [provider, activation({ registrationLimit: undefined })]), [
                "activation azure-linux sets no registrationLimit: its code could register any number of nodes",
            ]);
        });
        it("fails an expiry beyond maxExpirationDays", async () => {
            const expiry = inDays(45);
            assert.deepEqual(await messages(ssmActivationLimited, [provider, activation({ expirationDate: expiry })]), [`activation azure-linux expires ${expiry}, more than 30 days ahead`]);
            assert.equal((await messages(ssmActivationLimited, [provider, activation({ expirationDate: inDays(20) })], { maxExpirationDays: 14 })).length, 1);
        });
        it("fails an activation without a Patch Group tag", async () => {
            assert.deepEqual(await messages(ssmActivationPatchGroupTag, [provider, activation({ tags: { Owner: "platform" } })]), [
                'activation azure-linux has no "Patch Group", "PatchGroup" tag: the hybrid nodes it registers would join no patch group',
            ]);
        });
    });
});
