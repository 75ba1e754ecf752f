import { strict as assert } from "node:assert";
import { automationDocuments, parseDocument, renderDocument } from "../../../components/runbooks/patchAutomationDocuments";
import { STEPS } from "../../../components/runbooks/patchWithStoppedInstances";
import { MAX_STARTED_INSTANCES } from "../../../components/runbooks/patchWithStoppedInstancesScripts";
import { NODE_STATUS_OUTPUT, NODE_STEPS } from "../../../components/runbooks/runPatchBaseline";
import type { AutomationDocument } from "../../../components/runbooks/documentModel";
import { execute, type PythonHarness, type RunCommandCall, type SsmStub } from "./runbookInterpreter";
import { useMotoHarness } from "./motoHarness";

/**
 * Proof of issue 15: the runbooks' embedded Python runs for real (python3 + boto3) against
 * moto_server, step by step through the control flow of the document content the program
 * renders (YAML, parsed back). SSM's DescribeInstanceInformation, which moto lacks, is answered by
 * botocore's Stubber in the harness; aws:runCommand is simulated by the interpreter (an AWS-side
 * action): it "reaches" the group's running instances, read from moto.
 */

const REGION = "eu-west-2";
const TAG = "Patch Group";
/** The model exactly as CreateDocument receives it. */
const rendered = (key: "runPatchBaseline" | "patchWithStoppedInstances"): AutomationDocument => parseDocument(renderDocument(automationDocuments(TAG)[key]));

interface Fleet {
    readonly ids: Record<string, string>;
}

