import { strict as assert } from "node:assert";
import { documentProblems } from "../../../components/runbooks/documentModel";
import { HOOK_PARAMETERS, installSafetyParameters, installSafetyRow, installSafetyRows, NO_HOOK, withInstallSafety } from "../../../components/runbooks/installSafety";
import { INSTALL_SAFETY_PARAMETERS, NODE_STEPS, runPatchBaselineDocument } from "../../../components/runbooks/runPatchBaseline";
import { SNAPSHOT_POLL_SECONDS, SNAPSHOT_WAIT_ATTEMPTS } from "../../../components/runbooks/snapshotScripts";
import { scheduleInput, type ScheduledPatchGroup } from "../../../components/schedules/patchSchedules";
import { scheduleArgs, scheduledGroup } from "../../fixtures/patchSchedules";

/**
 * Issue 17 items 6-7 without AWS: what the schedules send for a group with snapshots/hooks (and
 * that a group without them sends exactly what it sent before), the runbook's new parameters and
 * steps as AWS constrains them, and the plan row.
 */

const GROUP = scheduledGroup({
    name: "Linux",
    rateControl: { maxConcurrency: "10%", maxErrors: "5%", targetLocationMaxConcurrency: "2", targetLocationMaxErrors: "1" },
    locations: [{ accountId: "222222222222", regions: ["us-west-2"] }],
});
const ARGS = scheduleArgs(GROUP);
const SAFE = { snapshotRetainDays: 7, hooks: { preInstall: "app-drain", onExit: "app-check" } };
const parametersOf = (group: ScheduledPatchGroup, operation: "scan" | "install") => scheduleInput(ARGS, group, operation, "arn:aws:iam::111111111111:role/admin").Parameters as Record<string, string[]>;

describe("components/runbooks: install options (snapshots before install, hooks)", () => {
    it("install of a group with them: SnapshotRetainDays and the given hooks, as lists of strings (StartAutomationExecution's Parameters)", () => {
        assert.deepEqual(parametersOf({ ...GROUP, installSafety: SAFE }, "install"), {
            ...parametersOf(GROUP, "install"),
            SnapshotRetainDays: ["7"],
            PreInstallHookDocName: ["app-drain"],
            OnExitHookDocName: ["app-check"],
        });
    });

    it("never on scan, never for the stopped-instances workflow, nothing at all for a group without them", () => {
        assert.deepEqual(parametersOf({ ...GROUP, installSafety: SAFE }, "scan"), parametersOf(GROUP, "scan"));
        const stopped = { ...GROUP, installRunbook: "PatchWithStoppedInstances" as const };
        assert.deepEqual(parametersOf({ ...stopped, installSafety: SAFE }, "install"), parametersOf(stopped, "install"));
        assert.deepEqual(Object.keys(parametersOf(GROUP, "install")), ["AutomationAssumeRole", "Operation", "RebootOption"]);
        assert.deepEqual([installSafetyParameters(undefined), installSafetyParameters({}), installSafetyParameters({ hooks: {} })], [{}, {}, {}]);
        const request = { DocumentName: "d", Parameters: { Operation: ["Install"] } };
        assert.deepEqual(withInstallSafety(request, undefined), request);
    });

    it("a gated group's gate carries the install options inside the patch run it starts", () => {
        const args = { ...ARGS, rollout: { gateDocumentName: "patching-gate", cutoffDocumentName: "patching-cutoff", roleArn: "arn:aws:iam::111111111111:role/rollout" } };
        const gated = { ...GROUP, installSafety: SAFE, gate: { blackouts: [] } } as unknown as ScheduledPatchGroup;
        const input = scheduleInput(args, gated, "install", "arn:aws:iam::111111111111:role/admin", "arn:aws:iam::111111111111:role/rollout");
        const patchRun = JSON.parse((input.Parameters as Record<string, string[]>).PatchRunRequest.join("")) as { Parameters: Record<string, string[]> };
        assert.deepEqual(patchRun.Parameters.SnapshotRetainDays, ["7"]);
        assert.deepEqual(patchRun.Parameters.PreInstallHookDocName, ["app-drain"]);
    });

    it("the runbook: hook parameters default to AWS-Noop and take document names only; SnapshotRetainDays defaults to 0 (off)", () => {
        const { parameters } = runPatchBaselineDocument();
        assert.deepEqual(INSTALL_SAFETY_PARAMETERS.SnapshotRetainDays.default, 0);
        for (const name of Object.values(HOOK_PARAMETERS)) {
            const pattern = new RegExp(parameters[name].allowedPattern as string);
            assert.equal(parameters[name].default, NO_HOOK);
            assert.deepEqual(["app-drain", "AWS-Noop", "my_doc.v2"].map((v) => pattern.test(v)), [true, true, true], name);
            assert.deepEqual(["ab", "arn:aws:ssm:us-west-2:111111111111:document/x", "a b c", "x".repeat(129)].map((v) => pattern.test(v)), [false, false, false, false], name);
        }
        assert.deepEqual(documentProblems(runPatchBaselineDocument()), []);
    });

    it("the runbook: taking snapshots is never retried, waiting is, each attempt under aws:executeScript's 600 seconds", () => {
        const steps = Object.fromEntries(runPatchBaselineDocument().mainSteps.map((s) => [s.name, s]));
        assert.deepEqual([steps[NODE_STEPS.snapshot].maxAttempts, steps[NODE_STEPS.snapshot].onFailure], [1, "Abort"]);
        const wait = steps[NODE_STEPS.waitSnapshots];
        assert.ok((wait.timeoutSeconds as number) <= 600 && SNAPSHOT_POLL_SECONDS < (wait.timeoutSeconds as number));
        assert.deepEqual([wait.maxAttempts, wait.onFailure], [SNAPSHOT_WAIT_ATTEMPTS, "Abort"]);
        const hooks = steps[NODE_STEPS.patchWithHooks].inputs;
        assert.equal(hooks.DocumentName, "AWS-RunPatchBaselineWithHooks");
        // AWS-RunPatchBaselineWithHooks has no InstallOverrideList parameter (SSM user guide).
        assert.deepEqual(Object.keys(hooks.Parameters as object), ["Operation", "RebootOption", "SnapshotId", "PreInstallHookDocName", "PostInstallHookDocName", "OnExitHookDocName"]);
    });

    it("plan row: retention and hooks, '-' when unused", () => {
        assert.deepEqual(installSafetyRow(SAFE), { snapshots: "keep 7d", hooks: "preInstall=app-drain, onExit=app-check" });
        assert.deepEqual(installSafetyRow(undefined), { snapshots: "-", hooks: "-" });
        assert.deepEqual(installSafetyRows([{ name: "Linux", installSafety: { snapshotRetainDays: 3 } }, { name: "AppA" }]), [
            { group: "Linux", snapshots: "keep 3d", hooks: "-" },
            { group: "AppA", snapshots: "-", hooks: "-" },
        ]);
    });
});
