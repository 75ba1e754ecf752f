import { strict as assert } from "node:assert";
import { evaluatedStack } from "../fixtures/programEvaluations";
import type { Evaluation } from "../../tools/plan/evaluate";

const ADMIN = "arn:aws:iam::111111111111:role/AWS-SystemsManager-AutomationAdministrationRole";

describe("patch schedules wired into the prod estate", () => {
    let evaluation: Evaluation;
    const schedule = (name: string) => evaluation.recorder.get("aws:scheduler/schedule:Schedule", `security-patch-schedules-${name}`);
    const inputOf = (name: string) => JSON.parse((schedule(name).inputs.target as { input: string }).input);
    /** A gated install (issue 17) starts the rollout gate; the patch run it starts is its PatchRunRequest parameter. */
    const gatedRun = (name: string) => {
        const gate = inputOf(name);
        assert.equal(gate.DocumentName, "patching-RolloutGate", name);
        return JSON.parse((gate.Parameters.PatchRunRequest as string[]).join(""));
    };

    before(async () => {
        evaluation = await evaluatedStack("prod");
    });

    it("puts one Scan and one Install schedule per patch group in the central account's Region and schedule group", () => {
        // The compliance digest's daily schedule lives in a group of its own (issue 19).
        const schedules = evaluation.recorder.find("aws:scheduler/schedule:Schedule").filter((s) => s.inputs.groupName === "patching-prod");
        assert.deepEqual(schedules.map((s) => s.inputs.name).sort(), ["AppA-cutoff", "AppA-install", "AppA-scan", "Linux-cutoff", "Linux-install", "Linux-scan", "Windows-cutoff", "Windows-install", "Windows-scan"]);
        for (const s of schedules) {
            assert.equal(evaluation.recorder.providerOf(s)?.name, "aws-security");
            assert.equal(s.inputs.region, "us-east-1");
            assert.equal(s.inputs.groupName, "patching-prod");
            assert.equal(s.inputs.state, "ENABLED");
            const target = s.inputs.target as { arn: string; retryPolicy: unknown; deadLetterConfig: { arn: string } };
            assert.equal(target.arn, "arn:aws:scheduler:::aws-sdk:ssm:startAutomationExecution");
            assert.deepEqual(target.retryPolicy, { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 });
            assert.match(target.deadLetterConfig.arn, /^arn:aws:sqs:us-east-1:111111111111:/);
        }
        assert.equal(evaluation.recorder.get("aws:sqs/queue:Queue", "security-patch-schedules-dead-letters").inputs.sqsManagedSseEnabled, true);
        // A schedule that cannot start its run must not fail silently: an alarm on the DLQ,
        // named so the patch-run topic's alarm rule picks it up.
        const alarm = evaluation.recorder.get("aws:cloudwatch/metricAlarm:MetricAlarm", "security-patch-schedules-dead-letters-alarm");
        assert.deepEqual(alarm.inputs.dimensions, { QueueName: "patching-prod-schedule-dead-letters" });
        assert.match(String(alarm.inputs.name), /^patching-/);
        const alarmRule = evaluation.recorder.find("aws:cloudwatch/eventRule:EventRule").find((r) => r.inputs.name === "patching-patch-run-alarms");
        assert.deepEqual(JSON.parse(String(alarmRule?.inputs.eventPattern)).detail, { alarmName: [{ prefix: "patching-" }], state: { value: ["ALARM"] } });
    });

    it("targets each group's own accounts and Regions, its resource group, and its rate control", () => {
        const linux = gatedRun("Linux-install");
        assert.deepEqual(linux.AlarmConfiguration, { Alarms: [{ Name: "patching-fleet-health-prod" }], IgnorePollAlarmFailure: false });
        assert.equal(linux.DocumentName, "patching-RunPatchBaseline");
        // snapshotBeforeInstall: {retainDays: 7} (issue 17): the per-node runbook snapshots before installing.
        assert.deepEqual(linux.Parameters, { AutomationAssumeRole: [ADMIN], Operation: ["Install"], RebootOption: ["RebootIfNeeded"], SnapshotRetainDays: ["7"] });
        assert.deepEqual(linux.Targets, [{ Key: "ResourceGroup", Values: ["Linux"] }]);
        assert.deepEqual(linux.TargetLocations[0].Accounts, ["111111111111", "222222222222", "333333333333"]);
        assert.deepEqual(linux.TargetLocations[0].Regions, ["eu-west-2", "us-west-2"]);
        assert.deepEqual(linux.TargetLocations[0].TargetLocationAlarmConfiguration, linux.AlarmConfiguration, "each location halts on the same alarm");
        assert.equal(linux.MaxErrors, "5%");
        const appA = inputOf("AppA-scan");
        assert.deepEqual(appA.TargetLocations.map((l: { Accounts: string[] }) => l.Accounts), [["333333333333"]]);
        // AppA installs with the stopped-instances workflow, so it scans through it too (issue 15):
        // its stopped agents are started, scanned and stopped again instead of skipped.
        assert.equal(appA.DocumentName, "patching-PatchWithStoppedInstances");
        assert.deepEqual([appA.Parameters.Operation, appA.Parameters.RebootOption, appA.Parameters.PatchGroup, appA.Parameters.MaxConcurrency], [["Scan"], ["NoReboot"], ["AppA"], ["1"]]);
        assert.equal(appA.Targets, undefined);
        assert.equal(inputOf("Linux-scan").DocumentName, "patching-RunPatchBaseline");
        const appAInstall = gatedRun("AppA-install");
        assert.equal(appAInstall.DocumentName, "patching-PatchWithStoppedInstances", "configured per patch group");
        assert.deepEqual(appAInstall.Parameters.PatchGroup, ["AppA"]);
        assert.equal(appAInstall.Targets, undefined);
    });

    it("passes time zones and moves the rate schedule's start date to a future occurrence", () => {
        // Patch Tuesday + 5: daily in the window, the gate lets the right day through (issue 17).
        assert.equal(schedule("Windows-install").inputs.scheduleExpression, "cron(0 3 * * ? *)");
        assert.equal(schedule("Windows-install").inputs.scheduleExpressionTimezone, "America/Los_Angeles");
        assert.equal(schedule("Windows-install").inputs.startDate, undefined);
        const start = String(schedule("Linux-install").inputs.startDate);
        assert.match(start, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        assert.ok(Date.parse(start) > Date.now(), "Scheduler refuses start dates in the past");
        assert.equal((Date.parse(start) - Date.parse("2026-12-06T02:00:00-08:00")) % (14 * 86_400_000), 0, "same phase as the configured anchor");
        assert.deepEqual(schedule("Linux-scan").inputs.flexibleTimeWindow, { mode: "OFF" });
    });

    it("gives the scheduler a role that only its own schedule group can assume", () => {
        const role = evaluation.recorder.get("aws:iam/role:Role", "security-patch-schedules-role");
        const trust = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0];
        assert.equal(trust.Principal.Service, "scheduler.amazonaws.com");
        assert.equal(trust.Condition.ArnEquals["aws:SourceArn"], "arn:aws:scheduler:us-east-1:111111111111:schedule-group/patching-prod");
        const policy = JSON.parse(String(evaluation.recorder.get("aws:iam/rolePolicy:RolePolicy", "security-patch-schedules-role-policy").inputs.policy));
        assert.deepEqual(policy.Statement.find((s: { Sid: string }) => s.Sid === "PassAdministrationRoleToSystemsManager").Resource, [ADMIN, "arn:aws:iam::111111111111:role/patching-rollout-prod-us-east-1"]);
    });
});
