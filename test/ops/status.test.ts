import { strict as assert } from "node:assert";
import { EXCLUDED_REASON } from "../../components/runbooks/checkNode";
import { bucketOf, summariseRun } from "../../tools/ops/statusModel";
import * as run from "./fixtures/automationRun";
import { awsStub, runCli, type RecordedCall } from "./helpers";

/** Replays the fixture run; `rounds` lists the parent's state per GetAutomationExecution of the parent. */
function replay(rounds: boolean[]) {
    let round = -1;
    const inProgress = () => rounds[Math.min(Math.max(round, 0), rounds.length - 1)];
    return awsStub((call: RecordedCall) => {
        const body = call.body as { AutomationExecutionId?: string; NextToken?: string; Filters?: { Key: string; Values: string[] }[] };
        switch (call.operation) {
            case "GetAutomationExecution":
                round += 1;
                return run.parent(inProgress() ? "InProgress" : "Failed");
            case "DescribeAutomationStepExecutions": {
                if (body.AutomationExecutionId !== run.PARENT_ID) {
                    const child = run.children(inProgress()).find((c) => c.id === body.AutomationExecutionId);
                    return child === undefined ? { StepExecutions: [] } : run.childSteps(child);
                }
                const steps = run.parentSteps(inProgress());
                return body.NextToken === "steps-2" ? { StepExecutions: steps.slice(4) } : { StepExecutions: steps.slice(0, 4), NextToken: "steps-2" };
            }
            case "DescribeAutomationExecutions": {
                assert.deepEqual(body.Filters, [{ Key: "ParentExecutionId", Values: [run.PARENT_ID] }]);
                const all = run.children(inProgress()).map(run.childMetadata);
                return body.NextToken === "children-2" ? { AutomationExecutionMetadataList: all.slice(6) } : { AutomationExecutionMetadataList: all.slice(0, 6), NextToken: "children-2" };
            }
        }
        throw new Error(`unexpected ${call.operation}`);
    });
}

const FINAL_TABLE = [
    `Execution ${run.PARENT_ID} (patching-RunPatchBaseline): Failed, started 2026-01-01T00:00:00.000Z`,
    "┌────────────────────────────────┬───────────┬─────────┬─────────┬─────────────┬─────────┬─────────┬────────┐",
    "│ Account                        │ Region    │ State   │ Pending │ In progress │ Success │ Skipped │ Failed │",
    "├────────────────────────────────┼───────────┼─────────┼─────────┼─────────────┼─────────┼─────────┼────────┤",
    "│ security (111111111111)        │ eu-west-2 │ Success │ 0       │ 0           │ 2       │ 0       │ 0      │",
    "├────────────────────────────────┼───────────┼─────────┼─────────┼─────────────┼─────────┼─────────┼────────┤",
    "│ security (111111111111)        │ us-west-2 │ Success │ 0       │ 0           │ 2       │ 0       │ 0      │",
    "├────────────────────────────────┼───────────┼─────────┼─────────┼─────────────┼─────────┼─────────┼────────┤",
    "│ shared-services (222222222222) │ eu-west-2 │ Failed  │ 0       │ 0           │ 1       │ 0       │ 1      │",
    "├────────────────────────────────┼───────────┼─────────┼─────────┼─────────────┼─────────┼─────────┼────────┤",
    "│ shared-services (222222222222) │ us-west-2 │ Success │ 0       │ 0           │ 2       │ 0       │ 0      │",
    "├────────────────────────────────┼───────────┼─────────┼─────────┼─────────────┼─────────┼─────────┼────────┤",
    "│ application (333333333333)     │ eu-west-2 │ Success │ 0       │ 0           │ 2       │ 0       │ 0      │",
    "├────────────────────────────────┼───────────┼─────────┼─────────┼─────────────┼─────────┼─────────┼────────┤",
    "│ application (333333333333)     │ us-west-2 │ Failed  │ 0       │ 0           │ 0       │ 0       │ 0      │",
    "└────────────────────────────────┴───────────┴─────────┴─────────┴─────────────┴─────────┴─────────┴────────┘",
    "Failed:",
    `  shared-services (222222222222) eu-west-2 i-0f1e2d3c4b5a69788 [RunPatchBaseline]: ${run.COMMAND_FAILURE} Output: s3://patching-patch-logs-222222222222-eu-west-2/run-patch-baseline/${run.children(false).find((c) => c.status === "Failed")?.id}/`,
    `  application (333333333333) us-west-2 - [333333333333-us-west-2]: ${run.ROLE_FAILURE}`,
].join("\n");

