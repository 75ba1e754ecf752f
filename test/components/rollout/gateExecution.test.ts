import { strict as assert } from "node:assert";
import { documentProblems, type AutomationDocument } from "../../../components/runbooks/documentModel";
import { parseDocument, renderDocument } from "../../../components/runbooks/patchAutomationDocuments";
import { GATE_DECISIONS, GATE_STEPS, gateDocument, gateStartInput, ringProblems, withAlarmConfiguration, type GateRunRequest, type RingCondition } from "../../../components/rollout/gateDocument";
import { ROLLOUT_TAGS } from "../../../components/rollout/gateScript";
import { startAutomationExecutionInput } from "../../../components/schedules/scheduleDocuments";
import { EXECUTION_ID, execute, type Execution, type PythonHarness, type SsmStub } from "../runbooks/runbookInterpreter";
import { rolloutHarness, setClock } from "./rolloutHarness";

/**
 * Proof of issue 17 items 1, 4 and 5: the gate runbook, as CreateDocument receives it (rendered
 * YAML parsed back), executed step by step by the runbook interpreter; its Python runs unchanged
 * (python3.11 + boto3). Every SSM call is a botocore Stubber answer whose expected request is
 * compared exactly and validated against the SSM model; a call the scenario did not queue fails
 * the step, an answer queued but never asked for fails the test.
 */

