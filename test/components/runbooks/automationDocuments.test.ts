import { strict as assert } from "node:assert";
import { branchChoices, documentProblems, successors, type AutomationDocument, type Outcome, type Step } from "../../../components/runbooks/documentModel";
import { patchWithStoppedInstancesDocument, STEPS } from "../../../components/runbooks/patchWithStoppedInstances";
import { NODE_STATUS_OUTPUT, NODE_STEPS, runPatchBaselineDocument } from "../../../components/runbooks/runPatchBaseline";
import { parseDocument, renderDocument } from "../../../components/runbooks/patchAutomationDocuments";
import { logBucketName } from "../../../catalog/naming";
import { promiseOf } from "../../../tools/mock/promiseOf";
import { settle, startMockRuntime } from "../../../tools/mock/runtime";

const TAG_KEYS = ["Patch Group", "PatchGroup"];
const stoppedWorkflow = (tagKey = "Patch Group") => patchWithStoppedInstancesDocument({ patchGroupTagKey: tagKey });
const stepOf = (doc: AutomationDocument, name: string): Step => doc.mainSteps.find((s) => s.name === name) ?? assert.fail(`no step ${name}`);

/** A small consistent runbook; each case below breaks exactly one thing. */
function sample(): AutomationDocument {
    return {
        schemaVersion: "0.3",
        description: "sample",
        assumeRole: "{{ AutomationAssumeRole }}",
        parameters: { AutomationAssumeRole: { type: "String", description: "role", default: "" }, InstanceId: { type: "String", description: "node" } },
        mainSteps: [
            {
                name: "Describe",
                action: "aws:executeAwsApi",
                inputs: { Service: "ec2", Api: "DescribeInstances", InstanceIds: ["{{ InstanceId }}"] },
                outputs: [{ Name: "State", Selector: "$.Reservations[0].Instances[0].State.Name", Type: "String" }],
            },
            { name: "Check", action: "aws:branch", inputs: { Choices: [{ NextStep: "Run", Variable: "{{ Describe.State }}", StringEquals: "running" }], Default: "Done" } },
            { name: "Run", action: "aws:runCommand", onFailure: "step:Done", inputs: { DocumentName: "AWS-RunShellScript", InstanceIds: ["{{InstanceId}}"], Parameters: { commands: ["date"] } } },
            { name: "Done", action: "aws:sleep", isEnd: true, inputs: { Duration: "PT1S" } },
        ],
        outputs: ["Run.CommandId"],
    };
}

/** `sample()` with one step's fields replaced (loosely typed: the mistakes do not type-check). */
function mutated(stepName: string, patch: Record<string, unknown>, doc: AutomationDocument = sample()): AutomationDocument {
    return { ...doc, mainSteps: doc.mainSteps.map((s) => (s.name === stepName ? ({ ...s, ...patch } as unknown as Step) : s)) };
}

