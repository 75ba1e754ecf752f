import { strict as assert } from "node:assert";
import { withHaltAlarm } from "../../components/rollout/rolloutPlan";
import { withInstallSafety } from "../../components/runbooks/installSafety";
import { startAutomationExecutionInput } from "../../components/schedules/scheduleDocuments";
import { evaluatedStack } from "../fixtures/programEvaluations";
import { AwsErrorReply, awsStub, runCli, withAwsProfiles } from "./helpers";

const ADMIN = "arn:aws:iam::111111111111:role/AWS-SystemsManager-AutomationAdministrationRole";
const DEV_ADMIN = "arn:aws:iam::444444444444:role/AWS-SystemsManager-AutomationAdministrationRole";
const EXECUTION_ID = "4105a4fc-f944-11e6-9d32-0123456789ab";

describe("tools/ops patch-now --dry-run: exactly what the schedule sends", function () {
    this.timeout(120_000);
    for (const [stack, central, groups] of [
        ["dev", "sandbox", ["Linux", "Windows"]],
        ["prod", "security", ["Linux", "Windows", "AppA"]],
    ] as const) {
        it(`${stack}: every group and operation prints the Scheduler target input of the evaluated program`, async () => {
            const evaluation = await evaluatedStack(stack);
            for (const group of groups) {
                for (const operation of ["Scan", "Install"] as const) {
                    const schedule = evaluation.recorder.get("aws:scheduler/schedule:Schedule", `${central}-patch-schedules-${group}-${operation.toLowerCase()}`);
                    const run = await runCli(["patch-now", "--stack", stack, "--group", group, "--operation", operation, "--dry-run"]);
                    assert.deepEqual([run.code, run.stderr, run.clients], [0, "", []]);
                    assert.deepEqual(JSON.parse(run.stdout), JSON.parse((schedule.inputs.target as { input: string }).input), `${group} ${operation}`);
                }
            }
        });
    }

    it("narrows to the chosen accounts (alias or id) and Regions through startAutomationExecutionInput (inside the gate's request for a gated install)", async () => {
        const run = await runCli(["patch-now", "--stack", "prod", "--group", "Linux", "--operation", "Install", "--reboot", "NoReboot", "--accounts", "222222222222,security", "--regions", "eu-west-2", "--dry-run"]);
        // Pulumi.prod.yaml: Linux snapshots before install (7 days) and halts on the fleet alarm.
        const expected = withHaltAlarm(
            withInstallSafety(startAutomationExecutionInput({
                documentName: "patching-RunPatchBaseline",
                runbook: "RunPatchBaseline",
                patchGroup: "Linux",
                resourceGroup: "Linux",
                operation: "Install",
                rebootOption: "NoReboot",
                administrationRoleArn: ADMIN,
                executionRoleName: "AWS-SystemsManager-AutomationExecutionRole",
                locations: [
                    { accountId: "111111111111", regions: ["eu-west-2"] },
                    { accountId: "222222222222", regions: ["eu-west-2"] },
                ],
                rateControl: { maxConcurrency: "10%", maxErrors: "5%", targetLocationMaxConcurrency: "2", targetLocationMaxErrors: "1" },
            }) as Record<string, unknown>, { snapshotRetainDays: 7 }),
            { alarmName: "patching-fleet-health-prod", ignorePollAlarmFailure: false },
        );
        const printed = JSON.parse(run.stdout);
        assert.deepEqual([run.code, printed.DocumentName, patchRunOf(printed)], [0, "patching-RolloutGate", expected]);
    });

    it("carries the group's excluded nodes (with their expiry) into the install run, as the schedule does; never into a scan (issue 19)", async () => {
        const evaluation = await evaluatedStack("prod");
        // Pulumi.prod.yaml: Windows excludes one ERP host until 2027-03-31; its install goes through the gate.
        const expected = ["i-0a1b2c3d4e5f60789:2027-03-31"];
        const schedule = evaluation.recorder.get("aws:scheduler/schedule:Schedule", "security-patch-schedules-Windows-install");
        const scheduled = patchRunOf(JSON.parse((schedule.inputs.target as { input: string }).input));
        const install = await runCli(["patch-now", "--stack", "prod", "--group", "Windows", "--operation", "Install", "--accounts", "security", "--dry-run"]);
        const scan = await runCli(["patch-now", "--stack", "prod", "--group", "Windows", "--operation", "Scan", "--dry-run"]);
        assert.deepEqual([(scheduled.Parameters as Record<string, unknown>).ExcludedNodes, (patchRunOf(JSON.parse(install.stdout)).Parameters as Record<string, unknown>).ExcludedNodes], [expected, expected]);
        assert.ok(!("ExcludedNodes" in JSON.parse(scan.stdout).Parameters), scan.stdout);
    });

    it("drops an account none of whose Regions was chosen", async () => {
        const run = await runCli(["patch-now", "--stack", "dev", "--group", "Windows", "--operation", "Scan", "--regions", "eu-west-2", "--dry-run"]);
        assert.deepEqual(JSON.parse(run.stdout).TargetLocations, [
            { Accounts: ["555555555555"], Regions: ["eu-west-2"], ExecutionRoleName: "AWS-SystemsManager-AutomationExecutionRole", TargetLocationMaxConcurrency: "2", TargetLocationMaxErrors: "1" },
        ]);
    });
});

