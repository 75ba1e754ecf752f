import { strict as assert } from "node:assert";
import { EXCLUDED_NODES_PARAMETERS, EXCLUDED_REASON, MAX_EXCLUDED_NODES } from "../../../components/runbooks/checkNode";
import type { AutomationDocument } from "../../../components/runbooks/documentModel";
import { automationDocuments, parseDocument, renderDocument } from "../../../components/runbooks/patchAutomationDocuments";
import { NODE_STATUS_OUTPUT, NODE_STEPS } from "../../../components/runbooks/runPatchBaseline";
import { scheduleInput } from "../../../components/schedules/patchSchedules";
import { scheduleArgs, scheduledGroup } from "../../fixtures/patchSchedules";
import { MAX_EXCLUDED_NODES as CONFIG_MAX_EXCLUDED_NODES } from "../../../stacks/config/schemaEstate";
import { useMotoHarness } from "./motoHarness";
import { execute, type PythonHarness, type RunCommandCall, type SsmStub } from "./runbookInterpreter";

/**
 * Issue 19 item 5, executed: a patch group's install request (the schedules' own builder) carries
 * its excluded nodes; Automation fans the per-node runbook out over the group's members with the
 * request's Parameters, so every child is executed here with exactly those parameters — the
 * CheckNode Python for real (python3 + boto3) against moto_server, over the rendered runbook.
 */

const REGION = "eu-west-2";
const TAG = "Patch Group";
const HYBRID_KEPT = "mi-0123456789abcdef0";
const HYBRID_EXCLUDED = "mi-0fedcba9876543210";
const doc: AutomationDocument = parseDocument(renderDocument(automationDocuments(TAG).runPatchBaseline));
const utcToday = () => new Date().toISOString().slice(0, 10);

const GROUP = scheduledGroup({
    name: "AppA",
    rateControl: { maxConcurrency: "1", maxErrors: "0", targetLocationMaxConcurrency: "1", targetLocationMaxErrors: "0" },
    locations: [{ accountId: "222222222222", regions: [REGION] }],
});
const ARGS = scheduleArgs(GROUP);
const ADMIN = "arn:aws:iam::111111111111:role/admin";

/** Automation hands a child a String parameter's one value and a StringList's whole list. */
function childParameters(request: Record<string, unknown>): Record<string, unknown> {
    const parameters = request.Parameters as Record<string, string[]>;
    return Object.fromEntries(Object.entries(parameters).map(([name, values]) => [name, doc.parameters[name].type === "StringList" ? values : values[0]]));
}