describe("tools/ops status against replayed SSM responses (moto answers these calls with server errors)", () => {
    it("shows per location node counts and every failed node with its step error, and exits 1", async () => {
        const aws = replay([false]);
        const result = await runCli(["status", "--stack", "prod", "--execution", run.PARENT_ID], { ssm: aws.ssm });
        assert.deepEqual([result.code, result.stdout, result.stderr], [1, `${FINAL_TABLE}\n`, ""]);
        assert.deepEqual(result.clients, [{ region: "us-east-1" }]);
        assert.ok(aws.calls.every((call) => call.host === "ssm.us-east-1.amazonaws.com"));
        // The parent, both pages of its steps, both pages of children, and each child's steps once.
        assert.deepEqual(aws.calls.filter((call) => call.operation !== "DescribeAutomationStepExecutions" || call.body.AutomationExecutionId === run.PARENT_ID).map((call) => call.operation), [
            "GetAutomationExecution",
            "DescribeAutomationStepExecutions",
            "DescribeAutomationStepExecutions",
            "DescribeAutomationExecutions",
            "DescribeAutomationExecutions",
        ]);
        assert.equal(aws.calls.length, 5 + 10);
    });

    it("--watch refreshes until the parent ends, without re-reading children that already ended", async () => {
        const aws = replay([true, false]);
        const result = await runCli(["status", "--stack", "prod", "--execution", run.PARENT_ID, "--watch", "--interval", "5"], { ssm: aws.ssm });
        assert.deepEqual([result.code, result.stdout, result.sleeps], [1, `${FINAL_TABLE}\n`, [5000]]);
        assert.deepEqual(result.stderr.split("\n"), [
            "2026-01-01T00:00:00.000Z InProgress: 0/6 locations ended, 0 with failures",
            "2026-01-01T00:00:00.000Z Failed: 6/6 locations ended, 2 with failures",
            "",
        ]);
        const childStepReads = aws.calls.filter((call) => call.operation === "DescribeAutomationStepExecutions" && call.body.AutomationExecutionId !== run.PARENT_ID);
        // 10 children read in round one; the 5 that had already succeeded are not read again.
        assert.equal(childStepReads.length, 15);
    });

    it("--watch on a terminal draws one progress bar per location", async () => {
        let drawn = "";
        const terminal = { isTTY: true, columns: 160, write: (text: string) => ((drawn += text), true), cursorTo: () => true, moveCursor: () => true, clearLine: () => true, clearScreenDown: () => true, on: () => terminal, removeListener: () => terminal };
        const result = await runCli(["status", "--stack", "prod", "--execution", run.PARENT_ID, "--watch"], { ssm: replay([true, false]).ssm, stderr: terminal });
        // Without the terminal's escape sequences (ESC [ … letter).
        const plain = drawn.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[a-zA-Z]`, "g"), "");
        assert.equal(result.code, 1);
        assert.match(plain, /shared-services \(222222222222\) eu-west-2 +\[=+\] 2\/2 nodes \| Failed \| failed 1/);
        assert.match(plain, /application \(333333333333\) us-west-2 +\[-+\] 0\/1 nodes \| Failed \| failed 0/);
    });

    it("exits 0 when every location succeeded", async () => {
        const steps = run.parentSteps(false).map((step) => ({ ...step, StepStatus: "Success", FailureMessage: undefined }));
        const nodes = run.children(false).map((child) => ({ ...child, status: "Success" as const }));
        const aws = awsStub((call) => {
            if (call.operation === "GetAutomationExecution") return run.parent("Success");
            if (call.operation === "DescribeAutomationExecutions") return { AutomationExecutionMetadataList: nodes.map(run.childMetadata) };
            const child = nodes.find((c) => c.id === call.body.AutomationExecutionId);
            return child === undefined ? { StepExecutions: steps } : run.childSteps(child);
        });
        const result = await runCli(["status", "--execution", run.PARENT_ID, "--region", "us-east-1"], { ssm: aws.ssm });
        assert.equal(result.code, 0, result.stdout);
        assert.match(result.stdout, /│ 111111111111 │ eu-west-2 │ Success │ 0 +│ 0 +│ 2 +│ 0 +│ 0 +│/);
        assert.doesNotMatch(result.stdout, /Failed:/);
    });

    it("counts skipped nodes (CheckNode \"Skipped: <reason>\") apart from patched ones, lists their reasons, and does not fail the run for them", async () => {
        const steps = run.parentSteps(false).map((step) => ({ ...step, StepStatus: "Success", FailureMessage: undefined }));
        const nodes = run.children(false).map((child) => ({ ...child, status: "Success" as const }));
        // The first node skipped, reason in the execution outputs; the second only in its CheckNode step's outputs.
        const [first, second] = nodes;
        const aws = awsStub((call) => {
            if (call.operation === "GetAutomationExecution") return run.parent("Success");
            if (call.operation === "DescribeAutomationExecutions") {
                return { AutomationExecutionMetadataList: nodes.map((c) => ({ ...run.childMetadata(c), ...(c === first ? { Outputs: { "CheckNode.NodeStatus": [`Skipped: EC2 instance ${c.node} is stopped`] } } : {}) })) };
            }
            const child = nodes.find((c) => c.id === call.body.AutomationExecutionId);
            if (child === second) {
                return { StepExecutions: [{ StepName: "CheckNode", Action: "aws:executeScript", StepStatus: "Success", TargetLocation: run.childSteps(child).StepExecutions[0].TargetLocation, Outputs: { NodeStatus: [`Skipped: ${child.node} has Systems Manager PingStatus ConnectionLost`] } }] };
            }
            return child === undefined ? { StepExecutions: steps } : run.childSteps(child);
        });
        const result = await runCli(["status", "--execution", run.PARENT_ID, "--region", "us-east-1"], { ssm: aws.ssm });
        assert.equal(result.code, 0, result.stdout);
        assert.match(result.stdout, new RegExp(`│ ${first.account} │ ${first.region} │ Success │ 0 +│ 0 +│ 0 +│ 2 +│ 0 +│`));
        assert.match(result.stdout, /│ 111111111111 │ us-west-2 │ Success │ 0 +│ 0 +│ 2 +│ 0 +│ 0 +│/);
        assert.ok(
            result.stdout.includes(
                [
                    "Skipped (2):",
                    `  ${first.account} ${first.region} ${first.node}: EC2 instance ${first.node} is stopped`,
                    `  ${second.account} ${second.region} ${second.node}: ${second.node} has Systems Manager PingStatus ConnectionLost`,
                ].join("\n"),
            ),
            result.stdout,
        );
    });

    it("lists a node skipped as excluded (patchGroups[].excludedNodes) like any other skip, with its end date (issue 19)", async () => {
        const steps = run.parentSteps(false).map((step) => ({ ...step, StepStatus: "Success", FailureMessage: undefined }));
        const nodes = run.children(false).map((child) => ({ ...child, status: "Success" as const }));
        const [first] = nodes;
        const aws = awsStub((call) => {
            if (call.operation === "GetAutomationExecution") return run.parent("Success");
            if (call.operation === "DescribeAutomationExecutions") {
                return { AutomationExecutionMetadataList: nodes.map((c) => ({ ...run.childMetadata(c), ...(c === first ? { Outputs: { "CheckNode.NodeStatus": [`Skipped: ${c.node} ${EXCLUDED_REASON} until 2027-03-31`] } } : {}) })) };
            }
            const child = nodes.find((c) => c.id === call.body.AutomationExecutionId);
            return child === undefined ? { StepExecutions: steps } : run.childSteps(child);
        });
        const result = await runCli(["status", "--execution", run.PARENT_ID, "--region", "us-east-1"], { ssm: aws.ssm });
        assert.equal(result.code, 0, result.stdout);
        assert.ok(result.stdout.includes(["Skipped (1):", `  ${first.account} ${first.region} ${first.node}: ${first.node} is excluded from patching (patchGroups[].excludedNodes) until 2027-03-31`].join("\n")), result.stdout);
    });

    it("--latest finds an ungated group's newest parent run (a resource-group target, or the workflow's PatchGroup)", async () => {
        const metadata = (id: string, start: number, extra: object) => ({ AutomationExecutionId: id, AutomationExecutionStatus: "Success", ExecutionStartTime: start, AutomationType: "CrossAccount", ...extra });
        const workflow = "5a5a5a5a-0000-4000-8000-000000000003";
        const listed = [
            metadata("5a5a5a5a-0000-4000-8000-000000000001", 100, { DocumentName: "patching-RunPatchBaseline", Targets: [{ Key: "ResourceGroup", Values: ["Windows"] }] }),
            metadata("5a5a5a5a-0000-4000-8000-000000000002", 300, { DocumentName: "patching-RunPatchBaseline", Targets: [{ Key: "ResourceGroup", Values: ["Windows"] }], ParentAutomationExecutionId: run.PARENT_ID }),
            metadata(run.PARENT_ID, 200, { DocumentName: "patching-RunPatchBaseline", Targets: [{ Key: "ResourceGroup", Values: ["Windows"] }] }),
            metadata(workflow, 400, { DocumentName: "patching-PatchWithStoppedInstances" }),
        ];
        const aws = awsStub((call) => {
            if (call.operation === "DescribeAutomationExecutions") return { AutomationExecutionMetadataList: listed };
            if (call.body.AutomationExecutionId === workflow) return { AutomationExecution: { AutomationExecutionId: workflow, Parameters: { PatchGroup: ["AppA"] } } };
            if (call.operation === "GetAutomationExecution") return run.parent("Success");
            return { StepExecutions: [] };
        });
        const result = await runCli(["status", "--stack", "dev", "--latest", "--group", "Windows"], { ssm: aws.ssm });
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(aws.calls.slice(0, 3).map((call) => [call.operation, call.body]), [
            ["DescribeAutomationExecutions", { Filters: [{ Key: "DocumentNamePrefix", Values: ["patching-RunPatchBaseline", "patching-PatchWithStoppedInstances"] }, { Key: "AutomationType", Values: ["CrossAccount"] }], MaxResults: 50 }],
            ["GetAutomationExecution", { AutomationExecutionId: workflow }],
            ["GetAutomationExecution", { AutomationExecutionId: run.PARENT_ID }],
        ]);
    });
});

describe("tools/ops/statusModel", () => {
    it("reads every AutomationExecutionStatus of the API reference as pending, in progress, success or failed", () => {
        const statuses = {
            pending: ["Pending", "Waiting", "Scheduled", "PendingApproval", "Approved", "PendingChangeCalendarOverride", "ChangeCalendarOverrideApproved"],
            inProgress: ["InProgress", "Cancelling", "RunbookInProgress"],
            success: ["Success", "CompletedWithSuccess"],
            failed: ["Failed", "TimedOut", "Cancelled", "Rejected", "ChangeCalendarOverrideRejected", "CompletedWithFailure", "Exited"],
        };
        for (const [bucket, values] of Object.entries(statuses)) {
            assert.deepEqual(values.map(bucketOf), values.map(() => bucket), bucket);
        }
    });

    it("lists requested locations that have not started as pending, and children without a location apart", () => {
        const summary = summariseRun({
            parent: { AutomationExecutionId: run.PARENT_ID, AutomationExecutionStatus: "InProgress", TargetLocations: [{ Accounts: ["111111111111"], Regions: ["us-west-2"] }] },
            parentSteps: [],
            children: [{ execution: { AutomationExecutionId: "c", AutomationExecutionStatus: "TimedOut", Target: "mi-0123456789abcdef0" }, steps: [] }],
        });
        assert.deepEqual(
            summary.locations.map((l) => [l.account, l.region, l.state, l.nodes, l.failures]),
            [
                ["111111111111", "us-west-2", "pending", { pending: 0, inProgress: 0, success: 0, failed: 0 }, []],
                ["?", "?", "failed", { pending: 0, inProgress: 0, success: 0, failed: 1 }, [{ node: "mi-0123456789abcdef0", step: "-", message: "TimedOut" }]],
            ],
        );
        assert.deepEqual([summary.done, summary.failed], [false, true]);
    });
});
