import { strict as assert } from "node:assert";
import { parseEstateConfig } from "../../stacks/config/estateConfig";
import { estateExceptions, excludedNodesOf } from "../../stacks/exceptions";
import { TEST_CONTEXT, validRawConfig } from "../fixtures/estateConfig";

/** Issue 19 item 5: the exceptions the digest reads, and the excluded nodes the schedules pass on. */
describe("stacks/exceptions: estateExceptions (for the digest) and excludedNodesOf (for the schedules)", () => {
    function estate() {
        const raw = validRawConfig() as unknown as { patchGroups: Record<string, unknown>[] };
        raw.patchGroups[0] = { ...raw.patchGroups[0], excludedNodes: [{ id: "mi-0123456789abcdef0", reason: "Azure VM being decommissioned" }] };
        raw.patchGroups[1] = {
            ...raw.patchGroups[1],
            baselines: { WINDOWS: { rejectedPatches: ["KB5000001", { id: "KB5034439", reason: "WinRE update fails", expires: "2027-03-31" }] } },
            excludedNodes: [{ id: "i-0a1b2c3d4e5f60789", reason: "ERP host", expires: "2027-03-31" }],
        };
        return parseEstateConfig(raw, TEST_CONTEXT);
    }

    it("lists every excluded node and every rejected patch written as an exception (plain ids left out), by group", () => {
        assert.deepEqual(estateExceptions(estate()), [
            { kind: "node", id: "mi-0123456789abcdef0", patchGroup: "Linux", reason: "Azure VM being decommissioned" },
            { kind: "patch", id: "KB5034439", patchGroup: "Windows", reason: "WinRE update fails", expires: "2027-03-31", os: "WINDOWS" },
            { kind: "node", id: "i-0a1b2c3d4e5f60789", patchGroup: "Windows", reason: "ERP host", expires: "2027-03-31" },
        ]);
        // The baseline still gets the ids only.
        assert.deepEqual(estate().patchGroups[1].baselines.WINDOWS?.rejectedPatches, ["KB5000001", "KB5034439"]);
    });

    it("an estate without exceptions has none; a group without excluded nodes adds nothing to its schedules", () => {
        const plain = parseEstateConfig(validRawConfig(), TEST_CONTEXT);
        assert.deepEqual(estateExceptions(plain), []);
        assert.deepEqual(excludedNodesOf(plain.patchGroups[0]), {});
    });

    it("excludedNodesOf hands the schedules id and expiry (reasons stay in config and the digest)", () => {
        assert.deepEqual(excludedNodesOf(estate().patchGroups[1]), { excludedNodes: [{ id: "i-0a1b2c3d4e5f60789", expires: "2027-03-31" }] });
        assert.deepEqual(excludedNodesOf(estate().patchGroups[0]), { excludedNodes: [{ id: "mi-0123456789abcdef0" }] });
    });
});