const MISTAKES: [string, AutomationDocument, RegExp][] = [
    ["a dangling parameter reference", mutated("Run", { inputs: { DocumentName: "AWS-RunShellScript", InstanceIds: ["{{ Foo }}"] } }), /step Run: \{\{ Foo \}\} is neither a parameter nor a system variable/],
    ["an undocumented system variable", mutated("Run", { inputs: { DocumentName: "AWS-RunShellScript", Comment: "{{global:TIME}}" } }), /\{\{ global:TIME \}\} is neither/],
    ["a duplicate step name", { ...sample(), mainSteps: [...sample().mainSteps, { name: "Done", action: "aws:sleep", inputs: {} }] }, /step Done: duplicate step name/],
    ["a nextStep to nowhere", mutated("Describe", { nextStep: "Nowhere" }), /step Describe: nextStep names Nowhere, which is not a step/],
    ["an onFailure jump to nowhere", mutated("Run", { onFailure: "step:Gone" }), /step Run: onFailure names Gone/],
    ["an onFailure keyword that does not exist", mutated("Run", { onFailure: "Retry" }), /"Retry" must be Abort, Continue or step:<name>/],
    ["an onCancel jump to nowhere", mutated("Run", { onCancel: "step:Gone" }), /step Run: onCancel names Gone/],
    ["a branch choice to nowhere", mutated("Check", { inputs: { Choices: [{ NextStep: "Later", Variable: "{{ Describe.State }}", StringEquals: "x" }], Default: "Done" } }), /Choices\[0\]\.NextStep names Later/],
    ["a branch default to nowhere", mutated("Check", { inputs: { Choices: [{ NextStep: "Run", Variable: "{{ Describe.State }}", StringEquals: "x" }], Default: "Later" } }), /Default names Later/],
    ["a branch without choices", mutated("Check", { inputs: { Default: "Done" } }), /aws:branch needs at least one choice/],
    ["an unknown action", mutated("Done", { action: "aws:wait" }), /step Done: aws:wait is not an Automation action/],
    ["a forward output reference", mutated("Describe", { inputs: { Service: "ec2", Api: "DescribeInstances", InstanceIds: ["{{ Run.CommandId }}"] } }), /\{\{ Run\.CommandId \}\} refers to a step declared at or after this one/],
    ["an output the step does not have", mutated("Check", { inputs: { Choices: [{ NextStep: "Run", Variable: "{{ Describe.Status }}", StringEquals: "x" }], Default: "Done" } }), /step Describe has no output Status/],
    ["a reference to a step that does not exist", mutated("Run", { inputs: { DocumentName: "{{ Lookup.Name }}" } }), /names no step Lookup/],
    ["a document output that does not exist", { ...sample(), outputs: ["Run.Nope"] }, /document outputs: .*has no output Nope/],
    ["isEnd together with nextStep", mutated("Done", { nextStep: "Describe" }), /step Done: isEnd and nextStep contradict/],
    ["steps cut off by an early isEnd", mutated("Describe", { isEnd: true }), /step Check: unreachable from Describe/],
    ["a step name Automation cannot jump to", mutated("Done", { name: "Done now" }, mutated("Check", { inputs: { Choices: [{ NextStep: "Run", Variable: "{{ Describe.State }}", StringEquals: "x" }], Default: "Done now" } }, mutated("Run", { onFailure: "step:Done now" }))), /step Done now: name must match/],
    ["a jump to the step itself", mutated("Run", { onFailure: "step:Run" }), /onFailure jumps to the step itself/],
    ["another schema version", { ...sample(), schemaVersion: "2.2" as "0.3" }, /must use "0\.3"/],
    ["an assumeRole that is not a parameter", { ...sample(), assumeRole: "{{ Role }}" }, /assumeRole "\{\{ Role \}\}" must be/],
    ["a default its own pattern rejects", { ...sample(), parameters: { ...sample().parameters, SnapshotId: { type: "String", description: "", default: "", allowedPattern: "^[0-9a-f-]{36}$" } } }, /parameter SnapshotId: default "" does not match/],
    // Issue 21 mutants: a step naming its own output, and outputs declared twice.
    ["a step referring to its own output", mutated("Describe", { inputs: { Service: "ec2", Api: "DescribeInstances", InstanceIds: ["{{ Describe.State }}"] } }), /step Describe: \{\{ Describe\.State \}\} refers to a step declared at or after this one/],
    ["an output name declared twice", mutated("Describe", { outputs: [{ Name: "State", Selector: "$.a", Type: "String" }, { Name: "State", Selector: "$.b", Type: "String" }] }), /step Describe: duplicate output names/],
    ["a default outside allowedValues", { ...sample(), parameters: { ...sample().parameters, Operation: { type: "String", description: "", default: "Patch", allowedValues: ["Scan", "Install"] } } }, /parameter Operation: default "Patch" is not one of/],
];

