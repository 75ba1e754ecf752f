import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import {
    AGGREGATOR_NAMES,
    authorizationLocations,
    ORGANIZATION_AGGREGATOR_ACTIONS,
    ORGANIZATION_AGGREGATOR_POLICY_ARN,
    organizationAggregatorPolicy,
    organizationAggregatorTrust,
} from "../../../components/compliance/aggregatorDocuments";
import { programBoundary } from "../../../components/identity/boundaryDocuments";
import { validateComplianceAggregatorArgs, type ComplianceAggregatorArgs } from "../../../components/compliance/complianceAggregator";
import type { PolicyDocument } from "../../../components/identity/iamDocuments";
import { promiseOf } from "../../../tools/mock/promiseOf";
import type { ResourceRecorder } from "../../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../../tools/mock/runtime";
import { decideAll } from "../../support/iamSimulation";

const CENTRAL = "111111111111";
const OTHER = "999999999999";
const ROLE = `arn:aws:iam::${CENTRAL}:role/${AGGREGATOR_NAMES.organizationRole}`;

/** The AWS managed policy's document as AWS publishes it (moto's copy of the managed policies). */
function managedPolicyDocument(name: string): PolicyDocument {
    const script = `import json; from moto.iam.aws_managed_policies import aws_managed_policies_data as d; print(json.dumps(json.loads(d)[${JSON.stringify(name)}]["Document"]))`;
    return JSON.parse(execFileSync("python3", ["-c", script], { encoding: "utf8" })) as PolicyDocument;
}

describe("components/compliance: the Config aggregator's builders (issue 19 item 1)", () => {
    it("authorizes every source (account, Region) but the aggregator's own, once each, sorted", () => {
        const sources = [
            { accountId: CENTRAL, region: "us-east-1" },
            { accountId: CENTRAL, region: "us-west-2" },
            { accountId: "222222222222", region: "eu-west-2" },
            { accountId: "222222222222", region: "us-west-2" },
            { accountId: "222222222222", region: "eu-west-2" },
        ];
        assert.deepEqual(authorizationLocations({ accountId: CENTRAL, region: "us-east-1" }, sources), [
            { accountId: CENTRAL, region: "us-west-2" },
            { accountId: "222222222222", region: "eu-west-2" },
            { accountId: "222222222222", region: "us-west-2" },
        ]);
    });

    it("the organization aggregator's role: Config acting for the central account may assume it; for another account, or another service, not (simulated)", async () => {
        const assume = (label: string, principal: string, context: Record<string, string>) => ({ label, principal, action: "sts:AssumeRole", resource: ROLE, resourceAccount: CENTRAL, context });
        const decisions = await decideAll({ resourcePolicy: organizationAggregatorTrust(CENTRAL) }, [
            assume("Config for the central account", "config.amazonaws.com", { "aws:SourceAccount": CENTRAL }),
            assume("Config for another account", "config.amazonaws.com", { "aws:SourceAccount": OTHER }),
            assume("Config without a source account", "config.amazonaws.com", {}),
            assume("Systems Manager for the central account", "ssm.amazonaws.com", { "aws:SourceAccount": CENTRAL }),
        ]);
        assert.deepEqual(decisions, {
            "Config for the central account": "Allowed",
            "Config for another account": "ImplicitlyDenied",
            "Config without a source account": "ImplicitlyDenied",
            "Systems Manager for the central account": "ImplicitlyDenied",
        });
    });

    it("the inline policy grants exactly the actions of AWS's AWSConfigRoleForOrganizations, on *", () => {
        assert.equal(ORGANIZATION_AGGREGATOR_POLICY_ARN, "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations");
        const managed = managedPolicyDocument("AWSConfigRoleForOrganizations").Statement;
        const actions = (statements: PolicyDocument["Statement"]) => statements.flatMap((statement) => [statement.Action].flat() as string[]).sort();
        assert.deepEqual(actions(organizationAggregatorPolicy().Statement), actions(managed));
        assert.deepEqual([...ORGANIZATION_AGGREGATOR_ACTIONS], actions(managed));
        assert.deepEqual(
            organizationAggregatorPolicy().Statement.map((statement) => statement.Resource),
            managed.map((statement) => statement.Resource),
        );
    });

    it("under the central account's organization-mode boundary: the role does its four reads and no write; another role with the same policy cannot DescribeOrganization (simulated)", async () => {
        const boundary = programBoundary({
            accountId: CENTRAL,
            project: "multicloud-patching",
            automationRoleNames: ["AWS-SystemsManager-AutomationAdministrationRole", "AWS-SystemsManager-AutomationExecutionRole"],
            deploymentRoles: [{ roleName: "multicloud-patching-deployer" }],
            stackSetAdministration: true,
        });
        // aws:PrincipalArn: AWS sets it on every request of an IAM principal (the simulator does not).
        const call = (label: string, principal: string, action: string) => ({ label, principal, action, resource: "*", resourceAccount: CENTRAL, context: { "aws:PrincipalArn": principal } });
        const other = `arn:aws:iam::${CENTRAL}:role/patching-config-recorder-us-east-1`;
        const decisions = await decideAll({ identity: [organizationAggregatorPolicy(), { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "organizations:*", Resource: "*" }] }], boundary }, [
            ...ORGANIZATION_AGGREGATOR_ACTIONS.map((action) => call(action, ROLE, action)),
            call("aggregator: RegisterDelegatedAdministrator", ROLE, "organizations:RegisterDelegatedAdministrator"),
            call("aggregator: DeleteOrganization", ROLE, "organizations:DeleteOrganization"),
            call("aggregator: DescribeAccount", ROLE, "organizations:DescribeAccount"),
            call("another role: DescribeOrganization", other, "organizations:DescribeOrganization"),
            call("another role: ListAccounts", other, "organizations:ListAccounts"),
        ]);
        assert.deepEqual(decisions, {
            ...Object.fromEntries(ORGANIZATION_AGGREGATOR_ACTIONS.map((action) => [action, "Allowed"])),
            "aggregator: RegisterDelegatedAdministrator": "ExplicitlyDenied",
            // Outside the boundary's allow-list (List* and DescribeOrganization): denied, implicitly.
            "aggregator: DeleteOrganization": "ImplicitlyDenied",
            "aggregator: DescribeAccount": "ImplicitlyDenied",
            "another role: DescribeOrganization": "ExplicitlyDenied",
            "another role: ListAccounts": "Allowed",
        });
    });

    const base: ComplianceAggregatorArgs = { region: "us-east-1", accountId: CENTRAL, source: { kind: "accounts", accountIds: [CENTRAL], regions: ["us-east-1"] } };
    for (const [label, args, message] of [
        ["no accounts", { ...base, source: { kind: "accounts", accountIds: [], regions: ["us-east-1"] } }, /source\.accountIds is empty/],
        ["a bad account id", { ...base, source: { kind: "accounts", accountIds: ["12345"], regions: ["us-east-1"] } }, /source\.accountIds contains "12345"; account ids are 12 digits/],
        ["no Regions", { ...base, source: { kind: "organization", regions: [] } }, /source\.regions is empty/],
    ] as const) {
        it(`refuses ${label}, naming the argument`, () => {
            assert.throws(() => validateComplianceAggregatorArgs(args as ComplianceAggregatorArgs), message);
        });
    }
});