/** The patch run a gate request carries (its PatchRunRequest chunks, joined). */
function patchRunOf(gateRequest: { Parameters: { PatchRunRequest: string[] } }): Record<string, unknown> {
    return JSON.parse(gateRequest.Parameters.PatchRunRequest.join("")) as Record<string, unknown>;
}

/** SSM answers: the calendar in `state`, and an execution id for any start. */
function ssmReplies(state: "OPEN" | "CLOSED") {
    return awsStub((call) =>
        call.operation === "GetCalendarState" ? { State: state, AtTime: "2026-01-01T00:00:00Z", NextTransitionTime: state === "OPEN" ? "2026-12-20T00:00:00Z" : "2027-01-04T00:00:00Z" } : { AutomationExecutionId: EXECUTION_ID },
    );
}

describe("tools/ops patch-now for a gated group: the gate, started with the schedule's own request (issue 17)", function () {
    this.timeout(120_000);

    it("checks the Change Calendar, then starts patching-RolloutGate with exactly the install schedule's input plus the override reason", async () => {
        const evaluation = await evaluatedStack("prod");
        const schedule = JSON.parse((evaluation.recorder.get("aws:scheduler/schedule:Schedule", "security-patch-schedules-AppA-install").inputs.target as { input: string }).input);
        const aws = ssmReplies("CLOSED");
        const run = await runCli(["patch-now", "--stack", "prod", "--group", "AppA", "--operation", "Install", "--override-blackout", "CHG-1234 emergency kernel fix"], { ssm: aws.ssm });
        assert.deepEqual([run.code, run.stdout], [0, `${EXECUTION_ID}\n`]);
        assert.deepEqual(aws.calls.map((call) => [call.operation, call.host]), [
            ["GetCalendarState", "ssm.us-east-1.amazonaws.com"],
            ["StartAutomationExecution", "ssm.us-east-1.amazonaws.com"],
        ]);
        assert.deepEqual(aws.calls[0].body, { CalendarNames: ["patching-prod-blackouts"] });
        assert.deepEqual(aws.calls[1].body, { ...schedule, Parameters: { ...schedule.Parameters, OverrideReason: ["CHG-1234 emergency kernel fix"] } });
        assert.equal(aws.calls[1].body.DocumentName, "patching-RolloutGate");
        assert.match(run.stderr, /^Change Calendar patching-prod-blackouts is CLOSED \(blackout until 2027-01-04T00:00:00Z\); overriding: CHG-1234 emergency kernel fix\nStarted patching-PatchWithStoppedInstances \(Install\) through the rollout gate patching-RolloutGate/);
    });

    it("without an override sends no OverrideReason while the calendar is OPEN", async () => {
        const aws = ssmReplies("OPEN");
        const run = await runCli(["patch-now", "--stack", "prod", "--group", "Windows", "--operation", "Install"], { ssm: aws.ssm });
        assert.equal(run.code, 0, run.stderr);
        const started = aws.calls[1].body as { DocumentName: string; Parameters: Record<string, string[]> };
        assert.deepEqual([started.DocumentName, started.Parameters.PatchTuesdayOffsetDays, started.Parameters.OverrideReason], ["patching-RolloutGate", ["5"], undefined]);
    });

    it("refuses during a blackout (exit 2, one line naming the state and the override) and starts nothing", async () => {
        const aws = ssmReplies("CLOSED");
        const run = await runCli(["patch-now", "--stack", "prod", "--group", "Linux", "--operation", "Install"], { ssm: aws.ssm });
        assert.deepEqual([run.code, run.stdout], [2, ""]);
        assert.equal(run.stderr, 'ops: patch group Linux: Change Calendar patching-prod-blackouts is CLOSED (blackout until 2027-01-04T00:00:00Z); nothing started. To run anyway: --override-blackout "<reason>"\n');
        assert.deepEqual(aws.calls.map((call) => call.operation), ["GetCalendarState"]);
    });

    it("--dry-run prints the gate request with the override and calls nothing", async () => {
        const run = await runCli(["patch-now", "--stack", "prod", "--group", "Linux", "--operation", "Install", "--override-blackout", "CHG-1", "--dry-run"]);
        const printed = JSON.parse(run.stdout);
        assert.deepEqual([run.code, run.clients, printed.DocumentName, printed.Parameters.OverrideReason, printed.Parameters.PatchGroup], [0, [], "patching-RolloutGate", ["CHG-1"], ["Linux"]]);
    });

    it("rejects an override reason the gate's parameter pattern refuses, and an override with no calendar to override", async () => {
        const bad = await runCli(["patch-now", "--stack", "prod", "--group", "Linux", "--operation", "Install", "--override-blackout", "ticket #42", "--dry-run"]);
        assert.deepEqual([bad.code, bad.stdout], [2, ""]);
        assert.match(bad.stderr, /^ops: --override-blackout: "ticket #42" is not a reason the gate accepts/);
        const ungated = await runCli(["patch-now", "--stack", "dev", "--group", "Linux", "--operation", "Install", "--override-blackout", "CHG-1", "--dry-run"]);
        assert.deepEqual([ungated.code, ungated.stderr], [2, "ops: --override-blackout: Install of patch group Linux honours no Change Calendar; there is no blackout to override\n"]);
    });
});

