import { strict as assert } from "node:assert";
import { decodeProviderInput, type RecordedResource } from "../../tools/mock/recorder";
import { evaluatedStack } from "../fixtures/programEvaluations";
import type { Evaluation } from "../../tools/plan/evaluate";

const AGGREGATOR = "aws:cfg/configurationAggregator:ConfigurationAggregator";
const AUTHORIZATION = "aws:cfg/aggregateAuthorization:AggregateAuthorization";

/** Issue 19 item 1 wired into the three example estates. */
describe("the compliance aggregator wired into the estates", () => {
    const evaluations: Record<string, Evaluation> = {};

    before(async () => {
        for (const stack of ["dev", "prod", "org"]) {
            evaluations[stack] = await evaluatedStack(stack);
        }
    });

    /** Where a resource really lands: its provider's account pin and Region, and its own region input if any. */
    const placement = (stack: string, resource: RecordedResource) => {
        const provider = evaluations[stack].recorder.providerOf(resource);
        assert.ok(provider, `${resource.name} has an explicit provider`);
        const accounts = decodeProviderInput(provider.inputs.allowedAccountIds) as string[];
        return { account: accounts.join(","), region: String(resource.inputs.region ?? provider.inputs.region) };
    };

    const authorizations = (stack: string) =>
        evaluations[stack].recorder
            .find(AUTHORIZATION)
            .map((a) => ({ ...placement(stack, a), authorized: `${String(a.inputs.accountId)} ${String(a.inputs.authorizedAwsRegion)}` }))
            .sort((a, b) => `${a.account} ${a.region}`.localeCompare(`${b.account} ${b.region}`));

    it("prod: one aggregator in the central account and Region over the members and their Regions", () => {
        const [aggregator, ...others] = evaluations.prod.recorder.find(AGGREGATOR);
        assert.equal(others.length, 0);
        assert.equal(aggregator.inputs.name, "patching-compliance");
        assert.deepEqual(placement("prod", aggregator), { account: "111111111111", region: "us-east-1" });
        assert.deepEqual(aggregator.inputs.accountAggregationSource, { accountIds: ["111111111111", "222222222222", "333333333333"], regions: ["eu-west-2", "us-west-2"] });
    });

    it("prod: every member (account, Region) authorizes the central aggregator, from inside that account and Region", () => {
        const expected = ["111111111111", "222222222222", "333333333333"].flatMap((account) =>
            ["eu-west-2", "us-west-2"].map((region) => ({ account, region, authorized: "111111111111 us-east-1" })),
        );
        assert.deepEqual(authorizations("prod"), expected);
    });

    it("dev: the aggregator's own (account, Region) needs no authorization; the other member's two Regions do", () => {
        const [aggregator] = evaluations.dev.recorder.find(AGGREGATOR);
        assert.deepEqual(placement("dev", aggregator), { account: "444444444444", region: "us-west-2" });
        assert.deepEqual(authorizations("dev"), [
            { account: "555555555555", region: "eu-west-2", authorized: "444444444444 us-west-2" },
            { account: "555555555555", region: "us-west-2", authorized: "444444444444 us-west-2" },
        ]);
    });

    it("prod in preview (unknown ids and ARNs): the same aggregator and six authorizations", async () => {
        const { recorder } = await evaluatedStack("prod", true);
        assert.equal(recorder.find(AGGREGATOR).length, 1);
        assert.equal(recorder.find(AUTHORIZATION).length, 6);
    });

    it("org: no aggregator yet (its role needs Organizations reads the org-mode boundary has no room for), and no authorizations", () => {
        const { recorder } = evaluations.org;
        assert.deepEqual(recorder.find(AGGREGATOR), []);
        assert.equal(recorder.find("aws:iam/role:Role").filter((r) => r.inputs.name === "patching-config-aggregator").length, 0);
        assert.deepEqual(authorizations("org"), []);
    });
});