describe("patching-RunPatchBaseline executed: excluded nodes are skipped, the rest patched (issue 19)", function () {
    this.timeout(120_000);
    const emulator = useMotoHarness(REGION);
    let harness: PythonHarness;
    before(() => (harness = emulator.harness()));

    async function running(name: string): Promise<string> {
        const reply = await harness.api("ec2", "run_instances", { ImageId: "ami-12c6146b", MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: TAG, Value: "AppA" }, { Key: "Name", Value: name }] }] });
        return (reply.Instances as { InstanceId: string }[])[0].InstanceId;
    }

    /** One child execution per member, as Automation's rate-controlled fan-out starts it; Online per SSM. */
    async function fanOut(request: Record<string, unknown>, members: string[]) {
        const commands: RunCommandCall[] = [];
        const children: Record<string, { path: string[]; status: string; nodeStatus: unknown }> = {};
        for (const node of members) {
            const execution = await execute(doc, harness, {
                parameters: { ...childParameters(request), InstanceId: node },
                // Asked only for a node that is not excluded; an excluded node makes no API call (an unasked answer fails the run).
                ssm: { [NODE_STEPS.check]: (inputs) => (((inputs.InputPayload as { ExcludedNodes?: string[] }).ExcludedNodes ?? []).some((e) => e.split(":")[0] === node && (e.split(":")[1] ?? "9999-12-31") >= utcToday()) ? [] : [online(node)]) },
                runCommand: async (call) => {
                    commands.push(call);
                    return { outcome: "success", outputs: { CommandId: `c-${node}`, Status: "Success" } };
                },
            });
            children[node] = { path: execution.path, status: execution.status, nodeStatus: execution.outputs[NODE_STATUS_OUTPUT] };
        }
        return { children, patched: commands.map((c) => (c.inputs.InstanceIds as string[])[0]) };
    }
    const online = (node: string): SsmStub => ({
        method: "describe_instance_information",
        response: { InstanceInformationList: [{ InstanceId: node, PingStatus: "Online", LastPingDateTime: new Date(Date.now() + 3_600_000).toISOString() }] },
        expected: { Filters: [{ Key: "InstanceIds", Values: [node] }] },
    });

    it("install: the excluded EC2 instance and hybrid node end Success at NodeSkipped with the reason, no command; the others are patched", async () => {
        const [kept, excluded] = [await running("kept"), await running("excluded")];
        const request = scheduleInput(ARGS, { ...GROUP, excludedNodes: [{ id: excluded, expires: "2099-12-31" }, { id: HYBRID_EXCLUDED }] }, "install", ADMIN);
        const { children, patched } = await fanOut(request, [kept, excluded, HYBRID_KEPT, HYBRID_EXCLUDED]);
        assert.deepEqual(patched, [kept, HYBRID_KEPT]);
        assert.deepEqual(children[excluded], { path: [NODE_STEPS.check, NODE_STEPS.branch, NODE_STEPS.skipped], status: "Success", nodeStatus: `Skipped: ${excluded} ${EXCLUDED_REASON} until 2099-12-31` });
        assert.deepEqual(children[HYBRID_EXCLUDED], { path: [NODE_STEPS.check, NODE_STEPS.branch, NODE_STEPS.skipped], status: "Success", nodeStatus: `Skipped: ${HYBRID_EXCLUDED} ${EXCLUDED_REASON}` });
        for (const node of [kept, HYBRID_KEPT]) assert.deepEqual([children[node].status, children[node].nodeStatus, children[node].path.at(-1)], ["Success", "Ready", NODE_STEPS.patch], node);
    });

    it("an exclusion holds through its expires day (UTC) and not after it: then the node is patched again (fail-safe)", async () => {
        const [today, expired] = [await running("today"), await running("expired")];
        const request = scheduleInput(ARGS, { ...GROUP, excludedNodes: [{ id: today, expires: utcToday() }, { id: expired, expires: "2020-01-01" }] }, "install", ADMIN);
        const { children, patched } = await fanOut(request, [today, expired]);
        assert.deepEqual(patched, [expired]);
        assert.equal(children[today].nodeStatus, `Skipped: ${today} ${EXCLUDED_REASON} until ${utcToday()}`);
    });

    it("scan: the request carries no exclusions, so every member is scanned (compliance stays reported)", async () => {
        const excluded = await running("excluded");
        const request = scheduleInput(ARGS, { ...GROUP, excludedNodes: [{ id: excluded }] }, "scan", ADMIN);
        assert.ok(!("ExcludedNodes" in (request.Parameters as object)));
        assert.deepEqual((await fanOut(request, [excluded])).patched, [excluded]);
    });

    it("rate control and targeting are those of the group without exclusions: only Parameters.ExcludedNodes is added", () => {
        const plain = scheduleInput(ARGS, GROUP, "install", ADMIN);
        const withExcluded = scheduleInput(ARGS, { ...GROUP, excludedNodes: [{ id: HYBRID_EXCLUDED }, { id: "i-0abc1234def567890", expires: "2027-03-31" }] }, "install", ADMIN);
        const { Parameters: parameters, ...rest } = withExcluded;
        const { Parameters: plainParameters, ...plainRest } = plain;
        assert.deepEqual(rest, plainRest);
        assert.deepEqual(parameters, { ...(plainParameters as object), ExcludedNodes: ["i-0abc1234def567890:2027-03-31", HYBRID_EXCLUDED] });
        assert.deepEqual([rest.MaxConcurrency, rest.MaxErrors, rest.TargetParameterName, rest.Targets], ["1", "0", "InstanceId", [{ Key: "ResourceGroup", Values: ["AppA"] }]]);
    });

    it("the runbook parameter: a StringList defaulting to none, at most the 50 values StartAutomationExecution takes (as the config)", () => {
        assert.deepEqual(doc.parameters.ExcludedNodes, { ...EXCLUDED_NODES_PARAMETERS.ExcludedNodes, default: [] });
        assert.deepEqual([MAX_EXCLUDED_NODES, CONFIG_MAX_EXCLUDED_NODES], [50, 50]);
    });
});
