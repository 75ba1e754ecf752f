import { strict as assert } from "node:assert";
import { parseEstateConfig } from "../../stacks/config/estateConfig";
import { syntheticEstateConfig } from "../../tools/bench/syntheticEstate";

describe("tools/bench: synthetic estates", () => {
    for (const pairs of [3, 30, 300]) {
        it(`${pairs} pairs: a valid configuration with that many member (account, Region) locations`, () => {
            const estate = parseEstateConfig(syntheticEstateConfig(pairs), { project: "multicloud-patching", stack: "bench" });
            const locations = estate.members.reduce((sum, member) => sum + member.regions.length, 0);
            assert.ok(locations >= pairs && locations <= pairs + 1, `${locations} locations`);
            for (const group of estate.patchGroups) {
                const reach = group.accounts.reduce((sum, alias) => sum + (estate.members.find((m) => m.alias === alias)?.regions.length ?? 0), 0);
                assert.ok(reach <= 100, `${group.name} reaches ${reach} locations`);
            }
        });
    }
});
