import { strict as assert } from "node:assert";
import { startAutomationExecutionInput } from "../../components/schedules/scheduleDocuments";
import { evaluatedStack } from "../fixtures/programEvaluations";
import { AwsErrorReply, awsStub, runCli } from "./helpers";

const ADMIN = "arn:aws:iam::111111111111:role/AWS-SystemsManager-AutomationAdministrationRole";
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

    it("narrows to the chosen accounts (alias or id) and Regions through startAutomationExecutionInput", async () => {
        const run = await runCli(["patch-now", "--stack", "prod", "--group", "Linux", "--operation", "Install", "--reboot", "NoReboot", "--accounts", "222222222222,security", "--regions", "eu-west-2", "--dry-run"]);
        const expected = startAutomationExecutionInput({
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
        });
        assert.deepEqual([run.code, JSON.parse(run.stdout)], [0, expected]);
    });

    it("drops an account none of whose Regions was chosen", async () => {
        const run = await runCli(["patch-now", "--stack", "dev", "--group", "Windows", "--operation", "Scan", "--regions", "eu-west-2", "--dry-run"]);
        assert.deepEqual(JSON.parse(run.stdout).TargetLocations, [
            { Accounts: ["555555555555"], Regions: ["eu-west-2"], ExecutionRoleName: "AWS-SystemsManager-AutomationExecutionRole", TargetLocationMaxConcurrency: "2", TargetLocationMaxErrors: "1" },
        ]);
    });
});

describe("tools/ops patch-now against a recording SDK transport (moto has no StartAutomationExecution)", () => {
    it("sends exactly the schedule's request to SSM in the central account's Region and prints the execution id", async () => {
        const aws = awsStub(() => ({ AutomationExecutionId: EXECUTION_ID }));
        const run = await runCli(["patch-now", "--stack", "prod", "--group", "Windows", "--operation", "Install", "--accounts", "application", "--profile", "security-ops"], { ssm: aws.ssm });
        assert.deepEqual([run.code, run.stdout], [0, `${EXECUTION_ID}\n`]);
        assert.match(run.stderr, /^Started patching-RunPatchBaseline \(Install\) for patch group Windows in 2 account\/Region location\(s\) from security \(111111111111\) us-east-1\.\n/);
        assert.deepEqual(run.clients, [{ region: "us-east-1", profile: "security-ops" }]);
        assert.deepEqual(aws.calls, [
            {
                host: "ssm.us-east-1.amazonaws.com",
                operation: "StartAutomationExecution",
                body: {
                    DocumentName: "patching-RunPatchBaseline",
                    Parameters: { AutomationAssumeRole: [ADMIN], Operation: ["Install"], RebootOption: ["RebootIfNeeded"] },
                    TargetParameterName: "InstanceId",
                    Targets: [{ Key: "ResourceGroup", Values: ["Windows"] }],
                    MaxConcurrency: "10%",
                    MaxErrors: "5%",
                    TargetLocations: [
                        {
                            Accounts: ["333333333333"],
                            Regions: ["eu-west-2", "us-west-2"],
                            ExecutionRoleName: "AWS-SystemsManager-AutomationExecutionRole",
                            TargetLocationMaxConcurrency: "2",
                            TargetLocationMaxErrors: "1",
                        },
                    ],
                },
            },
        ]);
    });

    it("runs the stopped-instances workflow once per location with the group's rate control as parameters", async () => {
        const aws = awsStub(() => ({ AutomationExecutionId: EXECUTION_ID }));
        const run = await runCli(["patch-now", "--stack", "prod", "--group", "AppA", "--operation", "Install", "--regions", "us-west-2", "--reboot", "NoReboot"], { ssm: aws.ssm });
        assert.equal(run.code, 0);
        assert.deepEqual(aws.calls.map((call) => call.body), [
            {
                DocumentName: "patching-PatchWithStoppedInstances",
                Parameters: { AutomationAssumeRole: [ADMIN], Operation: ["Install"], RebootOption: ["NoReboot"], PatchGroup: ["AppA"], MaxConcurrency: ["1"], MaxErrors: ["0"] },
                TargetLocations: [
                    { Accounts: ["333333333333"], Regions: ["us-west-2"], ExecutionRoleName: "AWS-SystemsManager-AutomationExecutionRole", TargetLocationMaxConcurrency: "2", TargetLocationMaxErrors: "1" },
                ],
            },
        ]);
    });

    it("exits 1 with the service's error when SSM refuses", async () => {
        const aws = awsStub(() => new AwsErrorReply(400, "InvalidDocument", "Document patching-RunPatchBaseline does not exist in your account"));
        const run = await runCli(["patch-now", "--stack", "dev", "--group", "Linux", "--operation", "Scan"], { ssm: aws.ssm });
        assert.deepEqual([run.code, run.stdout, run.stderr], [1, "", "ops: InvalidDocument: Document patching-RunPatchBaseline does not exist in your account\n"]);
        assert.equal(aws.calls.length, 1);
    });
});
