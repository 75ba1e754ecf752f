import { strict as assert } from "node:assert";
import { ConfigError, parseEstateConfig } from "../../../stacks/config/estateConfig";
import { installSafetyOf } from "../../../stacks/awsAutomation";
import { TEST_CONTEXT, validRawConfig } from "../../fixtures/estateConfig";

/**
 * snapshotBeforeInstall and hooks (issue 17 items 6-7): one changed thing per case, one line per
 * mistake; valid settings reach the estate model and the schedules' install options, and a group
 * without them resolves exactly as before.
 */

type Raw = Record<string, unknown>;
type Group = Record<string, unknown>;
const linux = (raw: Raw) => (raw["patchGroups"] as Group[])[0];

function parse(change: (raw: Raw) => void) {
    const raw = validRawConfig();
    change(raw);
    return parseEstateConfig(raw, TEST_CONTEXT);
}

function problemsOf(change: (raw: Raw) => void): string[] {
    try {
        parse(change);
        return [];
    } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return error.message.split("\n");
    }
}

describe("config: snapshotBeforeInstall and hooks (issue 17 items 6-7)", () => {
    const CASES: [string, (group: Group) => void, string][] = [
        ["retainDays 0", (g) => (g.snapshotBeforeInstall = { retainDays: 0 }), "patchGroups[0].snapshotBeforeInstall.retainDays: 0 is not an integer from 1 to 365 (days the pre-patch snapshots are kept)"],
        ["retainDays missing", (g) => (g.snapshotBeforeInstall = {}), "patchGroups[0].snapshotBeforeInstall.retainDays: missing; expected an integer from 1 to 365 (days the pre-patch snapshots are kept)"],
        ["snapshots with the stopped-instances workflow", (g) => Object.assign(g, { snapshotBeforeInstall: { retainDays: 7 }, installRunbook: "PatchWithStoppedInstances" }), 'patchGroups[0].snapshotBeforeInstall: "PatchWithStoppedInstances" needs installRunbook RunPatchBaseline (the per-node runbook); this group uses PatchWithStoppedInstances'],
        ["a hook given as an ARN", (g) => (g.hooks = { preInstall: "arn:aws:ssm:us-west-2:111111111111:document/drain" }), 'patchGroups[0].hooks.preInstall: "arn:aws:ssm:us-west-2:111111111111:document/drain" is not an SSM Command document name (3-128 of letters, digits, _ - .; a name, not an ARN)'],
        ["a hook name too short", (g) => (g.hooks = { onExit: "ab" }), 'patchGroups[0].hooks.onExit: "ab" is not an SSM Command document name (3-128 of letters, digits, _ - .; a name, not an ARN)'],
        ["an unknown hook", (g) => (g.hooks = { beforeReboot: "app-drain" }), "patchGroups[0].hooks"],
        ["hooks with the stopped-instances workflow", (g) => Object.assign(g, { hooks: { postInstall: "app-check" }, installRunbook: "PatchWithStoppedInstances" }), 'patchGroups[0].hooks: "PatchWithStoppedInstances" needs installRunbook RunPatchBaseline (the per-node runbook); this group uses PatchWithStoppedInstances'],
    ];
    for (const [title, change, message] of CASES) {
        it(`rejects ${title} with one line`, () => {
            const problems = problemsOf((raw) => change(linux(raw)));
            assert.equal(problems.length, 1, problems.join("\n"));
            assert.ok(problems[0].startsWith(message), `${problems[0]}\n  does not start with\n${message}`);
        });
    }

    it("valid settings reach the estate and the schedules' install options", () => {
        const estate = parse((raw) => Object.assign(linux(raw), { snapshotBeforeInstall: { retainDays: 7 }, hooks: { preInstall: "app-drain", onExit: "app-check" } }));
        const group = estate.patchGroups[0];
        assert.deepEqual([group.snapshotBeforeInstall, group.hooks], [{ retainDays: 7 }, { preInstall: "app-drain", onExit: "app-check" }]);
        assert.deepEqual(installSafetyOf(group), { installSafety: { snapshotRetainDays: 7, hooks: { preInstall: "app-drain", onExit: "app-check" } } });
        // Neither setting is a gate setting: the group is not routed through the rollout gate for them.
        assert.equal(group.rollout, undefined);
    });

    it("a group without them resolves exactly as before (no keys, no install options)", () => {
        const group = parse(() => undefined).patchGroups[0];
        assert.deepEqual(["snapshotBeforeInstall" in group, "hooks" in group, installSafetyOf(group)], [false, false, {}]);
    });
});
