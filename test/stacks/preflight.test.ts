import { strict as assert } from "node:assert";
import { ConfigError, parseEstateConfig } from "../../stacks/config/estateConfig";
import { assertPreflight, preflightProblems } from "../../stacks/preflight";
import { TEST_CONTEXT, validRawConfig } from "../fixtures/estateConfig";

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** n member accounts in one Region, the first one central. */
function estateWithAccounts(count: number, bucketAccess?: "organization") {
    const raw: Raw = validRawConfig();
    raw.accounts = Array.from({ length: count }, (_, i) => ({ alias: `a${i}`, id: String(100000000000 + i), regions: ["us-west-2"] }));
    raw.centralAccount = "a0";
    raw.azureSubscriptions = [];
    if (bucketAccess !== undefined) {
        raw.organizationId = "o-abcdefghij";
        raw.inventory = { bucketAccess };
    }
    return parseEstateConfig(raw, TEST_CONTEXT);
}

describe("stacks/preflight: checks that need a component's builder, before any resource", () => {
    it("accepts the valid estate", () => {
        assert.deepEqual(preflightProblems(parseEstateConfig(validRawConfig(), TEST_CONTEXT)), []);
    });

    it("rejects a per-account central bucket policy over S3's 20 KB, as one config line", () => {
        const estate = estateWithAccounts(60);
        assert.throws(
            () => assertPreflight(estate),
            (error: unknown) =>
                error instanceof ConfigError &&
                error.message === 'inventory.bucketAccess: "accounts" would give the central bucket a 27568-byte policy for 60 member accounts, over S3\'s 20480-byte limit; use "organization" (with organizationId)',
        );
    });

    it("finds the boundary: the largest account list that still fits passes", () => {
        let fits = 1;
        while (preflightProblems(estateWithAccounts(fits + 1)).length === 0) {
            fits += 1;
        }
        assert.ok(fits > 40 && fits < 60, `boundary at ${fits} accounts`);
        assert.equal(preflightProblems(estateWithAccounts(fits + 1)).length, 1);
    });

    it("lets organization mode through only with the organization-wide central bucket policy", () => {
        const raw: Raw = validRawConfig();
        raw.organization = { id: "o-abcdefghij", targets: [{ organizationalUnits: ["ou-ab12-cdefgh34"], regions: ["us-west-2"] }] };
        assert.deepEqual(
            preflightProblems(parseEstateConfig(raw, TEST_CONTEXT)).map((p) => `${p.path} ${String(p.value)}`),
            ["inventory.bucketAccess accounts"],
        );
        raw.inventory = { bucketAccess: "organization" };
        assert.deepEqual(preflightProblems(parseEstateConfig(raw, TEST_CONTEXT)), []);
    });

    it("lets the organization variant through at any size", () => {
        assert.deepEqual(preflightProblems(estateWithAccounts(60, "organization")), []);
    });
});