describe("components/automationDocuments: runbook content", () => {
    it("both runbooks are consistent for either patch-group tag key, and fit CreateDocument's 64 KB limit", () => {
        for (const doc of [runPatchBaselineDocument(), ...TAG_KEYS.map(stoppedWorkflow)]) {
            assert.deepEqual(documentProblems(doc), [], doc.description);
            assert.ok(Buffer.byteLength(JSON.stringify(doc)) < 64 * 1024);
        }
    });

    it("counts a step reached only through onFailure or onCancel as reachable (issue 21 mutant)", () => {
        // Describe fails over to Cleanup; nothing else jumps there. Done ends the success path first.
        const doc: AutomationDocument = {
            ...sample(),
            mainSteps: [
                { ...sample().mainSteps[0], onFailure: "step:Cleanup", onCancel: "step:Undo", nextStep: "Done" },
                { name: "Done", action: "aws:sleep", isEnd: true, inputs: { Duration: "PT1S" } },
                { name: "Cleanup", action: "aws:sleep", isEnd: true, inputs: { Duration: "PT1S" } },
                { name: "Undo", action: "aws:sleep", isEnd: true, inputs: { Duration: "PT1S" } },
            ],
            outputs: [],
        };
        assert.deepEqual(documentProblems(doc), []);
        const withoutJumps = { ...doc, mainSteps: [{ ...doc.mainSteps[0], onFailure: undefined, onCancel: undefined }, ...doc.mainSteps.slice(1)] } as AutomationDocument;
        assert.deepEqual(documentProblems(withoutJumps).filter((p) => /unreachable/.test(p)).length, 2);
    });

    it("the sample runbook the mistakes start from is itself consistent", () => {
        assert.deepEqual(documentProblems(sample()), []);
    });

    for (const [mistake, doc, message] of MISTAKES) {
        it(`documentProblems catches ${mistake}`, () => {
            const problems = documentProblems(doc);
            assert.ok(problems.some((p) => message.test(p)), `expected ${message} in ${JSON.stringify(problems)}`);
        });
    }

    it("parameters are defined exactly as AWS-RunPatchBaseline defines them, in both runbooks", () => {
        const { parameters } = runPatchBaselineDocument();
        assert.deepEqual([parameters.Operation.allowedValues, parameters.Operation.default], [["Scan", "Install"], "Scan"]);
        assert.deepEqual([parameters.RebootOption.allowedValues, parameters.RebootOption.default], [["RebootIfNeeded", "NoReboot"], "RebootIfNeeded"]);
        assert.equal(parameters.SnapshotId.allowedPattern, "(^$)|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
        assert.equal(parameters.InstallOverrideList.allowedPattern, "(^$)|^https://.+$|^s3://([^/]+)/(.*?([^/]+))$");
        assert.deepEqual([parameters.SnapshotId.default, parameters.InstallOverrideList.default, parameters.AutomationAssumeRole.default], ["", "", ""]);
        const workflow = stoppedWorkflow().parameters;
        for (const shared of ["AutomationAssumeRole", "Operation", "RebootOption", "SnapshotId", "InstallOverrideList"]) {
            assert.deepEqual(workflow[shared], parameters[shared], shared);
        }
    });

    const PATTERN_CASES: [string, () => string | undefined, string[], string[]][] = [
        ["SnapshotId", () => runPatchBaselineDocument().parameters.SnapshotId.allowedPattern, ["", "0f3c2a1e-9b8d-4c7e-a6f5-123456789abc"], ["snapshot-1", "0f3c2a1e9b8d4c7ea6f5123456789abc"]],
        ["InstallOverrideList", () => runPatchBaselineDocument().parameters.InstallOverrideList.allowedPattern, ["", "https://example.com/list.yaml", "s3://bucket/lists/list.yaml"], ["http://example.com/list.yaml", "s3://bucket"]],
        ["InstanceId", () => runPatchBaselineDocument().parameters.InstanceId.allowedPattern, ["i-0123456789abcdef0", "i-12345678", "mi-0123456789abcdef0"], ["", "i-123", "vm-0123456789abcdef0"]],
        ["PatchGroup", () => stoppedWorkflow().parameters.PatchGroup.allowedPattern, ["Linux", "App-A.1_x"], ["", "-Linux", "Linux Servers"]],
        ["MaxConcurrency", () => stoppedWorkflow().parameters.MaxConcurrency.allowedPattern, ["10%", "5", "100%"], ["0", "0%", "101%"]],
        ["MaxErrors", () => stoppedWorkflow().parameters.MaxErrors.allowedPattern, ["0", "10%", "3"], ["-1", "101%"]],
    ];
    for (const [name, pattern, accepted, rejected] of PATTERN_CASES) {
        it(`${name} accepts ${accepted.map((v) => JSON.stringify(v)).join(", ")} and rejects ${rejected.map((v) => JSON.stringify(v)).join(", ")}`, () => {
            const regex = new RegExp(pattern() ?? assert.fail(`${name} has no allowedPattern`));
            assert.deepEqual(accepted.filter((v) => !regex.test(v)), []);
            assert.deepEqual(rejected.filter((v) => regex.test(v)), []);
        });
    }

    it("(a) checks the node, then runs AWS-RunPatchBaseline once on it, writing output to the account's own patch-log bucket", () => {
        const doc = runPatchBaselineDocument();
        // Issue 17: the snapshot and hooks steps sit between the node check and the command (installSafety.test.ts).
        assert.deepEqual(doc.mainSteps.map((s) => s.name), [
            NODE_STEPS.check, NODE_STEPS.branch, NODE_STEPS.branchOnSnapshot, NODE_STEPS.snapshot, NODE_STEPS.branchOnSnapshotTaken, NODE_STEPS.waitSnapshots, NODE_STEPS.branchOnHooks, NODE_STEPS.patch, NODE_STEPS.patchWithHooks, NODE_STEPS.skipped,
        ]);
        const step = stepOf(doc, NODE_STEPS.patch);
        assert.ok(step.maxAttempts === 2 || step.maxAttempts === 3);
        assert.deepEqual([doc.assumeRole, step.action, step.timeoutSeconds, step.onFailure, step.isEnd], ["{{ AutomationAssumeRole }}", "aws:runCommand", 7200, "Abort", true]);
        assert.deepEqual([step.inputs.DocumentName, step.inputs.InstanceIds], ["AWS-RunPatchBaseline", ["{{ InstanceId }}"]]);
        assert.deepEqual(step.inputs.Parameters, { Operation: "{{ Operation }}", RebootOption: "{{ RebootOption }}", SnapshotId: "{{ SnapshotId }}", InstallOverrideList: "{{ InstallOverrideList }}" });
        const resolved = String(step.inputs.OutputS3BucketName).replace("{{global:ACCOUNT_ID}}", "123456789012").replace("{{global:REGION}}", "eu-west-2");
        assert.equal(resolved, logBucketName("patch", "123456789012", "eu-west-2"));
        assert.match(String(step.inputs.OutputS3KeyPrefix), /\{\{ ?automation:EXECUTION_ID ?\}\}/);
        assert.deepEqual(doc.outputs, [NODE_STATUS_OUTPUT, "SnapshotVolumes.SnapshotStatus", "SnapshotVolumes.SnapshotIds", "RunPatchBaseline.CommandId", "RunPatchBaseline.Status", "RunPatchBaselineWithHooks.CommandId", "RunPatchBaselineWithHooks.Status"]);
    });

    it("(a) only a Ready node reaches the command; every other CheckNode answer ends Success in NodeSkipped", () => {
        const doc = runPatchBaselineDocument();
        const branch = stepOf(doc, NODE_STEPS.branch);
        assert.deepEqual(branch.inputs, { Choices: [{ NextStep: NODE_STEPS.branchOnSnapshot, Variable: `{{ ${NODE_STATUS_OUTPUT} }}`, StringEquals: "Ready" }], Default: NODE_STEPS.skipped });
        const skipped = stepOf(doc, NODE_STEPS.skipped);
        assert.deepEqual([skipped.action, skipped.isEnd, successors(doc, NODE_STEPS.patch, "success")], ["aws:sleep", true, []]);
        assert.deepEqual(stepOf(doc, NODE_STEPS.check).outputs, [{ Name: "NodeStatus", Selector: "$.Payload.NodeStatus", Type: "String" }]);
    });

    it("YAML content parses back to exactly the model, for both runbooks and both tag keys", () => {
        for (const doc of [runPatchBaselineDocument(), ...TAG_KEYS.map(stoppedWorkflow)]) {
            const content = renderDocument(doc);
            assert.deepEqual(parseDocument(content), doc);
            assert.ok(Buffer.byteLength(content) < 64 * 1024);
            assert.doesNotMatch(content, /^\s*[{[]/, "block YAML, not JSON");
        }
    });
});

/** Follows the runbook from its first step: `outcomes` says how a step ends, `values` answers branch variables. */
function run(doc: AutomationDocument, values: Record<string, number>, outcomes: Partial<Record<string, Outcome>> = {}): string[] {
    const path: string[] = [];
    for (let current: string | undefined = doc.mainSteps[0].name; current !== undefined; ) {
        assert.ok(path.length <= doc.mainSteps.length, `no end after ${path.join(" > ")}`);
        path.push(current);
        const step = stepOf(doc, current);
        const outcome = outcomes[current] ?? "success";
        let next = successors(doc, current, outcome);
        if (step.action === "aws:branch" && outcome === "success") {
            const choices = branchChoices(step);
            assert.ok(choices.every((c) => typeof c.NumericEquals === "number"), "the simulation evaluates NumericEquals only");
            next = [choices.find((c) => values[String(c.Variable).replace(/[{} ]/g, "")] === c.NumericEquals)?.NextStep ?? String(step.inputs.Default)];
        }
        assert.ok(next.length <= 1, `${current} has several successors: ${next.join(", ")}`);
        current = next[0];
    }
    return path;
}

describe("components/automationDocuments: the stopped-instances workflow's control flow", () => {
    const doc = stoppedWorkflow();
    const started = { [`${STEPS.start}.StartedCount`]: 2, [`${STEPS.start}.MemberCount`]: 3 };
    const none = { [`${STEPS.start}.StartedCount`]: 0, [`${STEPS.start}.MemberCount`]: 3 };
    const empty = { [`${STEPS.start}.StartedCount`]: 0, [`${STEPS.start}.MemberCount`]: 0 };
    const S = STEPS;

    it("patch succeeded: start, wait, update the agent, patch, stop what was started, verify", () => {
        assert.deepEqual(run(doc, started), [S.start, S.branchOnMembers, S.branchOnStarted, S.waitRunning, S.waitOnline, S.updateAgent, S.patch, S.branchOnStop, S.stop, S.verify]);
    });

    it("patch failed: the started instances are still stopped, and the execution ends in the verification, marked Failed", () => {
        assert.deepEqual(run(doc, started, { [S.patch]: "failure" }).slice(-4), [S.patch, S.branchOnStop, S.stop, S.verify]);
        assert.equal(stepOf(doc, S.patch).isCritical, true, "a failed critical step makes the execution Failed");
    });

    it("instances that never come up, or a failed agent update, neither skip patching nor the stop", () => {
        const path = run(doc, started, { [S.waitRunning]: "failure", [S.waitOnline]: "failure", [S.updateAgent]: "failure" });
        assert.deepEqual(path.slice(-5), [S.updateAgent, S.patch, S.branchOnStop, S.stop, S.verify]);
        assert.equal(stepOf(doc, S.updateAgent).onFailure, "Continue");
    });

    it("nothing was stopped: no waiting and no stop, after success or failure", () => {
        assert.deepEqual(run(doc, none), [S.start, S.branchOnMembers, S.branchOnStarted, S.updateAgent, S.patch, S.branchOnStop, S.verify]);
        assert.ok(!run(doc, none, { [S.patch]: "failure" }).includes(S.stop));
    });

    it("no member of the group in this location: ends Success at NoInstancesInLocation, nothing sent", () => {
        assert.deepEqual(run(doc, empty), [S.start, S.branchOnMembers, S.noMembers]);
        assert.deepEqual([stepOf(doc, S.noMembers).isEnd, doc.outputs?.[0]], [true, `${S.start}.Status`]);
    });

    it("a cancel between start and stop stops the started instances", () => {
        for (const name of [S.start, S.waitRunning, S.waitOnline, S.updateAgent, S.patch]) {
            assert.deepEqual(successors(doc, name, "cancel"), [S.stopOnCancel], name);
        }
        assert.equal(stepOf(doc, S.stopOnCancel).isEnd, true);
    });

    it("both stop steps stop exactly the ids the start step returned, which it never retries", () => {
        const ids = `{{ ${S.start}.StartedInstanceIds }}`;
        assert.deepEqual(stepOf(doc, S.stop).inputs, { InstanceIds: ids, CheckStateOnly: false, DesiredState: "stopped" });
        assert.deepEqual((stepOf(doc, S.stopOnCancel).inputs.InputPayload as Record<string, unknown>).InstanceIds, ids);
        assert.match(String(stepOf(doc, S.start).inputs.Script), /if previous == 'stopped':\n\s+started\.append/);
        const start = stepOf(doc, S.start);
        assert.deepEqual(start.outputs?.find((o) => o.Name === "StartedInstanceIds"), { Name: "StartedInstanceIds", Selector: "$.Payload.StartedInstanceIds", Type: "StringList" });
        assert.equal(start.maxAttempts, 1, "a retry would find the instances pending and lose track of them");
        assert.match(String(start.inputs.Script), /if instance\['State'\]\['Name'\] == 'stopped':\n\s+stopped\.append/);
        assert.deepEqual(start.inputs.InputPayload, { TagKey: "Patch Group", PatchGroup: "{{ PatchGroup }}" });
    });

    it("the verification fails the execution unless the patch command succeeded", () => {
        const verify = stepOf(doc, S.verify);
        assert.deepEqual(verify.inputs.InputPayload, { PatchStatus: `{{ ${S.patch}.Status }}`, CommandId: `{{ ${S.patch}.CommandId }}` });
        assert.match(String(verify.inputs.Script), /if events\['PatchStatus'\] != 'Success':\n\s+raise /);
    });

    for (const key of TAG_KEYS) {
        it(`${key}: agent update and patch target every node tagged ${key}={{ PatchGroup }}, with rate control`, () => {
            const workflow = stoppedWorkflow(key);
            for (const [name, document] of [[S.updateAgent, "AWS-UpdateSSMAgent"], [S.patch, "AWS-RunPatchBaseline"]]) {
                const inputs = stepOf(workflow, name).inputs;
                assert.equal(inputs.DocumentName, document);
                assert.deepEqual(inputs.Targets, [{ Key: `tag:${key}`, Values: ["{{ PatchGroup }}"] }]);
                assert.deepEqual([inputs.MaxConcurrency, inputs.MaxErrors], ["{{ MaxConcurrency }}", "{{ MaxErrors }}"]);
            }
        });
    }

    it("every script runs on Python 3.11 and defines the handler it names", () => {
        for (const step of doc.mainSteps.filter((s) => s.action === "aws:executeScript")) {
            assert.equal(step.inputs.Runtime, "python3.11", step.name);
            assert.ok(String(step.inputs.Script).includes(`def ${String(step.inputs.Handler)}(events, context):`), step.name);
        }
    });
});

describe("components/patchAutomationDocuments: both runbooks in one account and Region", () => {
    let component: typeof import("../../../components/runbooks/patchAutomationDocuments");
    let recorder: Awaited<ReturnType<typeof startMockRuntime>>;

    before(async () => {
        recorder = await startMockRuntime({ project: "p", stack: "s", config: {}, invokes: {} });
        component = await import("../../../components/runbooks/patchAutomationDocuments");
    });

    const INVALID: [string, { region: string; patchGroupTagKey: string }, RegExp][] = [
        ["an empty Region", { region: " ", patchGroupTagKey: "Patch Group" }, /region " " is empty/],
        ["another tag key", { region: "eu-west-2", patchGroupTagKey: "Name" }, /patchGroupTagKey "Name" is not one of "Patch Group", "PatchGroup"/],
    ];
    for (const [title, args, message] of INVALID) {
        it(`refuses ${title}`, () => assert.throws(() => component.validatePatchAutomationDocumentsArgs(args), message));
    }

    it("document names fit CreateDocument's Name rules, which refuse AWS's reserved prefixes", () => {
        assert.deepEqual(Object.values(component.AUTOMATION_DOCUMENT_NAMES).map(component.documentNameProblem), [undefined, undefined]);
        for (const bad of ["AWS-RunPatchBaseline", "amazon-patch", "Amzn.patch", "ab", "patch group"]) {
            assert.ok(component.documentNameProblem(bad) !== undefined, bad);
        }
    });

    it("creates two YAML Automation documents with the fixed names, in the given Region, on the member account's provider", async () => {
        const { Provider } = await import("@pulumi/aws/provider");
        const provider = new Provider("aws-member", { region: "us-west-2", allowedAccountIds: ["222222222222"] });
        const docs = new component.PatchAutomationDocuments("member-eu-west-2-runbooks", { region: "eu-west-2", patchGroupTagKey: "PatchGroup", tags: { owner: "patching" } }, { provider });
        assert.equal(await promiseOf(docs.documentArns.patchWithStoppedInstances), "arn:aws:ssm:eu-west-2:222222222222:document/patching-PatchWithStoppedInstances");
        assert.equal(await promiseOf(docs.documentNames.runPatchBaseline), "patching-RunPatchBaseline");
        await settle();
        const expected = { "run-patch-baseline": ["patching-RunPatchBaseline", runPatchBaselineDocument({ patchGroupTagKey: "PatchGroup" })], "patch-with-stopped-instances": ["patching-PatchWithStoppedInstances", stoppedWorkflow("PatchGroup")] } as const;
        for (const [role, [name, content]] of Object.entries(expected)) {
            const recorded = recorder.get("aws:ssm/document:Document", `member-eu-west-2-runbooks-${role}`);
            assert.deepEqual([recorded.inputs.name, recorded.inputs.documentType, recorded.inputs.documentFormat, recorded.inputs.region], [name, "Automation", "YAML", "eu-west-2"]);
            assert.deepEqual(parseDocument(recorded.inputs.content as string), content);
            assert.deepEqual(recorded.inputs.tags, { owner: "patching" });
            assert.equal(recorder.providerOf(recorded)?.name, "aws-member");
            assert.equal(recorded.parent, recorder.get("patching:automation:PatchAutomationDocuments", "member-eu-west-2-runbooks").urn);
        }
    });
});
