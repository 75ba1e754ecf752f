import { strict as assert } from "node:assert";
import { automationDocuments, parseDocument, renderDocument } from "../../../components/runbooks/patchAutomationDocuments";
import { NODE_STEPS, SNAPSHOT_STATUS_OUTPUT } from "../../../components/runbooks/runPatchBaseline";
import { SNAPSHOT_TAGS } from "../../../components/runbooks/installSafety";
import type { AutomationDocument } from "../../../components/runbooks/documentModel";
import { execute, EXECUTION_ID, type PythonHarness, type RunCommandCall, type Scenario } from "./runbookInterpreter";
import { useMotoHarness } from "./motoHarness";

/**
 * Issue 17 items 6-7, executed: the per-node runbook's snapshot scripts run for real (python3 +
 * boto3 against moto_server, which implements CreateSnapshots and DescribeSnapshots), over the
 * control flow of the rendered document. aws:runCommand is simulated (an AWS-side action): the
 * tests record which document it would send, with which parameters, and when.
 */

const REGION = "eu-west-2";
const TAG = "Patch Group";
const HYBRID = "mi-0123456789abcdef0";
const DAY = 86_400_000;
const doc: AutomationDocument = parseDocument(renderDocument(automationDocuments(TAG).runPatchBaseline));

describe("patching-RunPatchBaseline executed: snapshots before install and hooks (issue 17)", function () {
    this.timeout(120_000);
    const emulator = useMotoHarness(REGION);
    let harness: PythonHarness;
    before(() => (harness = emulator.harness()));
    /** moto's own AMIs come with snapshots of this account: the tests look only at the others. */
    let preexisting = new Set<string>();
    beforeEach(async () => {
        preexisting = new Set(((await harness.api("ec2", "describe_snapshots", { OwnerIds: ["self"] })).Snapshots as Snapshot[]).map((s) => s.SnapshotId));
    });

    async function instance(group: string): Promise<string> {
        const reply = await harness.api("ec2", "run_instances", { ImageId: "ami-12c6146b", MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: TAG, Value: group }] }] });
        return (reply.Instances as { InstanceId: string }[])[0].InstanceId;
    }

    type Snapshot = { SnapshotId: string; VolumeId: string; Tags?: { Key: string; Value: string }[] };
    async function snapshots(): Promise<Snapshot[]> {
        return ((await harness.api("ec2", "describe_snapshots", { OwnerIds: ["self"] })).Snapshots as Snapshot[]).filter((s) => !preexisting.has(s.SnapshotId));
    }
    const tagsOf = (s: Snapshot) => Object.fromEntries((s.Tags ?? []).map((t) => [t.Key, t.Value]));

    /** Runs the runbook on `node`; the command records how many snapshots existed when it was sent. */
    async function run(node: string, parameters: Record<string, unknown>, extra: Partial<Scenario> = {}) {
        const commands: (RunCommandCall & { snapshotsWhenSent: number })[] = [];
        const execution = await execute(doc, harness, {
            parameters: { InstanceId: node, AutomationAssumeRole: "", ...parameters },
            ssm: { [NODE_STEPS.check]: () => [{ method: "describe_instance_information", response: { InstanceInformationList: [{ InstanceId: node, PingStatus: "Online", LastPingDateTime: new Date().toISOString() }] } }] },
            runCommand: async (call) => {
                commands.push({ ...call, snapshotsWhenSent: (await snapshots()).length });
                return { outcome: "success", outputs: { CommandId: "c-1", Status: "Success" } };
            },
            ...extra,
        });
        return { execution, commands };
    }

    const SNAPSHOT_PATH = [NODE_STEPS.check, NODE_STEPS.branch, NODE_STEPS.branchOnSnapshot, NODE_STEPS.snapshot, NODE_STEPS.branchOnSnapshotTaken, NODE_STEPS.waitSnapshots, NODE_STEPS.branchOnHooks, NODE_STEPS.patch];

    it("EC2 instance, Install, SnapshotRetainDays 7: every volume snapshotted and tagged with group, node, execution and expiry, completed BEFORE the patch command", async () => {
        const node = await instance("Linux");
        const volumes = ((await harness.api("ec2", "describe_volumes", { Filters: [{ Name: "attachment.instance-id", Values: [node] }] })).Volumes as { VolumeId: string }[]).map((v) => v.VolumeId);
        assert.ok(volumes.length > 0, "moto gives the instance a root volume");
        const before = Date.now();
        const { execution, commands } = await run(node, { Operation: "Install", SnapshotRetainDays: 7 });
        assert.deepEqual([execution.status, execution.path], ["Success", SNAPSHOT_PATH], JSON.stringify(execution.failures));
        const taken = await snapshots();
        assert.deepEqual(taken.map((s) => s.VolumeId).sort(), [...volumes].sort());
        for (const snapshot of taken) {
            const tags = tagsOf(snapshot);
            assert.deepEqual([tags[SNAPSHOT_TAGS.marker], tags[SNAPSHOT_TAGS.patchGroup], tags[SNAPSHOT_TAGS.node], tags[SNAPSHOT_TAGS.executionId]], ["true", "Linux", node, EXECUTION_ID]);
            const expires = Date.parse(tags[SNAPSHOT_TAGS.expiresAt]);
            assert.ok(expires >= before + 7 * DAY - 1000 && expires <= Date.now() + 7 * DAY, tags[SNAPSHOT_TAGS.expiresAt]);
            assert.match(tags[SNAPSHOT_TAGS.expiresAt], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        }
        assert.deepEqual(commands.map((c) => [c.inputs.DocumentName, c.snapshotsWhenSent]), [["AWS-RunPatchBaseline", volumes.length]]);
        assert.match(String(execution.outputs[SNAPSHOT_STATUS_OUTPUT]), new RegExp(`^Created ${volumes.length} snapshot\\(s\\) of ${node}, expiring `));
    });

    it("hybrid node: the snapshot step records why it skipped, and the node is patched", async () => {
        const { execution, commands } = await run(HYBRID, { Operation: "Install", SnapshotRetainDays: 7 });
        assert.deepEqual([execution.status, execution.path], ["Success", [NODE_STEPS.check, NODE_STEPS.branch, NODE_STEPS.branchOnSnapshot, NODE_STEPS.snapshot, NODE_STEPS.branchOnSnapshotTaken, NODE_STEPS.branchOnHooks, NODE_STEPS.patch]]);
        assert.equal(execution.outputs[SNAPSHOT_STATUS_OUTPUT], `Skipped: ${HYBRID} is a hybrid node; it has no EBS volumes to snapshot`);
        assert.deepEqual([commands.length, (await snapshots()).length], [1, 0]);
    });

    const FAILURES: [string, Partial<Scenario>, string, RegExp][] = [
        ["CreateSnapshots fails", { ec2Faults: { [NODE_STEPS.snapshot]: { errors: { CreateSnapshots: "SnapshotCreationPerVolumeRateExceeded" } } } }, NODE_STEPS.snapshot, /SnapshotCreationPerVolumeRateExceeded/],
        ["a snapshot ends in state error", { ec2Faults: { [NODE_STEPS.waitSnapshots]: { snapshotState: "error" } } }, NODE_STEPS.waitSnapshots, /snapshot failed: snap-\w+ is error; not patching/],
    ];
    for (const [title, fault, step, message] of FAILURES) {
        it(`${title}: the execution fails at ${step} and the node is NOT patched`, async () => {
            const node = await instance("Linux");
            const { execution, commands } = await run(node, { Operation: "Install", SnapshotRetainDays: 7 }, fault);
            assert.deepEqual([execution.status, execution.path.at(-1), commands], ["Failed", step, []]);
            assert.match(execution.failures[step], message);
        });
    }

    for (const [title, parameters] of [
        ["Scan never snapshots", { Operation: "Scan", SnapshotRetainDays: 7 }],
        ["SnapshotRetainDays 0 (the default): Install as before", { Operation: "Install" }],
    ] as const) {
        it(`${title}`, async () => {
            const node = await instance("Linux");
            const { execution, commands } = await run(node, parameters);
            assert.deepEqual([execution.status, execution.path], ["Success", [NODE_STEPS.check, NODE_STEPS.branch, NODE_STEPS.branchOnSnapshot, NODE_STEPS.branchOnHooks, NODE_STEPS.patch]]);
            assert.deepEqual([commands.length, (await snapshots()).length], [1, 0]);
        });
    }

    it("prune: deletes the program's expired snapshots of the account and Region, never unexpired or unmarked ones", async () => {
        const other = await instance("Linux");
        const volume = ((await harness.api("ec2", "describe_volumes", { Filters: [{ Name: "attachment.instance-id", Values: [other] }] })).Volumes as { VolumeId: string }[])[0].VolumeId;
        const make = async (tags: Record<string, string>) =>
            (await harness.api("ec2", "create_snapshot", { VolumeId: volume, TagSpecifications: [{ ResourceType: "snapshot", Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }] })).SnapshotId as string;
        const expired = await make({ [SNAPSHOT_TAGS.marker]: "true", [SNAPSHOT_TAGS.expiresAt]: "2020-01-01T00:00:00Z" });
        const current = await make({ [SNAPSHOT_TAGS.marker]: "true", [SNAPSHOT_TAGS.expiresAt]: "2099-01-01T00:00:00Z" });
        const foreign = await make({ [SNAPSHOT_TAGS.expiresAt]: "2020-01-01T00:00:00Z" });
        const node = await instance("Linux");
        const { execution } = await run(node, { Operation: "Install", SnapshotRetainDays: 1 });
        assert.equal(execution.status, "Success");
        const left = (await snapshots()).map((s) => s.SnapshotId);
        assert.deepEqual([left.includes(expired), left.includes(current), left.includes(foreign)], [false, true, true]);
    });

    describe("hooks: AWS-RunPatchBaselineWithHooks on Install only", () => {
        it("Install with a preInstall hook: AWS-RunPatchBaselineWithHooks with the hook, AWS-Noop for the others, no InstallOverrideList", async () => {
            const node = await instance("Linux");
            const { execution, commands } = await run(node, { Operation: "Install", PreInstallHookDocName: "app-drain" });
            assert.deepEqual([execution.status, execution.path.at(-1)], ["Success", NODE_STEPS.patchWithHooks]);
            assert.deepEqual(
                commands.map((c) => [c.inputs.DocumentName, c.inputs.InstanceIds, c.inputs.Parameters]),
                [["AWS-RunPatchBaselineWithHooks", [node], { Operation: "Install", RebootOption: "RebootIfNeeded", SnapshotId: "", PreInstallHookDocName: "app-drain", PostInstallHookDocName: "AWS-Noop", OnExitHookDocName: "AWS-Noop" }]],
            );
        });

        for (const hook of ["PostInstallHookDocName", "OnExitHookDocName"]) {
            it(`Install with only ${hook}: still the hooks document`, async () => {
                const { commands } = await run(HYBRID, { Operation: "Install", [hook]: "app-check" });
                assert.equal(commands[0].inputs.DocumentName, "AWS-RunPatchBaselineWithHooks");
                assert.equal((commands[0].inputs.Parameters as Record<string, string>)[hook], "app-check");
            });
        }

        it("Scan with hooks set runs plain AWS-RunPatchBaseline (hooks are for Install)", async () => {
            const { commands } = await run(HYBRID, { Operation: "Scan", PreInstallHookDocName: "app-drain" });
            assert.deepEqual(commands.map((c) => [c.inputs.DocumentName, Object.keys(c.inputs.Parameters as object)]), [["AWS-RunPatchBaseline", ["Operation", "RebootOption", "SnapshotId", "InstallOverrideList"]]]);
        });

        it("snapshots and hooks together: snapshots completed first, then the hooks document", async () => {
            const node = await instance("Linux");
            const { execution, commands } = await run(node, { Operation: "Install", SnapshotRetainDays: 3, OnExitHookDocName: "app-check" });
            assert.deepEqual(execution.path, [...SNAPSHOT_PATH.slice(0, -1), NODE_STEPS.patchWithHooks]);
            assert.ok(commands[0].snapshotsWhenSent > 0);
        });
    });
});
