import { strict as assert } from "node:assert";
import * as run from "./fixtures/automationRun";
import { awsStub, runCli, type RecordedCall } from "./helpers";

/**
 * `ops status` for the safe-rollout layer (issue 17 item 8): gate executions (held, skipped, or
 * the patch run they started) and runs stopped by the window cutoff or their halt alarm. Replies in
 * the SSM API's wire shape (GetAutomationExecution Outputs are "<step>.<output>" → string list).
 */

const GATE_ID = "9e9e9e9e-0000-4000-8000-000000000001";
const CUTOFF_ID = "c0c0c0c0-0000-4000-8000-000000000001";
const T0 = 1767225600; // 2026-01-01T00:00:00Z
const RING_HOLD = "held: ring Linux's latest install 4105a4fc-f944-11e6-9d32-0123456789ab ended Failed; Success required";

function gate(status: string, outputs: Record<string, string[]>, extra: object = {}) {
    return {
        AutomationExecution: {
            AutomationExecutionId: GATE_ID,
            DocumentName: "patching-RolloutGate",
            AutomationExecutionStatus: status,
            ExecutionStartTime: T0 - 60,
            Parameters: { PatchGroup: ["AppA"], ChangeCalendarName: ["patching-prod-blackouts"] },
            Outputs: outputs,
            ...extra,
        },
    };
}

/** The fixture's patch run, every location and node succeeded (or with `parentStatus`). */
function patchRun(call: RecordedCall, parentStatus: string, parentExtra: object = {}) {
    const steps = run.parentSteps(false).map((step) => ({ ...step, StepStatus: "Success", FailureMessage: undefined }));
    const nodes = run.children(false).map((child) => ({ ...child, status: "Success" as const }));
    if (call.operation === "GetAutomationExecution") return { AutomationExecution: { ...run.parent("Success").AutomationExecution, AutomationExecutionStatus: parentStatus, ...parentExtra } };
    if (call.operation === "DescribeAutomationExecutions") return { AutomationExecutionMetadataList: nodes.map(run.childMetadata) };
    const child = nodes.find((c) => c.id === call.body.AutomationExecutionId);
    return child === undefined ? { StepExecutions: steps } : run.childSteps(child);
}

