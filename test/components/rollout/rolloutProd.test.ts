import { strict as assert } from "node:assert";
import { ROLLOUT_DOCUMENT_NAMES, rolloutRows } from "../../../components/rollout/rolloutPlan";
import { estateRolloutPlan } from "../../../stacks/awsAutomation";
import { estateFromConfigValues, parseEstateConfig } from "../../../stacks/config/estateConfig";
import { readStackConfig } from "../../../tools/mock/stackConfig";
import type { Evaluation } from "../../../tools/plan/evaluate";
import { TEST_CONTEXT, validOrganizationRawConfig } from "../../fixtures/estateConfig";
import { evaluatedStack } from "../../fixtures/programEvaluations";

/**
 * The prod estate's safe rollout as the program renders it (Pulumi.prod.yaml: AppA after Linux,
 * Windows on Patch Tuesday + 5, a halt alarm and a cutoff on every install group, a yearly freeze).
 */
describe("rollout: the prod estate", () => {
    let evaluation: Evaluation;
    const schedule = (name: string) => evaluation.recorder.get("aws:scheduler/schedule:Schedule", `security-patch-schedules-${name}`);
    const inputOf = (name: string) => JSON.parse((schedule(name).inputs.target as { input: string }).input) as { DocumentName: string; Parameters: Record<string, string[]> };

    before(async () => {
        evaluation = await evaluatedStack("prod");
    });

    it("creates the rollout controls once, in the central account and Region", () => {
        const documents = evaluation.recorder.find("aws:ssm/document:Document").filter((d) => [ROLLOUT_DOCUMENT_NAMES.gate, ROLLOUT_DOCUMENT_NAMES.cutoff, "patching-prod-blackouts"].includes(String(d.inputs.name)));
        assert.deepEqual(documents.map((d) => `${String(d.inputs.name)} ${evaluation.recorder.providerOf(d)?.name} ${String(d.inputs.region)}`).sort(), [
            "patching-RolloutGate aws-security us-east-1",
            "patching-WindowCutoff aws-security us-east-1",
            "patching-prod-blackouts aws-security us-east-1",
        ]);
        const role = evaluation.recorder.get("aws:iam/role:Role", "security-rollout-role");
        assert.equal(role.inputs.permissionsBoundary, "arn:aws:iam::111111111111:policy/multicloud-patching-boundary");
    });

    it("starts every install through the gate with the halt alarm; AppA is Linux's next ring", () => {
        for (const group of ["Linux", "Windows", "AppA"]) {
            const request = inputOf(`${group}-install`);
            assert.equal(request.DocumentName, ROLLOUT_DOCUMENT_NAMES.gate, group);
            const patchRun = JSON.parse(request.Parameters.PatchRunRequest.join("")) as { AlarmConfiguration: unknown; TargetLocations: { TargetLocationAlarmConfiguration: unknown }[] };
            const alarm = { IgnorePollAlarmFailure: false, Alarms: [{ Name: "patching-fleet-health-prod" }] };
            assert.deepEqual(patchRun.AlarmConfiguration, alarm, group);
            assert.ok(patchRun.TargetLocations.every((l) => JSON.stringify(l.TargetLocationAlarmConfiguration) === JSON.stringify(alarm)), group);
            assert.deepEqual(request.Parameters.ChangeCalendarName, ["patching-prod-blackouts"], group);
        }
        // The gate searches Linux's own install runbook, not AppA's stopped-instances workflow.
        assert.deepEqual(JSON.parse(inputOf("AppA-install").Parameters.Ring[0]), { after: "Linux", minDays: 3, require: "success", documentName: "patching-RunPatchBaseline" });
        assert.equal(inputOf("Linux-install").Parameters.Ring, undefined);
        // Scans never go through the gate.
        assert.equal(inputOf("Linux-scan").DocumentName, "patching-RunPatchBaseline");
    });

    it("fires Windows' install daily at 03:00 Los Angeles and lets the gate pick Patch Tuesday + 5", () => {
        assert.deepEqual([schedule("Windows-install").inputs.scheduleExpression, schedule("Windows-install").inputs.scheduleExpressionTimezone], ["cron(0 3 * * ? *)", "America/Los_Angeles"]);
        assert.deepEqual([inputOf("Windows-install").Parameters.PatchTuesdayOffsetDays, inputOf("Windows-install").Parameters.TimeZone], [["5"], ["America/Los_Angeles"]]);
    });

    it("cuts each install window off at its end: 4 hours after Linux and Windows, 5 after AppA", () => {
        assert.equal(schedule("Windows-cutoff").inputs.scheduleExpression, "cron(0 7 * * ? *)");
        for (const [group, minutes] of [["Linux", 240], ["AppA", 300]] as const) {
            const install = Date.parse(String(schedule(`${group}-install`).inputs.startDate));
            const cutoff = Date.parse(String(schedule(`${group}-cutoff`).inputs.startDate));
            assert.equal(schedule(`${group}-cutoff`).inputs.scheduleExpression, "rate(14 days)");
            // The same 14-day cycle, `minutes` later (the cutoff anchor may be the current window's).
            assert.equal((((cutoff - install) % (14 * 86_400_000)) + 14 * 86_400_000) % (14 * 86_400_000), minutes * 60_000, group);
            assert.deepEqual(schedule(`${group}-cutoff`).inputs.flexibleTimeWindow, { mode: "OFF" });
        }
    });

    it("lists each group's settings for the plan's rollout table", () => {
        const rows = rolloutRows(estateRolloutPlan(evaluationEstate()));
        assert.deepEqual(rows.find((r) => r.group === "AppA"), { group: "AppA", ring: "after Linux +3d, success", halt: "patching-fleet-health-prod", offset: "-", cutoff: "300 min", calendar: "patching-prod-blackouts" });
        assert.equal(rows.find((r) => r.group === "Windows")?.offset, "Patch Tuesday +5");
    });
});

/** The prod estate parsed from Pulumi.prod.yaml the way the plan reads it. */
function evaluationEstate() {
    return estateFromConfigValues(readStackConfig(process.cwd(), "prod").values, { project: "multicloud-patching", stack: "prod" });
}

describe("rollout: organization mode", () => {
    it("gates a group that targets organizational units: its OU locations go to the gate unchanged", () => {
        const raw = validOrganizationRawConfig();
        const groups = raw["patchGroups"] as Record<string, unknown>[];
        groups[1] = { ...groups[1], accounts: undefined, organizationalUnits: ["ou-ab12-33333333"], after: { group: "Linux", minDays: 3 } };
        delete groups[1].accounts;
        const estate = parseEstateConfig(raw, TEST_CONTEXT);
        const windows = estate.patchGroups[1];
        assert.deepEqual(windows.organizationTargets?.map((t) => t.organizationalUnits), [["ou-ab12-33333333"]]);
        assert.deepEqual(estateRolloutPlan(estate).groups.map((g) => g.group), ["Linux", "Windows"]);
    });
});
