import { strict as assert } from "node:assert";
import { CALL_AS, isOrganizationTargetId, isRootId, MAX_EXCLUDED_ACCOUNTS, STACK_SET_OPERATION_DEFAULTS, STACK_SET_REGION_CONCURRENCY } from "../../catalog/organizations";

/**
 * Organizations ids as the Organizations API reference defines them (API_OrganizationalUnit `Id`:
 * `^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`; API_Parent/API_Root: root `r-` + 4-32 lowercase letters or
 * digits). Each length bound is tested on both sides, and the anchors by a valid id with a prefix or
 * a suffix, so a pattern that drifts from the API's is caught here rather than by CreateStackSet.
 */
const root = (n: number) => `r-${"a1".repeat(32).slice(0, n)}`;
const ou = (rootPart: number, ouPart: number) => `ou-${"b2".repeat(32).slice(0, rootPart)}-${"c3".repeat(32).slice(0, ouPart)}`;

describe("catalog/organizations: ids per the Organizations API reference", () => {
    const cases: [string, string, boolean, boolean][] = [
        // [what, id, is a target id (OU or root), is the root]
        ["root, 4 characters", root(4), true, true],
        ["root, 32 characters", root(32), true, true],
        ["root, 3 characters", root(3), false, false],
        ["root, 33 characters", root(33), false, false],
        ["root in upper case", "r-ABCD", false, false],
        ["root with a prefix", `x${root(4)}`, false, false],
        ["root with a suffix", `${root(4)}-`, false, false],
        ["OU, 4 + 8 characters", ou(4, 8), true, false],
        ["OU, 32 + 32 characters", ou(32, 32), true, false],
        ["OU, root part of 3", ou(3, 8), false, false],
        ["OU, root part of 33", ou(33, 8), false, false],
        ["OU, own part of 7", ou(4, 7), false, false],
        ["OU, own part of 33", ou(4, 33), false, false],
        ["OU in upper case", "ou-ABCD-EFGHIJKL", false, false],
        ["OU with a prefix", `x${ou(4, 8)}`, false, false],
        ["OU with a suffix", `${ou(4, 8)}x-`, false, false],
        ["an account id", "123456789012", false, false],
        ["an organization id", "o-abcdefghij", false, false],
    ];
    for (const [what, id, target, isRoot] of cases) {
        it(`${what} (${id}): ${target ? "a target" : "not a target"}${isRoot ? ", the root" : ""}`, () => {
            assert.equal(isOrganizationTargetId(id), target);
            assert.equal(isRootId(id), isRoot);
        });
    }
});

describe("catalog/organizations: API limits and enumerations", () => {
    it("ExcludeAccounts takes 1-5000 ids (SSM TargetLocation)", () => {
        assert.equal(MAX_EXCLUDED_ACCOUNTS, 5000);
    });

    it("offers exactly the RegionConcurrencyType and CallAs values CloudFormation defines", () => {
        assert.deepEqual([...STACK_SET_REGION_CONCURRENCY].sort(), ["PARALLEL", "SEQUENTIAL"]);
        assert.deepEqual([...CALL_AS].sort(), ["DELEGATED_ADMIN", "SELF"]);
    });

    it("defaults the operation preferences to safe values inside the API's ranges", () => {
        const { maxConcurrentPercentage, failureTolerancePercentage, regionConcurrencyType } = STACK_SET_OPERATION_DEFAULTS;
        // StackSetOperationPreferences: MaxConcurrentPercentage 1-100, FailureTolerancePercentage 0-100.
        assert.ok(maxConcurrentPercentage >= 1 && maxConcurrentPercentage <= 100);
        assert.ok(failureTolerancePercentage >= 0 && failureTolerancePercentage <= 100);
        // Safe: never every account of a Region at once, and one Region after another, so a failed
        // Region stops the later ones (FailureTolerance: "doesn't attempt the operation in any subsequent Regions").
        assert.ok(maxConcurrentPercentage < 100);
        assert.equal(regionConcurrencyType, "SEQUENTIAL");
    });
});
