import { strict as assert } from "node:assert";
import { digestExceptions } from "../../stacks/awsReporting";
import { parseEstateConfig } from "../../stacks/config/estateConfig";
import { TEST_CONTEXT, validRawConfig } from "../fixtures/estateConfig";

type Raw = Record<string, unknown> & { patchGroups: Record<string, unknown>[] };

/** Issue 19 items 2 and 5: the exceptions the daily digest announces before they expire, from the stack config. */
describe("stacks/awsReporting digestExceptions: dated rejected patches and excluded nodes, for the digest", () => {
    it("maps both kinds with group, OS, reason and expiry; leaves out what never expires", () => {
        const raw = validRawConfig() as unknown as Raw;
        raw.patchGroups[0] = {
            ...raw.patchGroups[0],
            excludedNodes: [
                { id: "i-0abc1234def567890", reason: "vendor appliance", expires: "2027-03-31" },
                { id: "mi-0123456789abcdef0", reason: "being decommissioned" },
            ],
        };
        raw.patchGroups[1] = { ...raw.patchGroups[1], baselines: { WINDOWS: { rejectedPatches: [{ id: "KB5034441", reason: "breaks recovery", expires: "2027-01-15" }, "KB5000001"] } } };
        const estate = parseEstateConfig(raw, TEST_CONTEXT);
        assert.deepEqual(digestExceptions(estate), [
            { kind: "excluded-node", group: "Linux", id: "i-0abc1234def567890", reason: "vendor appliance", expires: "2027-03-31" },
            { kind: "rejected-patch", group: "Windows", id: "KB5034441", os: "WINDOWS", reason: "breaks recovery", expires: "2027-01-15" },
        ]);
        assert.deepEqual(digestExceptions(parseEstateConfig(validRawConfig(), TEST_CONTEXT)), []);
    });
});