describe("tools/ops patch-now against a recording SDK transport (moto has no StartAutomationExecution)", () => {
    it("ungated group: sends exactly the schedule's request to SSM in the central account's Region (no calendar check) and prints the execution id", async () => {
        const aws = awsStub(() => ({ AutomationExecutionId: EXECUTION_ID }));
        const run = await withAwsProfiles(["sandbox-ops"], () => runCli(["patch-now", "--stack", "dev", "--group", "Windows", "--operation", "Install", "--regions", "eu-west-2", "--profile", "sandbox-ops"], { ssm: aws.ssm }));
        assert.deepEqual([run.code, run.stdout], [0, `${EXECUTION_ID}\n`]);
        assert.match(run.stderr, /^Started patching-RunPatchBaseline \(Install\) for patch group Windows in 1 account\/Region location\(s\) from /);
        assert.deepEqual(aws.calls.map((call) => call.operation), ["StartAutomationExecution"]);
        assert.deepEqual(aws.calls[0].body, {
            DocumentName: "patching-RunPatchBaseline",
            Parameters: { AutomationAssumeRole: [DEV_ADMIN], Operation: ["Install"], RebootOption: ["RebootIfNeeded"] },
            TargetParameterName: "InstanceId",
            Targets: [{ Key: "ResourceGroup", Values: ["Windows"] }],
            MaxConcurrency: "10%",
            MaxErrors: "10%",
            TargetLocations: [{ Accounts: ["555555555555"], Regions: ["eu-west-2"], ExecutionRoleName: "AWS-SystemsManager-AutomationExecutionRole", TargetLocationMaxConcurrency: "2", TargetLocationMaxErrors: "1" }],
        });
    });

    it("runs the stopped-instances workflow once per location with the group's rate control as parameters (inside the gate's request)", async () => {
        const aws = ssmReplies("OPEN");
        const run = await runCli(["patch-now", "--stack", "prod", "--group", "AppA", "--operation", "Install", "--regions", "us-west-2", "--reboot", "NoReboot"], { ssm: aws.ssm });
        assert.equal(run.code, 0, run.stderr);
        const patchRun = patchRunOf(aws.calls[1].body as { Parameters: { PatchRunRequest: string[] } });
        // The halt alarm (AlarmConfiguration, TargetLocationAlarmConfiguration) is asserted in the dry-run tests.
        const withoutAlarms = JSON.parse(JSON.stringify(patchRun, (key, value: unknown) => (key === "AlarmConfiguration" || key === "TargetLocationAlarmConfiguration" ? undefined : value)));
        assert.deepEqual(
            withoutAlarms,
            {
                DocumentName: "patching-PatchWithStoppedInstances",
                Parameters: { AutomationAssumeRole: [ADMIN], Operation: ["Install"], RebootOption: ["NoReboot"], PatchGroup: ["AppA"], MaxConcurrency: ["1"], MaxErrors: ["0"] },
                TargetLocations: [{ Accounts: ["333333333333"], Regions: ["us-west-2"], ExecutionRoleName: "AWS-SystemsManager-AutomationExecutionRole", TargetLocationMaxConcurrency: "2", TargetLocationMaxErrors: "1" }],
            },
        );
    });

    it("exits 1 with the service's error when SSM refuses", async () => {
        const aws = awsStub(() => new AwsErrorReply(400, "InvalidDocument", "Document patching-RunPatchBaseline does not exist in your account"));
        const run = await runCli(["patch-now", "--stack", "dev", "--group", "Linux", "--operation", "Scan"], { ssm: aws.ssm });
        assert.deepEqual([run.code, run.stdout, run.stderr], [1, "", "ops: InvalidDocument: Document patching-RunPatchBaseline does not exist in your account\n"]);
        assert.equal(aws.calls.length, 1);
    });
});
