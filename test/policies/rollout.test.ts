import { strict as assert } from "node:assert";
import { rolloutProdInstallsGated } from "../../policies/rollout";
import { validRawConfig } from "../fixtures/estateConfig";
import { awsProvider, CENTRAL, check, messages, resource, useStackConfig } from "./helpers";

const provider = awsProvider("security", CENTRAL);
const PATCH_RUN = { DocumentName: "patching-RunPatchBaseline", TargetLocations: [{ Accounts: [CENTRAL], Regions: ["us-west-2"] }] };
const schedule = (name: string, request: object) =>
    resource("aws:scheduler/schedule:Schedule", name, { name, region: "us-east-1", scheduleExpression: "rate(14 days)", target: { arn: "arn:aws:scheduler:::aws-sdk:ssm:startAutomationExecution", input: JSON.stringify(request) } }, { provider });
const gate = (parameters: Record<string, string[]>) => ({ DocumentName: "patching-RolloutGate", Parameters: { AutomationAssumeRole: ["arn:aws:iam::111111111111:role/patching-rollout-prod-us-east-1"], PatchGroup: ["Linux"], ...parameters } });
const UNGATED = "patch group Linux installs in prod with no ring (after), halt alarm (haltOnAlarm) or window cutoff (install.maxDurationMinutes): a bad patch would roll on unchecked";

describe("policies/rollout: rollout-prod-installs-gated", () => {
    const stack = (environment: string) => useStackConfig({ ...validRawConfig(), environment });

    it("flags a prod install that starts the patch run directly", async () => {
        stack("prod");
        assert.deepEqual(await messages(rolloutProdInstallsGated, [provider, schedule("Linux-install", PATCH_RUN), schedule("Linux-scan", PATCH_RUN)]), [UNGATED]);
    });
    it("flags a prod install through the gate without any brake (only a calendar)", async () => {
        stack("prod");
        assert.deepEqual(await messages(rolloutProdInstallsGated, [provider, schedule("Linux-install", gate({ PatchRunRequest: [JSON.stringify(PATCH_RUN)], ChangeCalendarName: ["patching-prod-blackouts"] }))]), [UNGATED]);
    });
    it("passes a ring, a halt alarm, or a cutoff schedule", async () => {
        stack("prod");
        const ring = schedule("Linux-install", gate({ PatchRunRequest: [JSON.stringify(PATCH_RUN)], Ring: ['{"after":"Windows","minDays":3,"require":"success"}'] }));
        const halt = schedule("Linux-install", gate({ PatchRunRequest: [JSON.stringify({ ...PATCH_RUN, AlarmConfiguration: { IgnorePollAlarmFailure: false, Alarms: [{ Name: "health" }] } })] }));
        const cutoff = [schedule("Linux-install", gate({ PatchRunRequest: [JSON.stringify(PATCH_RUN)] })), schedule("Linux-cutoff", { DocumentName: "patching-WindowCutoff" })];
        for (const resources of [[ring], [halt], cutoff]) {
            assert.deepEqual(await messages(rolloutProdInstallsGated, [provider, ...resources]), []);
        }
    });
    it("does not apply to dev stacks", async () => {
        stack("dev");
        assert.deepEqual(await messages(rolloutProdInstallsGated, [provider, schedule("Linux-install", PATCH_RUN)]), []);
    });
    it("is advisory unless a config makes it mandatory", async () => {
        assert.equal(rolloutProdInstallsGated.enforcementLevel, "advisory");
        stack("prod");
        const violations = await check(rolloutProdInstallsGated, [provider, schedule("Linux-install", PATCH_RUN)]);
        assert.deepEqual(violations.map((v) => v.level), ["mandatory"], "configured mandatory (as the test helper runs it), it blocks");
    });
});
