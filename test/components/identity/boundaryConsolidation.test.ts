import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { programBoundary } from "../../../components/identity/boundaryDocuments";
import type { ProgramBoundaryScope } from "../../../components/identity/boundaryScope";
import type { PolicyDocument } from "../../../components/identity/iamDocuments";
import { replayDecision, replayProbes, type Probe } from "./boundaryReplay";

/**
 * Issue 16 made room in the boundary for organization mode's StackSet grants (6,132 of 6,144
 * characters were used) by consolidating, never by widening: Sids dropped from the rendered
 * document, the three Resource-"*" denies merged into one, and deny action lists written as
 * patterns that match exactly the same SAR actions. This test holds that to the document as it
 * was before (boundary-before-issue16.json, rendered from the previous builders for this scope):
 * every request — every action of the services touched, on a program-named and a foreign
 * resource of each resource type the action takes — is decided as before, explicit denies
 * included. It fails as soon as a consolidation lets through (or stops explicitly denying)
 * anything.
 */

const ACCOUNT = "222222222222";
const SCOPE: ProgramBoundaryScope = {
    accountId: ACCOUNT,
    project: "multicloud-patching",
    automationRoleNames: ["AWS-SystemsManager-AutomationAdministrationRole", "AWS-SystemsManager-AutomationExecutionRole"],
    deploymentRoles: [{ roleName: "multicloud-patching-deployer" }],
};
const BEFORE = JSON.parse(readFileSync(path.join(__dirname, "boundary-before-issue16.json"), "utf8")) as PolicyDocument;
const AFTER = programBoundary(SCOPE) as unknown as PolicyDocument;
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/patching-anything`;

/** Services whose statements changed (IAM denies, the merged audit/shell/Organizations denies) and their neighbours. */
const SERVICES = ["iam", "organizations", "cloudtrail", "guardduty", "securityhub", "account", "cloudformation", "sns", "sqs", "scheduler"];

const decideWith = (boundary: PolicyDocument, probe: Probe) => replayDecision(boundary, PRINCIPAL, ACCOUNT, probe);

describe("components/identity/boundaryDocuments: room made without widening (issue 16)", () => {
    it("leaves the document smaller than before", () => {
        const size = (document: PolicyDocument) => JSON.stringify(document).replace(/\s/g, "").length;
        assert.ok(size(AFTER) < size(BEFORE), `${size(AFTER)} vs ${size(BEFORE)}`);
    });

    it("decides every action of the touched services as before, on program and foreign resources of each type", async function () {
        this.timeout(300_000);
        const changed: string[] = [];
        let compared = 0;
        for (const probe of await replayProbes(SERVICES, ACCOUNT)) {
            const [before, after] = [await decideWith(BEFORE, probe), await decideWith(AFTER, probe)];
            compared += before === "rejected" ? 0 : 1;
            if (before !== after) {
                changed.push(`${probe.label}: ${before} → ${after}`);
            }
        }
        assert.deepEqual(changed, []);
        assert.ok(compared > 1000, `only ${compared} requests compared`);
    });

    it("keeps two patterns each for scheduler and QuickSight: one merged pattern would match nothing (and would widen if it did)", async () => {
        // `schedule*/patching-*` (one pattern for schedule-group/ and schedule/) would also match a
        // schedule named patching-x in another group (schedule/<group>/<name>, SAR EventBridge
        // Scheduler); `data*/patching-*` a caller-named ingestion of a foreign QuickSight dataset
        // (dataset/<id>/ingestion/<id>). IAM also takes no wildcard in the resource-type portion
        // of an ARN (IAM user guide, reference-arns.html), so neither would even work as meant.
        const merged = (from: readonly string[], to: string) => ({
            ...AFTER,
            Statement: AFTER.Statement.map((statement) =>
                Array.isArray(statement.Resource) ? { ...statement, Resource: [...(statement.Resource as string[]).filter((resource) => !from.includes(resource)), to] } : statement,
            ),
        });
        const scheduler = merged(["arn:aws:scheduler:*:*:schedule-group/patching-*", "arn:aws:scheduler:*:*:schedule/patching-*"], "arn:aws:scheduler:*:*:schedule*/patching-*");
        const quicksight = merged(["arn:aws:quicksight:*:*:datasource/patching-*", "arn:aws:quicksight:*:*:dataset/patching-*"], "arn:aws:quicksight:*:*:data*/patching-*");
        const foreignSchedule: Probe = { label: "", action: "scheduler:UpdateSchedule", resource: `arn:aws:scheduler:us-west-2:${ACCOUNT}:schedule/default/patching-x`, context: {} };
        const programSchedule: Probe = { ...foreignSchedule, resource: `arn:aws:scheduler:us-west-2:${ACCOUNT}:schedule/patching-group/x` };
        const foreignIngestion: Probe = { label: "", action: "quicksight:CreateIngestion", resource: `arn:aws:quicksight:us-west-2:${ACCOUNT}:dataset/payroll/ingestion/patching-x`, context: {} };
        assert.deepEqual(
            {
                foreignSchedule: await decideWith(AFTER, foreignSchedule),
                programSchedule: await decideWith(AFTER, programSchedule),
                programScheduleMerged: await decideWith(scheduler, programSchedule),
                foreignIngestion: await decideWith(AFTER, foreignIngestion),
                dataSetMerged: await decideWith(quicksight, { ...foreignIngestion, action: "quicksight:DescribeDataSet", resource: `arn:aws:quicksight:us-west-2:${ACCOUNT}:dataset/patching-x` }),
            },
            { foreignSchedule: "ImplicitlyDenied", programSchedule: "Allowed", programScheduleMerged: "ImplicitlyDenied", foreignIngestion: "ImplicitlyDenied", dataSetMerged: "ImplicitlyDenied" },
        );
    });
});