describe("tools/ops status: held, skipped and cancelled runs and why (issue 17)", () => {
    it("a held gate shows CheckGates' reason and exits 1, reading nothing else", async () => {
        const aws = awsStub(() =>
            gate("Failed", { "CheckGates.Decision": ["held"], "CheckGates.Status": [RING_HOLD] }, { FailureMessage: `Step fails when it is Executing. Fail to run the script. Error: ${RING_HOLD}` }),
        );
        const result = await runCli(["status", "--stack", "prod", "--execution", GATE_ID], { ssm: aws.ssm });
        assert.deepEqual([result.code, result.stderr], [1, ""]);
        assert.equal(result.stdout, [`Rollout gate ${GATE_ID} (patching-RolloutGate) for patch group AppA: Failed, started 2025-12-31T23:59:00.000Z`, `  ${RING_HOLD}`, ""].join("\n"));
        assert.deepEqual(aws.calls.map((call) => call.operation), ["GetAutomationExecution"]);
    });

    it("a gate that skipped the day (not the Patch Tuesday offset day) says skipped and exits 0", async () => {
        const wait = "held: 2026-01-01 (America/Los_Angeles) is not Patch Tuesday + 5 days; next 2026-01-18";
        const aws = awsStub(() => gate("Success", { "CheckGates.Decision": ["wait"], "CheckGates.Status": [wait] }));
        const result = await runCli(["status", "--stack", "prod", "--execution", GATE_ID], { ssm: aws.ssm });
        assert.equal(result.code, 0);
        assert.match(result.stdout, /\n {2}skipped: 2026-01-01 \(America\/Los_Angeles\) is not Patch Tuesday \+ 5 days; next 2026-01-18\n$/);
    });

    it("a gate that started its patch run shows the decision and override reason, then follows the child as for any run", async () => {
        const aws = awsStub((call) =>
            call.body.AutomationExecutionId === GATE_ID
                ? gate(
                      "Success",
                      {
                          "CheckGates.Decision": ["start"],
                          "CheckGates.Status": ["clear: calendar patching-prod-blackouts CLOSED, overridden: CHG-1234 kernel fix"],
                          "StartPatchRun.ChildExecutionId": [run.PARENT_ID],
                      },
                      { Parameters: { PatchGroup: ["AppA"], OverrideReason: ["CHG-1234 kernel fix"] } },
                  )
                : patchRun(call, "Success"),
        );
        const result = await runCli(["status", "--stack", "prod", "--execution", GATE_ID], { ssm: aws.ssm });
        assert.equal(result.code, 0, result.stdout);
        assert.ok(
            result.stdout.startsWith(
                [
                    `Rollout gate ${GATE_ID} (patching-RolloutGate) for patch group AppA: Success, started 2025-12-31T23:59:00.000Z`,
                    "  clear: calendar patching-prod-blackouts CLOSED, overridden: CHG-1234 kernel fix",
                    "  blackout override (patching:override-reason tag of the patch run): CHG-1234 kernel fix",
                    `  started patch run ${run.PARENT_ID}:`,
                    `Execution ${run.PARENT_ID} (patching-RunPatchBaseline): Success, started 2026-01-01T00:00:00.000Z`,
                ].join("\n"),
            ),
            result.stdout,
        );
        assert.match(result.stdout, /│ security \(111111111111\) +│ eu-west-2 │ Success │ 0 +│ 0 +│ 2 +│ 0 +│ 0 +│/);
        assert.ok(aws.calls.some((call) => call.operation === "GetAutomationExecution" && call.body.AutomationExecutionId === run.PARENT_ID));
    });

    it("a run cancelled by the window cutoff names the cutoff execution that stopped it", async () => {
        const aws = awsStub((call) => {
            const filters = (call.body.Filters ?? []) as { Key: string; Values: string[] }[];
            if (call.operation === "DescribeAutomationExecutions" && filters[0]?.Values[0] === "patching-WindowCutoff") {
                return {
                    AutomationExecutionMetadataList: [
                        { AutomationExecutionId: "c0c0c0c0-0000-4000-8000-000000000002", DocumentName: "patching-WindowCutoff", AutomationExecutionStatus: "Success", ExecutionStartTime: T0 + 7200, Outputs: { "CancelRunningPatchRuns.CancelledExecutionIds": [] } },
                        { AutomationExecutionId: CUTOFF_ID, DocumentName: "patching-WindowCutoff", AutomationExecutionStatus: "Success", ExecutionStartTime: T0 + 3600, Outputs: { "CancelRunningPatchRuns.CancelledExecutionIds": [run.PARENT_ID] } },
                    ],
                };
            }
            return patchRun(call, "Cancelled");
        });
        const result = await runCli(["status", "--stack", "prod", "--execution", run.PARENT_ID], { ssm: aws.ssm });
        assert.equal(result.code, 1);
        assert.match(result.stdout, new RegExp(`^Execution ${run.PARENT_ID} \\(patching-RunPatchBaseline\\): Cancelled`));
        assert.ok(result.stdout.endsWith(`\nCancelled by the window cutoff: patching-WindowCutoff execution ${CUTOFF_ID} at 2026-01-01T01:00:00.000Z (end of the group's maxDurationMinutes window)\n`), result.stdout);
        const search = aws.calls.find((call) => JSON.stringify(call.body).includes("patching-WindowCutoff"));
        assert.deepEqual(search?.body.Filters, [
            { Key: "DocumentNamePrefix", Values: ["patching-WindowCutoff"] },
            { Key: "StartTimeAfter", Values: ["2026-01-01T00:00:00Z"] },
        ]);
    });

    it("a run halted by its alarm names the alarm (TriggeredAlarms); a run that was not stopped gets no note", async () => {
        const halted = awsStub((call) => patchRun(call, "Failed", { TriggeredAlarms: [{ Name: "patching-fleet-health-prod", State: "ALARM" }] }));
        const result = await runCli(["status", "--stack", "prod", "--execution", run.PARENT_ID], { ssm: halted.ssm });
        assert.ok(result.stdout.endsWith("\nHalted by alarm patching-fleet-health-prod (ALARM)\n"), result.stdout);
        const plain = await runCli(["status", "--stack", "prod", "--execution", run.PARENT_ID], { ssm: awsStub((call) => patchRun(call, "Success")).ssm });
        assert.ok(plain.stdout.endsWith("┘\n"), plain.stdout);
    });

    it("--latest for a gated group finds its newest gate execution by the PatchGroup parameter", async () => {
        const older = "9e9e9e9e-0000-4000-8000-000000000000";
        const newerOtherGroup = "9e9e9e9e-0000-4000-8000-000000000009";
        const listed = [
            { AutomationExecutionId: older, DocumentName: "patching-RolloutGate", ExecutionStartTime: T0 - 86400 },
            { AutomationExecutionId: newerOtherGroup, DocumentName: "patching-RolloutGate", ExecutionStartTime: T0 },
            { AutomationExecutionId: GATE_ID, DocumentName: "patching-RolloutGate", ExecutionStartTime: T0 - 60 },
        ];
        const aws = awsStub((call) => {
            if (call.operation === "DescribeAutomationExecutions") return { AutomationExecutionMetadataList: listed };
            if (call.body.AutomationExecutionId === newerOtherGroup) return { AutomationExecution: { AutomationExecutionId: newerOtherGroup, DocumentName: "patching-RolloutGate", Parameters: { PatchGroup: ["Linux"] } } };
            return gate("Failed", { "CheckGates.Decision": ["held"], "CheckGates.Status": [RING_HOLD] });
        });
        const result = await runCli(["status", "--stack", "prod", "--latest", "--group", "AppA"], { ssm: aws.ssm });
        assert.equal(result.code, 1);
        assert.deepEqual(aws.calls.slice(0, 3).map((call) => [call.operation, call.body]), [
            ["DescribeAutomationExecutions", { Filters: [{ Key: "DocumentNamePrefix", Values: ["patching-RolloutGate"] }], MaxResults: 50 }],
            ["GetAutomationExecution", { AutomationExecutionId: newerOtherGroup }],
            ["GetAutomationExecution", { AutomationExecutionId: GATE_ID }],
        ]);
        assert.match(result.stdout, new RegExp(`^Rollout gate ${GATE_ID} .* for patch group AppA: Failed`));
    });
});