describe("components/compliance: ComplianceAggregator and AggregatorAuthorization under the mock runtime", function () {
    this.timeout(60_000);
    let recorder: ResourceRecorder;

    before(async () => {
        recorder = await startMockRuntime({ project: "multicloud-patching", stack: "test", config: {}, preview: false });
        const { ComplianceAggregator, AggregatorAuthorization } = await import("../../../components/compliance/complianceAggregator");
        const accounts = new ComplianceAggregator("acct", { region: "us-east-1", accountId: CENTRAL, source: { kind: "accounts", accountIds: ["222222222222", CENTRAL], regions: ["us-west-2", "eu-west-2"] } });
        const org = new ComplianceAggregator("org", { region: "us-east-1", accountId: CENTRAL, source: { kind: "organization", regions: "all" } });
        new AggregatorAuthorization("member-eu-west-2-aggregator", { aggregatorAccountId: CENTRAL, aggregatorRegion: "us-east-1" });
        await promiseOf(accounts.aggregatorArn);
        await promiseOf(org.aggregatorArn);
        await settle();
    });

    it("configured accounts: AccountAggregationSource over the given accounts and Regions, named patching-compliance, in the central Region", () => {
        const aggregator = recorder.get("aws:cfg/configurationAggregator:ConfigurationAggregator", "acct-configuration");
        assert.equal(aggregator.inputs.name, "patching-compliance");
        assert.equal(aggregator.inputs.region, "us-east-1");
        assert.deepEqual(aggregator.inputs.accountAggregationSource, { accountIds: [CENTRAL, "222222222222"], regions: ["eu-west-2", "us-west-2"] });
        assert.equal(aggregator.inputs.organizationAggregationSource, undefined);
        assert.equal(recorder.find("aws:iam/role:Role").filter((r) => r.name.startsWith("acct-")).length, 0, "no role without an organization source");
    });

    it("organization: OrganizationAggregationSource with allRegions and a bounded role with the Organizations reads inline, created after the policy", () => {
        const aggregator = recorder.get("aws:cfg/configurationAggregator:ConfigurationAggregator", "org-configuration");
        const source = aggregator.inputs.organizationAggregationSource as Record<string, unknown>;
        assert.equal(source.allRegions, true);
        assert.equal(source.regions, undefined);
        assert.equal(aggregator.inputs.accountAggregationSource, undefined);
        const role = recorder.get("aws:iam/role:Role", "org-role");
        assert.equal(role.inputs.name, "patching-config-aggregator");
        assert.equal(role.inputs.permissionsBoundary, `arn:aws:iam::${CENTRAL}:policy/multicloud-patching-boundary`);
        assert.deepEqual(JSON.parse(String(role.inputs.assumeRolePolicy)), organizationAggregatorTrust(CENTRAL));
        const reads = recorder.get("aws:iam/rolePolicy:RolePolicy", "org-organization-reads");
        assert.deepEqual(JSON.parse(String(reads.inputs.policy)), organizationAggregatorPolicy());
        assert.deepEqual(recorder.find("aws:iam/rolePolicyAttachment:RolePolicyAttachment"), [], "no AWS managed policy");
        assert.ok(aggregator.options.dependsOn.includes(reads.urn));
    });

    it("an authorization names the aggregator account and its Region (authorizedAwsRegion, not the deprecated region)", () => {
        const authorization = recorder.get("aws:cfg/aggregateAuthorization:AggregateAuthorization", "member-eu-west-2-aggregator-authorization");
        assert.deepEqual(authorization.inputs, { accountId: CENTRAL, authorizedAwsRegion: "us-east-1" });
    });
});
