import { strict as assert } from "node:assert";
import { executionRolePolicy } from "../../../components/identity/automationDocuments";
import { programBoundary } from "../../../components/identity/boundaryDocuments";
import type { PolicyDocument } from "../../../components/identity/iamDocuments";
import { MANAGED_POLICY_MAX_CHARACTERS, policyCharacters } from "../../../components/identity/policySize";
import { SNAPSHOT_TAGS } from "../../../components/runbooks/installSafety";
import { decide, type Decision } from "../../support/iamSimulation";

/**
 * Issue 17 items 6-7, both ways through the IAM simulator: the execution role (with the program
 * boundary it carries) can snapshot a patch-group instance, tag the new snapshots, follow them,
 * prune the program's own and send AWS-RunPatchBaselineWithHooks — and cannot snapshot other
 * instances, create unmarked snapshots, tag or delete snapshots the program did not create, share
 * or copy snapshots, or write a patch-group tag.
 */

const ACCOUNT = "333333333333";
const REGION = "us-west-2";
const ROLE = "AWS-SystemsManager-AutomationExecutionRole";
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;
const POLICY = executionRolePolicy({ accountId: ACCOUNT, roleName: ROLE, patchGroupTagKey: "Patch Group", runbookNames: ["patching-RunPatchBaseline"] });
const BOUNDARY = programBoundary({
    accountId: ACCOUNT,
    project: "multicloud-patching",
    automationRoleNames: ["AWS-SystemsManager-AutomationAdministrationRole", ROLE],
    deploymentRoles: [{ roleName: "multicloud-patching-deployer" }],
}) as unknown as PolicyDocument;