describe("runbooks executed: embedded Python against moto_server, control flow over the rendered model", function () {
    this.timeout(120_000);
    const emulator = useMotoHarness(REGION);
    let harness: PythonHarness;
    before(() => (harness = emulator.harness()));

    /** Launches named instances in the given final states; tags as given. */
    async function launch(specs: Record<string, { tags: Record<string, string>; state: "running" | "stopped" | "terminated" }>): Promise<Fleet> {
        const ids: Record<string, string> = {};
        for (const [name, spec] of Object.entries(specs)) {
            const tags = Object.entries({ Name: name, ...spec.tags }).map(([Key, Value]) => ({ Key, Value }));
            const reply = await harness.api("ec2", "run_instances", { ImageId: "ami-12c6146b", MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: "instance", Tags: tags }] });
            ids[name] = (reply.Instances as { InstanceId: string }[])[0].InstanceId;
            if (spec.state === "stopped") await harness.api("ec2", "stop_instances", { InstanceIds: [ids[name]] });
            if (spec.state === "terminated") await harness.api("ec2", "terminate_instances", { InstanceIds: [ids[name]] });
        }
        return { ids };
    }

    async function states(fleet: Fleet): Promise<Record<string, string>> {
        const reply = await harness.api("ec2", "describe_instances", { InstanceIds: Object.values(fleet.ids) });
        const byId = new Map((reply.Reservations as { Instances: { InstanceId: string; State: { Name: string } }[] }[]).flatMap((r) => r.Instances).map((i) => [i.InstanceId, i.State.Name]));
        // moto reports a just-started instance as pending; for these assertions it is "up".
        return Object.fromEntries(Object.entries(fleet.ids).map(([name, id]) => [name, (byId.get(id) ?? "?").replace("pending", "running").replace("stopping", "stopped")]));
    }

    const info = (id: string, ping: string) => ({ InstanceId: id, PingStatus: ping, LastPingDateTime: new Date(Date.now() + 3_600_000).toISOString() });

    describe("patching-RunPatchBaseline: a node that is not running and Online is skipped, successfully", () => {
        const HYBRID_ONLINE = "mi-0123456789abcdef0";
        const HYBRID_OFFLINE = "mi-0fedcba9876543210";
        const HYBRID_UNREGISTERED = "mi-00000000000000000";
        const NOT_IN_EC2 = "i-0123456789abcdef0";

        async function runOn(node: string, ping: string | undefined, commandStatus = "Success") {
            const commands: RunCommandCall[] = [];
            const execution = await execute(rendered("runPatchBaseline"), harness, {
                parameters: { InstanceId: node, Operation: "Scan", AutomationAssumeRole: "" },
                ssm: {
                    [NODE_STEPS.check]: () =>
                        // Only asked when the EC2 state did not already decide (hybrid nodes have none).
                        ping === "not asked" ? [] : [{ method: "describe_instance_information", response: { InstanceInformationList: ping === undefined ? [] : [info(node, ping)] }, expected: { Filters: [{ Key: "InstanceIds", Values: [node] }] } }],
                },
                runCommand: async (call) => {
                    commands.push(call);
                    return { outcome: commandStatus === "Success" ? "success" : "failure", outputs: { CommandId: "c-1", Status: commandStatus } };
                },
            });
            return { execution, commands };
        }

        it("running + Online EC2 instance and Online hybrid node: AWS-RunPatchBaseline runs on exactly that node", async () => {
            const fleet = await launch({ web: { tags: { [TAG]: "AppA" }, state: "running" } });
            for (const node of [fleet.ids.web, HYBRID_ONLINE]) {
                const { execution, commands } = await runOn(node, "Online");
                assert.deepEqual([execution.status, execution.path], ["Success", [NODE_STEPS.check, NODE_STEPS.branch, NODE_STEPS.branchOnSnapshot, NODE_STEPS.branchOnHooks, NODE_STEPS.patch]], node);
                assert.deepEqual(execution.outputs[NODE_STATUS_OUTPUT], "Ready");
                assert.deepEqual(commands.map((c) => [c.inputs.DocumentName, c.inputs.InstanceIds, (c.inputs.Parameters as Record<string, string>).Operation]), [["AWS-RunPatchBaseline", [node], "Scan"]]);
            }
        });

        const SKIPS: [string, (f: Fleet) => string, string | undefined, RegExp][] = [
            ["a stopped EC2 instance", (f) => f.ids.stopped, "not asked", /^Skipped: EC2 instance i-\w+ is stopped$/],
            ["a terminated EC2 instance", (f) => f.ids.gone, "not asked", /^Skipped: EC2 instance i-\w+ is terminated$/],
            ["an instance id EC2 does not know", () => NOT_IN_EC2, "not asked", /^Skipped: i-0123456789abcdef0 does not exist in EC2$/],
            ["a running instance whose agent lost its connection", (f) => f.ids.lost, "ConnectionLost", /^Skipped: i-\w+ has Systems Manager PingStatus ConnectionLost$/],
            ["a running instance not registered with Systems Manager", (f) => f.ids.lost, undefined, /^Skipped: i-\w+ is not registered with Systems Manager$/],
            ["an offline hybrid node (deallocated Azure VM)", () => HYBRID_OFFLINE, "ConnectionLost", /^Skipped: mi-0fedcba9876543210 has Systems Manager PingStatus ConnectionLost$/],
            ["a hybrid node no longer registered", () => HYBRID_UNREGISTERED, undefined, /^Skipped: mi-0{17} is not registered/],
        ];
        for (const [title, node, ping, reason] of SKIPS) {
            it(`skips ${title}: Success, no command sent, the reason in the execution outputs`, async () => {
                const fleet = await launch({ stopped: { tags: { [TAG]: "AppA" }, state: "stopped" }, gone: { tags: { [TAG]: "AppA" }, state: "terminated" }, lost: { tags: { [TAG]: "AppA" }, state: "running" } });
                const { execution, commands } = await runOn(node(fleet), ping);
                assert.deepEqual([execution.status, execution.path, commands], ["Success", [NODE_STEPS.check, NODE_STEPS.branch, NODE_STEPS.skipped], []]);
                assert.match(String(execution.outputs[NODE_STATUS_OUTPUT]), reason);
            });
        }

        it("a node that was ready but whose patch command failed still fails (a real error counts against MaxErrors)", async () => {
            const fleet = await launch({ web: { tags: { [TAG]: "AppA" }, state: "running" } });
            const { execution } = await runOn(fleet.ids.web, "Online", "Failed");
            assert.deepEqual([execution.status, execution.path.at(-1)], ["Failed", NODE_STEPS.patch]);
        });
    });

    describe("patching-PatchWithStoppedInstances: starts and stops exactly its own instances", () => {
        const HYBRID = "mi-0123456789abcdef0";

        /** AppA members in every state, another group, and an instance tagged with the other key spelling. */
        const FLEET = {
            up: { tags: { [TAG]: "AppA" }, state: "running" },
            down1: { tags: { [TAG]: "AppA" }, state: "stopped" },
            down2: { tags: { [TAG]: "AppA" }, state: "stopped" },
            raced: { tags: { [TAG]: "AppA" }, state: "stopped" },
            gone: { tags: { [TAG]: "AppA" }, state: "terminated" },
            otherGroup: { tags: { [TAG]: "AppB" }, state: "stopped" },
            otherKey: { tags: { PatchGroup: "AppA" }, state: "stopped" },
        } as const;

        /** SSM answers: the group's hybrid node in the start step, every started instance Online after the start. */
        function ssmFor(group: string, hybrid: string[]): Record<string, (inputs: Record<string, unknown>) => SsmStub[]> {
            return {
                [STEPS.start]: () => [{ method: "describe_instance_information", response: { InstanceInformationList: hybrid.map((id) => info(id, "Online")) }, expected: { Filters: [{ Key: `tag:${TAG}`, Values: [group] }] } }],
                [STEPS.waitOnline]: (inputs) => {
                    const ids = [...((inputs.InputPayload as { InstanceIds: string[] }).InstanceIds ?? [])].sort();
                    return [{ method: "describe_instance_information", response: { InstanceInformationList: ids.map((id) => info(id, "Online")) }, expected: { Filters: [{ Key: "InstanceIds", Values: ids }] } }];
                },
            };
        }

        /** Run Command reaches the group's instances that are running when it is sent (read from moto). */
        function commandsReaching(patchStatus: string, sent: { step: string; reached: string[] }[]) {
            return async (call: RunCommandCall) => {
                const [target] = call.inputs.Targets as { Key: string; Values: string[] }[];
                const reply = await harness.api("ec2", "describe_instances", { Filters: [{ Name: target.Key, Values: target.Values }, { Name: "instance-state-name", Values: ["pending", "running"] }] });
                sent.push({ step: call.step, reached: (reply.Reservations as { Instances: { InstanceId: string }[] }[]).flatMap((r) => r.Instances.map((i) => i.InstanceId)).sort() });
                const status = call.step === STEPS.patch ? patchStatus : "Success";
                return { outcome: status === "Success" ? "success" : "failure", outputs: { CommandId: `c-${call.step}`, Status: status } } as const;
            };
        }

        const params = (group: string, operation = "Install") => ({ PatchGroup: group, Operation: operation, AutomationAssumeRole: "", MaxConcurrency: "1", MaxErrors: "0" });

        for (const operation of ["Install", "Scan"]) {
            it(`${operation}: starts exactly the stopped members, patches them with the rest, stops exactly those; a raced instance is never stopped`, async () => {
                const fleet = await launch(FLEET);
                const sent: { step: string; reached: string[] }[] = [];
                const execution = await execute(rendered("patchWithStoppedInstances"), harness, {
                    parameters: params("AppA", operation),
                    ssm: ssmFor("AppA", [HYBRID]),
                    // Another actor starts "raced" between our DescribeInstances and StartInstances.
                    raceStart: { [STEPS.start]: [fleet.ids.raced] },
                    runCommand: commandsReaching("Success", sent),
                });
                const { ids } = fleet;
                assert.equal(execution.status, "Success", JSON.stringify(execution.failures));
                assert.deepEqual([...(execution.values[`${STEPS.start}.StartedInstanceIds`] as string[])].sort(), [ids.down1, ids.down2].sort());
                assert.deepEqual(execution.values[`${STEPS.start}.NotStartedByUs`], [`${ids.raced}: was running`]);
                assert.deepEqual(execution.values[`${STEPS.start}.MemberCount`], 5, "up, down1, down2, raced and the hybrid node; not the terminated one");
                assert.equal(sent.find((s) => s.step === STEPS.patch)?.reached.join(), [ids.up, ids.down1, ids.down2, ids.raced].sort().join());
                assert.deepEqual(await states(fleet), { up: "running", down1: "stopped", down2: "stopped", raced: "running", gone: "terminated", otherGroup: "stopped", otherKey: "stopped" });
                assert.deepEqual(execution.path, [STEPS.start, STEPS.branchOnMembers, STEPS.branchOnStarted, STEPS.waitRunning, STEPS.waitOnline, STEPS.updateAgent, STEPS.patch, STEPS.branchOnStop, STEPS.stop, STEPS.verify]);
            });
        }

        it("a failed patch command still stops exactly the started instances and ends Failed", async () => {
            const fleet = await launch(FLEET);
            const execution = await execute(rendered("patchWithStoppedInstances"), harness, { parameters: params("AppA"), ssm: ssmFor("AppA", []), runCommand: commandsReaching("Failed", []) });
            assert.deepEqual([execution.status, execution.stepStatus[STEPS.stop], execution.stepStatus[STEPS.verify]], ["Failed", "Success", "Failed"]);
            assert.match(execution.failures[STEPS.verify], /AWS-RunPatchBaseline command c-PatchInstances ended Failed/);
            assert.deepEqual(await states(fleet), { up: "running", down1: "stopped", down2: "stopped", raced: "stopped", gone: "terminated", otherGroup: "stopped", otherKey: "stopped" });
        });

        it("a cancel while patching runs onCancel, which stops exactly the started instances", async () => {
            const fleet = await launch(FLEET);
            const execution = await execute(rendered("patchWithStoppedInstances"), harness, {
                parameters: params("AppA"),
                ssm: ssmFor("AppA", []),
                raceStart: { [STEPS.start]: [fleet.ids.raced] },
                cancelDuring: [STEPS.patch],
                runCommand: commandsReaching("Success", []),
            });
            assert.deepEqual([execution.status, execution.path.slice(-2), execution.failures], ["Cancelled", [STEPS.patch, STEPS.stopOnCancel], {}]);
            assert.deepEqual(await states(fleet), { up: "running", down1: "stopped", down2: "stopped", raced: "running", gone: "terminated", otherGroup: "stopped", otherKey: "stopped" });
        });

        it("a cancel during the start step goes to onCancel, which stops nothing it cannot prove it started, and says so", async () => {
            const fleet = await launch({ up: FLEET.up, down1: FLEET.down1 });
            const execution = await execute(rendered("patchWithStoppedInstances"), harness, { parameters: params("AppA"), ssm: ssmFor("AppA", []), cancelDuring: [STEPS.start] });
            assert.deepEqual([execution.status, execution.path], ["Cancelled", [STEPS.start, STEPS.stopOnCancel]]);
            assert.match(execution.failures[STEPS.stopOnCancel], /Cancelled before StartStoppedInstances reported which instances it started; stopped nothing/);
            assert.deepEqual(await states(fleet), { up: "running", down1: "running" });
        });

        it("a location without members of the group ends Success with a clear status, no command sent", async () => {
            await launch({ otherGroup: FLEET.otherGroup, otherKey: FLEET.otherKey, gone: FLEET.gone });
            const sent: { step: string; reached: string[] }[] = [];
            const execution = await execute(rendered("patchWithStoppedInstances"), harness, { parameters: params("AppA"), ssm: ssmFor("AppA", []), runCommand: commandsReaching("Success", sent) });
            assert.deepEqual([execution.status, execution.path, sent], ["Success", [STEPS.start, STEPS.branchOnMembers, STEPS.noMembers], []]);
            assert.equal(execution.outputs[`${STEPS.start}.Status`], "No instances of patch group AppA in this location");
        });

        it("a location with only a hybrid node is not 'empty': it is patched, nothing started", async () => {
            const sent: { step: string; reached: string[] }[] = [];
            const execution = await execute(rendered("patchWithStoppedInstances"), harness, { parameters: params("AppA"), ssm: ssmFor("AppA", [HYBRID]), runCommand: commandsReaching("Success", sent) });
            assert.deepEqual([execution.status, execution.values[`${STEPS.start}.MemberCount`], sent.map((s) => s.step)], ["Success", 1, [STEPS.updateAgent, STEPS.patch]]);
            assert.ok(!execution.path.includes(STEPS.stop));
        });

        it(`more than ${MAX_STARTED_INSTANCES} stopped members: fails before starting anything`, async () => {
            const reply = await harness.api("ec2", "run_instances", {
                ImageId: "ami-12c6146b",
                MinCount: MAX_STARTED_INSTANCES + 1,
                MaxCount: MAX_STARTED_INSTANCES + 1,
                TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: TAG, Value: "Big" }] }],
            });
            const ids = (reply.Instances as { InstanceId: string }[]).map((i) => i.InstanceId);
            await harness.api("ec2", "stop_instances", { InstanceIds: ids });
            const execution = await execute(rendered("patchWithStoppedInstances"), harness, { parameters: params("Big"), ssm: ssmFor("Big", []) });
            assert.deepEqual([execution.status, execution.path], ["Failed", [STEPS.start]]);
            assert.match(execution.failures[STEPS.start], /101 stopped instances in patch group Big: more than the 100 one run can track .*nothing was started/);
            const after = await harness.api("ec2", "describe_instances", { Filters: [{ Name: "instance-state-name", Values: ["pending", "running"] }] });
            assert.deepEqual(after.Reservations, []);
        });
    });
});