const ACCOUNT = "123456789012";
const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/patching-automation-administration`;
const PATCH_DOCUMENT = "patching-RunPatchBaseline";
const CALENDAR = "patching-blackouts-prod";
const gate: AutomationDocument = parseDocument(renderDocument(gateDocument()));

/** What the AppA install schedule sends today (the schedules' own builder). */
const SCHEDULED = startAutomationExecutionInput({
    documentName: PATCH_DOCUMENT,
    runbook: "RunPatchBaseline",
    patchGroup: "AppA",
    resourceGroup: "patching-AppA",
    operation: "Install",
    rebootOption: "RebootIfNeeded",
    administrationRoleArn: ADMIN_ROLE,
    executionRoleName: "patching-automation-execution",
    locations: [
        { accountId: "111111111111", regions: ["eu-west-2", "eu-west-1"] },
        { accountId: "222222222222", regions: ["eu-west-1", "eu-west-2"] },
        { accountId: "333333333333", regions: ["us-east-1"] },
    ],
    rateControl: { maxConcurrency: "10%", maxErrors: "5%", targetLocationMaxConcurrency: "2", targetLocationMaxErrors: "1" },
});
const PATCH_RUN = withAlarmConfiguration(SCHEDULED, { alarmName: "appa-5xx-errors" });
const RING: RingCondition = { after: "Linux", minDays: 2, require: "success" };

/** Automation hands a String parameter its one value, a StringList its list. */
function automationParameters(input: Record<string, unknown>): Record<string, unknown> {
    const parameters = input.Parameters as Record<string, string[]>;
    return Object.fromEntries(Object.entries(parameters).map(([name, values]) => [name, gate.parameters[name].type === "StringList" ? values : values[0]]));
}

function request(overrides: Partial<GateRunRequest> = {}): GateRunRequest {
    return { gateDocumentName: "patching-RolloutGate", gateRoleArn: `arn:aws:iam::${ACCOUNT}:role/patching-rollout`, patchGroup: "AppA", patchRun: PATCH_RUN, ring: RING, changeCalendarName: CALENDAR, ...overrides };
}

const day = (iso: string) => `${iso}+00:00`;
const NOW = "2026-01-20T02:00:00+00:00";

/** Previous-ring runs as DescribeAutomationExecutions lists them (newest first is NOT assumed). */
interface Run {
    readonly id: string;
    readonly status: string;
    readonly started: string;
    readonly ended?: string;
    readonly tags?: Record<string, string>;
}
const run = (n: number, status: string, started: string, ended?: string, tags?: Record<string, string>): Run => ({ id: `0000000${n}-aaaa-4bbb-8ccc-000000000000`, status, started, ended, tags });
const ringTags = (group = "Linux", gateId = "gate-1") => ({ [ROLLOUT_TAGS.group]: group, [ROLLOUT_TAGS.operation]: "Install", [`${ROLLOUT_TAGS.gatePrefix}${group}`]: gateId });

function calendarStub(state: "OPEN" | "CLOSED"): SsmStub {
    return { method: "get_calendar_state", response: { State: state, AtTime: NOW, NextTransitionTime: "2026-01-22T00:00:00Z" }, expected: { CalendarNames: [CALENDAR] } };
}

/** describe + one ListTagsForResource per run the script reads, newest first, until one qualifies. */
function ringStubs(runs: Run[], tagReads: number, extra: SsmStub[] = []): SsmStub[] {
    const byNewest = [...runs].sort((a, b) => b.started.localeCompare(a.started));
    return [
        {
            method: "describe_automation_executions",
            response: {
                AutomationExecutionMetadataList: runs.map((r) => ({
                    AutomationExecutionId: r.id,
                    DocumentName: PATCH_DOCUMENT,
                    AutomationExecutionStatus: r.status,
                    ExecutionStartTime: day(r.started),
                    ...(r.ended === undefined ? {} : { ExecutionEndTime: day(r.ended) }),
                })),
            },
            expected: { Filters: [{ Key: "DocumentNamePrefix", Values: [PATCH_DOCUMENT] }, { Key: "TagKey", Values: [`${ROLLOUT_TAGS.gatePrefix}Linux`] }] },
        },
        ...byNewest.slice(0, tagReads).map((r) => ({
            method: "list_tags_for_resource",
            response: { TagList: Object.entries(r.tags ?? ringTags()).map(([Key, Value]) => ({ Key, Value })) },
            expected: { ResourceType: "Automation", ResourceId: r.id },
        })),
        ...extra,
    ];
}

/** The child request the gate must send: the schedule's request + AlarmConfiguration + ClientToken + tags. */
function expectedStart(extraTags: Record<string, string> = {}): SsmStub {
    const tags = { [ROLLOUT_TAGS.group]: "AppA", [ROLLOUT_TAGS.operation]: "Install", [`${ROLLOUT_TAGS.gatePrefix}AppA`]: EXECUTION_ID, ...extraTags };
    return {
        method: "start_automation_execution",
        response: { AutomationExecutionId: "c4114e11-0000-4000-8000-000000000001" },
        expected: { ...PATCH_RUN, ClientToken: EXECUTION_ID, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
    };
}

describe("the gate runbook, executed: checks, holds visibly, or starts exactly the scheduled patch run", function () {
    this.timeout(120_000);
    let harness: PythonHarness;
    before(() => (harness = rolloutHarness()));
    after(async () => harness?.stop());
    beforeEach(async () => setClock(harness, NOW));

    async function runGate(overrides: Partial<GateRunRequest>, check: SsmStub[], start: SsmStub[] = []): Promise<Execution> {
        return execute(gate, harness, {
            parameters: automationParameters(gateStartInput(request(overrides))),
            ssm: { [GATE_STEPS.check]: () => check, [GATE_STEPS.start]: () => start },
        });
    }

    it("passes document-model validation, renders losslessly and fits an SSM document", () => {
        assert.deepEqual(documentProblems(gateDocument()), []);
        assert.deepEqual(gate, gateDocument());
        assert.ok(Buffer.byteLength(renderDocument(gateDocument())) < 64 * 1024);
    });

    it("all clear: starts exactly the scheduled request + AlarmConfiguration, tagged with group, operation and gate id", async () => {
        const runs = [run(1, "Success", "2026-01-10T02:00:00", "2026-01-10T05:00:00"), run(2, "Success", "2026-01-16T02:00:00", "2026-01-16T04:00:00")];
        const execution = await runGate({}, [calendarStub("OPEN"), ...ringStubs(runs, 1)], [expectedStart()]);
        assert.equal(execution.status, "Success", JSON.stringify(execution.failures));
        assert.deepEqual(execution.path, [GATE_STEPS.check, GATE_STEPS.branch, GATE_STEPS.start]);
        assert.equal(execution.outputs[`${GATE_STEPS.check}.Decision`], GATE_DECISIONS.start);
        assert.equal(execution.outputs[`${GATE_STEPS.check}.Status`], `clear: calendar ${CALENDAR} OPEN; ring Linux's latest install ${runs[1].id} succeeded 4 day(s) ago`);
        assert.equal(execution.outputs[`${GATE_STEPS.start}.ChildExecutionId`], "c4114e11-0000-4000-8000-000000000001");
    });

    it("the request survives chunking: a 100-location request (> 512 characters per value) arrives whole", async () => {
        const big = { ...PATCH_RUN, TargetLocations: Array.from({ length: 100 }, (_, i) => ({ Accounts: [String(100000000000 + i)], Regions: ["eu-west-2"], ExecutionRoleName: "patching-automation-execution" })) };
        const input = gateStartInput(request({ patchRun: big, ring: undefined, changeCalendarName: undefined }));
        const pieces = (input.Parameters as Record<string, string[]>).PatchRunRequest;
        assert.ok(pieces.length > 1 && pieces.every((p) => p.length >= 1 && p.length <= 512));
        const start = { ...expectedStart(), expected: { ...big, ClientToken: EXECUTION_ID, Tags: (expectedStart().expected as { Tags: unknown }).Tags } };
        const execution = await execute(gate, harness, { parameters: automationParameters(input), ssm: { [GATE_STEPS.start]: () => [start] } });
        assert.equal(execution.status, "Success", JSON.stringify(execution.failures));
    });

    const HOLDS: [string, Partial<GateRunRequest>, () => SsmStub[], RegExp][] = [
        ["the calendar is CLOSED", {}, () => [calendarStub("CLOSED")], /^held: change calendar patching-blackouts-prod is CLOSED \(blackout until 2026-01-22T00:00:00Z\); start with an override reason/],
        ["the previous ring's latest install failed", {}, () => [calendarStub("OPEN"), ...ringStubs([run(1, "Success", "2026-01-09T02:00:00", "2026-01-09T03:00:00"), run(2, "Failed", "2026-01-15T02:00:00", "2026-01-15T03:00:00")], 1)], /^held: ring Linux's latest install 00000002-\S+ ended Failed; Success required$/],
        ["the previous ring finished too recently", {}, () => [calendarStub("OPEN"), ...ringStubs([run(1, "Success", "2026-01-19T01:00:00", "2026-01-19T03:00:00")], 1)], /^held: ring Linux's latest install 00000001-\S+ ended 2026-01-19, 1 day\(s\) ago; 2 required$/],
        ["the previous ring is still running", {}, () => [calendarStub("OPEN"), ...ringStubs([run(1, "InProgress", "2026-01-19T01:00:00")], 1)], /^held: ring Linux's latest install 00000001-\S+ is still InProgress$/],
        ["the previous ring never ran through a gate", {}, () => [calendarStub("OPEN"), ...ringStubs([], 0)], /^held: ring Linux has no install run of patching-RunPatchBaseline started by a gate$/],
        [
            "the previous ring's compliance is below the requirement",
            { ring: { after: "Linux", minDays: 0, require: { compliancePercent: 95 } } },
            () => [
                calendarStub("OPEN"),
                ...ringStubs([run(1, "CompletedWithFailure", "2026-01-19T01:00:00", "2026-01-19T03:00:00")], 1, [
                    { method: "get_automation_execution", response: { AutomationExecution: { ProgressCounters: { TotalSteps: 20, SuccessSteps: 18, FailedSteps: 2 } } }, expected: { AutomationExecutionId: run(1, "", "").id } },
                ]),
            ],
            /^held: ring Linux's latest install 00000001-\S+ ended CompletedWithFailure: 90% of its steps succeeded across accounts and Regions \(18 of 20\); 95% required$/,
        ],
    ];
    for (const [title, overrides, check, reason] of HOLDS) {
        it(`held when ${title}: the execution fails with "held: <reason>" (notified), nothing is started`, async () => {
            const execution = await runGate(overrides, check());
            assert.deepEqual([execution.status, execution.path], ["Failed", [GATE_STEPS.check, GATE_STEPS.branch, GATE_STEPS.held]]);
            assert.match(String(execution.outputs[`${GATE_STEPS.check}.Status`]), reason);
            assert.equal(execution.failures[GATE_STEPS.held], `Exception: ${String(execution.outputs[`${GATE_STEPS.check}.Status`])}`);
        });
    }

    it("compliance at or above the requirement starts the run although the ring ended CompletedWithFailure", async () => {
        const counters = { method: "get_automation_execution", response: { AutomationExecution: { ProgressCounters: { TotalSteps: 20, SuccessSteps: 19 } } }, expected: { AutomationExecutionId: run(1, "", "").id } };
        const execution = await runGate({ ring: { after: "Linux", minDays: 0, require: { compliancePercent: 95 } } }, [calendarStub("OPEN"), ...ringStubs([run(1, "CompletedWithFailure", "2026-01-19T01:00:00", "2026-01-19T03:00:00")], 1, [counters])], [expectedStart()]);
        assert.equal(execution.status, "Success", JSON.stringify(execution.failures));
        assert.match(String(execution.outputs[`${GATE_STEPS.check}.Status`]), /95% of its steps succeeded .* \(19 of 20\)$/);
    });

    it("a newer run that lacks the ring's tags (not started by Linux's gate) is skipped; the tagged one decides", async () => {
        const spoofed = run(3, "Success", "2026-01-18T02:00:00", "2026-01-18T03:00:00", { [`${ROLLOUT_TAGS.gatePrefix}Linux`]: "x", [ROLLOUT_TAGS.group]: "AppB", [ROLLOUT_TAGS.operation]: "Install" });
        const scan = run(2, "Success", "2026-01-17T02:00:00", "2026-01-17T03:00:00", { ...ringTags(), [ROLLOUT_TAGS.operation]: "Scan" });
        const failed = run(1, "Failed", "2026-01-15T02:00:00", "2026-01-15T03:00:00");
        const execution = await runGate({}, [calendarStub("OPEN"), ...ringStubs([failed, spoofed, scan], 3)]);
        assert.equal(execution.status, "Failed");
        assert.match(String(execution.outputs[`${GATE_STEPS.check}.Status`]), /latest install 00000001-\S+ ended Failed/);
    });

    it("override during a blackout: starts the run and records the reason as a tag", async () => {
        const runs = [run(1, "Success", "2026-01-16T02:00:00", "2026-01-16T04:00:00")];
        const reason = "CVE-2026-1234 emergency, CAB approved";
        // A comma cannot be a tag value character: the parameter pattern and the builder refuse it.
        assert.ok(!new RegExp(gate.parameters.OverrideReason.allowedPattern as string).test(reason));
        assert.throws(() => gateStartInput(request({ overrideReason: reason })), /overrideReason "CVE-2026-1234 emergency, CAB approved" must be 1-200 of letters, digits, space and _.:\/=\+@-/);
        const sanitized = reason.replace(",", "");
        const execution = await runGate({ overrideReason: sanitized }, [calendarStub("CLOSED"), ...ringStubs(runs, 1)], [expectedStart({ [ROLLOUT_TAGS.overrideReason]: sanitized })]);
        assert.equal(execution.status, "Success", JSON.stringify(execution.failures));
        assert.match(String(execution.outputs[`${GATE_STEPS.check}.Status`]), new RegExp(`calendar ${CALENDAR} CLOSED, overridden: ${sanitized}`));
    });

    describe("Patch Tuesday offset", () => {
        const offset: Partial<GateRunRequest> = { patchTuesdayOffsetDays: 5, timeZone: "Europe/London", ring: undefined, changeCalendarName: undefined };

        it("wrong day: ends Success with Status held: ... (no notification for the expected daily no-op), no SSM call", async () => {
            const execution = await runGate(offset, []);
            assert.deepEqual([execution.status, execution.path], ["Success", [GATE_STEPS.check, GATE_STEPS.branch, GATE_STEPS.wait]]);
            assert.equal(execution.outputs[`${GATE_STEPS.check}.Status`], "held: 2026-01-20 (Europe/London) is not Patch Tuesday + 5 days; next 2026-02-15");
        });

        it("the offset day (Jan 13 + 5 = Jan 18): starts", async () => {
            await setClock(harness, "2026-01-18T21:00:00+00:00");
            const execution = await runGate(offset, [], [expectedStart()]);
            assert.equal(execution.status, "Success", JSON.stringify(execution.failures));
            assert.equal(execution.outputs[`${GATE_STEPS.check}.Status`], "clear: 2026-01-18 is Patch Tuesday + 5");
        });
    });

    it("a request with members the gate does not pass on is refused before anything is checked", async () => {
        const execution = await runGate({ patchRun: { ...PATCH_RUN, Mode: "Interactive" }, ring: undefined, changeCalendarName: undefined }, []);
        assert.equal(execution.status, "Failed");
        assert.match(execution.failures[GATE_STEPS.check], /refusing members Mode/);
    });

    it("the builder refuses bad rings and offsets, one line naming the group", () => {
        assert.deepEqual(ringProblems({ after: "Linux", minDays: -1, require: { compliancePercent: 101 } }), ["minDays -1 is not an integer from 0 to 60", "require.compliancePercent 101 is not a number above 0 and at most 100"]);
        assert.throws(() => gateStartInput(request({ patchTuesdayOffsetDays: 28 })), /^Error: gate for AppA: patchTuesdayOffsetDays 28 is not an integer from 0 to 27/);
        assert.deepEqual(Object.keys(gateStartInput(request({ ring: undefined, changeCalendarName: undefined })).Parameters as object), ["AutomationAssumeRole", "PatchRunRequest", "PatchGroup"], "empty optional values are left out (a value must be 1-512 characters)");
    });
});
