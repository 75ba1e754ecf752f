import { strict as assert } from "node:assert";
import { parseDocument, renderDocument } from "../../../components/runbooks/patchAutomationDocuments";
import { GATE_STEPS, gateDocument } from "../../../components/rollout/gateDocument";
import { ROLLOUT_TAGS } from "../../../components/rollout/gateScript";
import { scheduleInput } from "../../../components/schedules/patchSchedules";
import { scheduleArgs, scheduledGroup } from "../../fixtures/patchSchedules";
import { EXECUTION_ID, execute, type PythonHarness } from "../runbooks/runbookInterpreter";
import { rolloutHarness, setClock } from "./rolloutHarness";

/**
 * Issue 19: a gated group's install schedule sends the gate, which re-sends the patch run it
 * carries. The excluded nodes must survive that hop: the gate (its Python executed, the SSM call a
 * botocore Stubber checks exactly and against the SSM model) starts the run WITH ExcludedNodes.
 */

const ADMIN = "arn:aws:iam::111111111111:role/admin";
const ROLLOUT_ROLE = "arn:aws:iam::111111111111:role/rollout";
const timing = { expression: "cron(0 3 ? * SAT *)", timeZone: "UTC", flexibleWindowMinutes: 0 };
const GROUP = scheduledGroup({
    name: "AppA",
    scan: timing,
    install: timing,
    rateControl: { maxConcurrency: "1", maxErrors: "0", targetLocationMaxConcurrency: "1", targetLocationMaxErrors: "0" },
    locations: [{ accountId: "222222222222", regions: ["eu-west-2"] }],
    gate: { group: "AppA" },
    excludedNodes: [{ id: "i-0abc1234def567890", expires: "2027-03-31" }, { id: "mi-0fedcba9876543210" }],
});
const ARGS = scheduleArgs(GROUP, {
    region: "eu-west-2",
    administrationRoleArn: ADMIN,
    rollout: { gateDocumentName: "patching-RolloutGate", cutoffDocumentName: "patching-RolloutCutoff", roleArn: ROLLOUT_ROLE },
});
const gate = parseDocument(renderDocument(gateDocument()));

describe("the rollout gate passes a group's excluded nodes through to the patch run it starts", function () {
    this.timeout(60_000);
    let harness: PythonHarness;
    before(() => (harness = rolloutHarness()));
    after(async () => harness?.stop());

    it("the started request is the ungated install request, ExcludedNodes included", async () => {
        await setClock(harness, "2026-01-17T03:00:00+00:00");
        const patchRun = scheduleInput({ ...ARGS, rollout: undefined }, { ...GROUP, gate: undefined }, "install", ADMIN);
        assert.deepEqual((patchRun.Parameters as Record<string, string[]>).ExcludedNodes, ["i-0abc1234def567890:2027-03-31", "mi-0fedcba9876543210"]);
        const input = scheduleInput(ARGS, GROUP, "install", ADMIN, ROLLOUT_ROLE);
        assert.equal(input.DocumentName, "patching-RolloutGate");
        const parameters = input.Parameters as Record<string, string[]>;
        const tags = { [ROLLOUT_TAGS.group]: "AppA", [ROLLOUT_TAGS.operation]: "Install", [`${ROLLOUT_TAGS.gatePrefix}AppA`]: EXECUTION_ID };
        const execution = await execute(gate, harness, {
            parameters: Object.fromEntries(Object.entries(parameters).map(([name, values]) => [name, gate.parameters[name].type === "StringList" ? values : values[0]])),
            ssm: {
                [GATE_STEPS.start]: () => [
                    {
                        method: "start_automation_execution",
                        response: { AutomationExecutionId: "c4114e11-0000-4000-8000-000000000001" },
                        expected: { ...patchRun, ClientToken: EXECUTION_ID, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
                    },
                ],
            },
        });
        assert.equal(execution.status, "Success", JSON.stringify(execution.failures));
        assert.deepEqual(execution.path, [GATE_STEPS.check, GATE_STEPS.branch, GATE_STEPS.start]);
    });
});
