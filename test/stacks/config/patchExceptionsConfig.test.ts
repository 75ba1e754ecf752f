import { strict as assert } from "node:assert";
import { parseEstateConfig } from "../../../stacks/config/estateConfig";
import { TEST_CONTEXT, validRawConfig, configErrorOf as errorOf } from "../../fixtures/estateConfig";

type Raw = Record<string, unknown> & { patchGroups: Record<string, unknown>[] };

const EXCEPTION = { id: "KB5034439", reason: "WinRE update fails on small recovery partitions", expires: "2027-03-31" };

function withRejected(environment: string, rejectedPatches: unknown[]): Raw {
    const raw = { ...validRawConfig(), environment } as unknown as Raw;
    raw.patchGroups[1] = { ...raw.patchGroups[1], baselines: { WINDOWS: { rejectedPatches } } };
    return raw;
}

/** Issue 19 item 5: rejected patches as exceptions with a reason and an expiry. */
describe("stacks/config: rejected-patch exceptions {id, reason, expires}", () => {
    it("accepts the object form next to plain ids (dev) and hands the baseline the ids only", () => {
        const estate = parseEstateConfig(withRejected("dev", [EXCEPTION, "KB5000001"]), TEST_CONTEXT);
        assert.deepEqual(estate.patchGroups[1].baselines.WINDOWS?.rejectedPatches, ["KB5034439", "KB5000001"]);
    });

    it("prod: accepts exceptions and plain ids alike (policies/exceptions.ts refuses plain ids in prod at plan time)", () => {
        const estate = parseEstateConfig(withRejected("prod", [EXCEPTION, "KB5000001"]), TEST_CONTEXT);
        assert.deepEqual(estate.patchGroups[1].baselines.WINDOWS?.rejectedPatches, ["KB5034439", "KB5000001"]);
    });

    for (const [label, entry, expected] of [
        ["a date that does not exist", { ...EXCEPTION, expires: "2027-02-30" }, /rejectedPatches\[0\]\.expires: "2027-02-30" is not an ISO date YYYY-MM-DD/],
        ["a date-time instead of a date", { ...EXCEPTION, expires: "2027-03-31T00:00:00Z" }, /rejectedPatches\[0\]\.expires: "2027-03-31T00:00:00Z" is not an ISO date YYYY-MM-DD/],
        ["no reason", { id: "KB5034439", expires: "2027-03-31" }, /rejectedPatches\[0\]: \{"id":"KB5034439","expires":"2027-03-31"\} is not a patch name or a patch exception \{id, reason, expires\}/],
        ["an unknown key", { ...EXCEPTION, owner: "me" }, /rejectedPatches\[0\]\.owner: is not a known key; allowed keys: id, reason, expires/],
    ] as const) {
        it(`refuses an exception with ${label}, naming the key`, () => {
            const message = errorOf(withRejected("dev", [entry]));
            assert.match(message, expected);
            assert.equal(message.split("\n").length, 1, message);
        });
    }
});