const INSTANCE = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`;
const VOLUME = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-0123456789abcdef0`;
// Snapshot ARNs carry no account (Service Authorization Reference, EC2 resource types).
const SNAPSHOT = `arn:aws:ec2:${REGION}::snapshot/snap-0123456789abcdef0`;
const document = (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:document/${name}`;
const IN_GROUP = { "aws:ResourceTag/Patch Group": "Linux" };
const OUR_TAG_KEYS = Object.values(SNAPSHOT_TAGS);
const MARKED_REQUEST = { [`aws:RequestTag/${SNAPSHOT_TAGS.marker}`]: "true", "aws:TagKeys": OUR_TAG_KEYS };
const MARKED = { [`aws:ResourceTag/${SNAPSHOT_TAGS.marker}`]: "true" };

type Row = [claim: string, action: string, resource: string, context: Record<string, string | string[]>, expected: Decision];

const ROWS: Row[] = [
    // What the runbook does.
    ["CreateSnapshots: a patch-group instance", "ec2:CreateSnapshots", INSTANCE, IN_GROUP, "Allowed"],
    ["CreateSnapshots: its volumes", "ec2:CreateSnapshots", VOLUME, {}, "Allowed"],
    ["CreateSnapshots: new snapshots carrying the marker", "ec2:CreateSnapshots", SNAPSHOT, MARKED_REQUEST, "Allowed"],
    ["CreateTags on the new snapshots inside CreateSnapshots", "ec2:CreateTags", SNAPSHOT, { ...MARKED_REQUEST, "ec2:CreateAction": "CreateSnapshots" }, "Allowed"],
    ["DescribeSnapshots (no resource type)", "ec2:DescribeSnapshots", "*", {}, "Allowed"],
    ["DeleteSnapshot: a program snapshot (prune)", "ec2:DeleteSnapshot", SNAPSHOT, MARKED, "Allowed"],
    ["SendCommand AWS-RunPatchBaselineWithHooks (hooks)", "ssm:SendCommand", document("AWS-RunPatchBaselineWithHooks"), {}, "Allowed"],
    // The abuse.
    ["CreateSnapshots: an instance outside every patch group", "ec2:CreateSnapshots", INSTANCE, {}, "ImplicitlyDenied"],
    ["CreateSnapshots: snapshots without the marker", "ec2:CreateSnapshots", SNAPSHOT, { "aws:TagKeys": [SNAPSHOT_TAGS.node] }, "ImplicitlyDenied"],
    ["CreateSnapshots: the marker with another value", "ec2:CreateSnapshots", SNAPSHOT, { [`aws:RequestTag/${SNAPSHOT_TAGS.marker}`]: "yes" }, "ImplicitlyDenied"],
    ["CreateSnapshot (one volume, any volume)", "ec2:CreateSnapshot", VOLUME, {}, "ImplicitlyDenied"],
    ["CreateTags: the marker onto an existing snapshot", "ec2:CreateTags", SNAPSHOT, MARKED_REQUEST, "ImplicitlyDenied"],
    ["CreateTags inside another create call", "ec2:CreateTags", SNAPSHOT, { ...MARKED_REQUEST, "ec2:CreateAction": "CopySnapshot" }, "ImplicitlyDenied"],
    ["CreateTags: a Patch Group key, even inside CreateSnapshots", "ec2:CreateTags", SNAPSHOT, { "aws:TagKeys": ["Patch Group"], "ec2:CreateAction": "CreateSnapshots" }, "ExplicitlyDenied"],
    ["DeleteSnapshot: an unmarked snapshot", "ec2:DeleteSnapshot", SNAPSHOT, {}, "ImplicitlyDenied"],
    ["DeleteSnapshot: a snapshot whose marker is another value", "ec2:DeleteSnapshot", SNAPSHOT, { [`aws:ResourceTag/${SNAPSHOT_TAGS.marker}`]: "false" }, "ImplicitlyDenied"],
    ["DeleteTags: the expiry off a program snapshot", "ec2:DeleteTags", SNAPSHOT, { ...MARKED, "aws:TagKeys": [SNAPSHOT_TAGS.expiresAt] }, "ImplicitlyDenied"],
    ["ModifySnapshotAttribute (share a snapshot with another account)", "ec2:ModifySnapshotAttribute", SNAPSHOT, MARKED, "ImplicitlyDenied"],
    ["CopySnapshot", "ec2:CopySnapshot", SNAPSHOT, MARKED, "ImplicitlyDenied"],
    ["DeleteVolume", "ec2:DeleteVolume", VOLUME, {}, "ImplicitlyDenied"],
    ["SendCommand AWS-RunShellScript (still not)", "ssm:SendCommand", document("AWS-RunShellScript"), {}, "ImplicitlyDenied"],
    ["SendCommand a hook document directly", "ssm:SendCommand", document("app-drain"), {}, "ImplicitlyDenied"],
];

async function decisions(boundary?: PolicyDocument): Promise<Record<string, Decision>> {
    const out: Record<string, Decision> = {};
    for (const [claim, action, resource, context] of ROWS) {
        out[claim] = await decide({ identity: [POLICY], ...(boundary === undefined ? {} : { boundary }) }, { principal: PRINCIPAL, action, resource, resourceAccount: ACCOUNT, context });
    }
    return out;
}

describe("identity: snapshots before install and hooks, simulated (issue 17 items 6-7)", () => {
    const expected = Object.fromEntries(ROWS.map(([claim, , , , decision]) => [claim, decision]));

    it("the execution role's policy alone decides each claim", async () => {
        assert.deepEqual(await decisions(), expected);
    });

    it("with the program boundary the role carries: the same allowed, the same refused (the boundary may refuse explicitly)", async () => {
        const allowed = (all: Record<string, Decision>) => Object.fromEntries(Object.entries(all).map(([claim, decision]) => [claim, decision === "Allowed"]));
        assert.deepEqual(allowed(await decisions(BOUNDARY)), allowed(expected));
    });

    it("the boundary itself still allows the snapshot calls and the hooks document (a bounded role could not otherwise)", async () => {
        const ALLOW_ALL: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
        const through = async (action: string, resource: string) => decide({ identity: [ALLOW_ALL], boundary: BOUNDARY }, { principal: PRINCIPAL, action, resource, resourceAccount: ACCOUNT });
        assert.deepEqual(
            [await through("ec2:CreateSnapshots", VOLUME), await through("ec2:CreateSnapshots", SNAPSHOT), await through("ec2:DeleteSnapshot", SNAPSHOT), await through("ssm:SendCommand", document("AWS-RunPatchBaselineWithHooks"))],
            ["Allowed", "Allowed", "Allowed", "Allowed"],
        );
        assert.ok(policyCharacters(BOUNDARY) <= MANAGED_POLICY_MAX_CHARACTERS, `${policyCharacters(BOUNDARY)} characters`);
    });
});
