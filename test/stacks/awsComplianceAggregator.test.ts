import { strict as assert } from "node:assert";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { decodeProviderInput, type RecordedResource } from "../../tools/mock/recorder";
import { evaluatedStack } from "../fixtures/programEvaluations";
import { evaluateProgram, type Evaluation } from "../../tools/plan/evaluate";

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

    it("org (callAs DELEGATED_ADMIN): one organization aggregator in the central account and Region over the estate's four Regions, no authorizations", () => {
        const { recorder } = evaluations.org;
        const [aggregator, ...others] = recorder.find(AGGREGATOR);
        assert.equal(others.length, 0);
        assert.equal(aggregator.inputs.name, "patching-compliance");
        assert.deepEqual(placement("org", aggregator), { account: "111111111111", region: "us-east-1" });
        assert.equal(aggregator.inputs.accountAggregationSource, undefined);
        const source = aggregator.inputs.organizationAggregationSource as Record<string, unknown>;
        // The configured central account's Region and every target's Regions; not allRegions.
        assert.deepEqual(source.regions, ["eu-central-1", "eu-west-2", "us-east-1", "us-west-2"]);
        assert.equal(source.allRegions, undefined);
        assert.deepEqual(authorizations("org"), []);
    });

    it("org: its role is bounded, trusted by Config for the central account only, with the four Organizations reads inline and no managed policy", () => {
        const { recorder } = evaluations.org;
        const [role, ...others] = recorder.find("aws:iam/role:Role").filter((r) => r.inputs.name === "patching-config-aggregator");
        assert.equal(others.length, 0);
        assert.deepEqual(placement("org", role).account, "111111111111");
        assert.equal(role.inputs.permissionsBoundary, "arn:aws:iam::111111111111:policy/multicloud-patching-boundary");
        const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as { Statement: { Principal: unknown; Condition: unknown }[] };
        assert.deepEqual(trust.Statement.map((s) => [s.Principal, s.Condition]), [[{ Service: "config.amazonaws.com" }, { StringEquals: { "aws:SourceAccount": "111111111111" } }]]);
        const inline = recorder.find("aws:iam/rolePolicy:RolePolicy").filter((p) => p.name === "security-aggregator-organization-reads");
        assert.equal(inline.length, 1);
        const document = JSON.parse(String(inline[0].inputs.policy)) as { Statement: { Action: string[]; Resource: string }[] };
        assert.deepEqual(document.Statement.map((s) => [s.Action, s.Resource]), [
            [["organizations:DescribeOrganization", "organizations:ListAWSServiceAccessForOrganization", "organizations:ListAccounts", "organizations:ListDelegatedAdministrators"], "*"],
        ]);
        assert.equal(recorder.find("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => String(a.name).startsWith("security-aggregator")).length, 0);
    });

    it("org in preview: the same aggregator and role", async () => {
        const { recorder } = await evaluatedStack("org", true);
        assert.equal(recorder.find(AGGREGATOR).length, 1);
        assert.equal(recorder.find("aws:iam/role:Role").filter((r) => r.inputs.name === "patching-config-aggregator").length, 1);
    });
});

/**
 * With `callAs: SELF` the central account is the management account, where Config calls
 * EnableAWSServiceAccess as the caller of PutConfigurationAggregator — an Organizations write the
 * boundary denies: no aggregator (and no role) rather than a failing deployment.
 */
describe("the compliance aggregator in an organization-mode estate run from the management account (callAs SELF)", function () {
    this.timeout(120_000);
    let scratch: string;
    let evaluation: Evaluation;

    before(async () => {
        const root = path.resolve(__dirname, "..", "..");
        scratch = mkdtempSync(path.join(tmpdir(), "org-self-"));
        copyFileSync(path.join(root, "Pulumi.yaml"), path.join(scratch, "Pulumi.yaml"));
        const stackFile = parse(readFileSync(path.join(root, "Pulumi.org.yaml"), "utf8")) as { config: Record<string, Record<string, unknown>> };
        stackFile.config["multicloud-patching:organization"] = { ...stackFile.config["multicloud-patching:organization"], callAs: "SELF" };
        writeFileSync(path.join(scratch, "Pulumi.org.yaml"), stringify(stackFile));
        evaluation = await evaluateProgram({ directory: scratch, stack: "org", program: path.join(root, "index.ts") });
    });

    after(() => rmSync(scratch, { recursive: true, force: true }));

    it("creates no aggregator and no aggregator role", () => {
        assert.deepEqual(evaluation.recorder.find(AGGREGATOR), []);
        assert.equal(evaluation.recorder.find("aws:iam/role:Role").filter((r) => r.inputs.name === "patching-config-aggregator").length, 0);
        // The StackSets are still there: only the aggregator is left out.
        assert.ok(evaluation.recorder.find("aws:cloudformation/stackSet:StackSet").length > 0);
    });
});
