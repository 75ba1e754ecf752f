import { strict as assert } from "node:assert";
import { cutoffRolePolicy, gateRolePolicy, rolloutRoleTrust } from "../../../components/rollout/rolloutDocuments";
import type { PolicyDocument } from "../../../components/identity/iamDocuments";
import { decideAll, type Decision } from "../../support/iamSimulation";

const ACCOUNT = "123456789012";
const REGION = "eu-west-2";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/patching-rollout`;
const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/patching-automation-administration`;
const ssm = (resource: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:${resource}`;
const EXECUTION = ssm("automation-execution/0000000a-aaaa-4bbb-8ccc-000000000000");
const request = (label: string, action: string, resource: string, context?: Record<string, string>) => ({ label, principal: ROLE, action, resource, resourceAccount: ACCOUNT, ...(context ? { context } : {}) });

describe("rollout role: the gate and the cutoff can do their job and nothing more (IAM simulator)", () => {
    // Built inside each test (not at load time), so mutation testing attributes it per test.
    const gate = () => gateRolePolicy({ accountId: ACCOUNT, region: REGION, patchDocumentNames: ["patching-RunPatchBaseline", "patching-PatchWithStoppedInstances"], administrationRoleArn: ADMIN_ROLE, calendarNames: ["patching-blackouts-prod"] });

    it("gate: reads its calendar, finds and reads runs, starts the patch runbooks, passes the administration role to SSM", async () => {
        const decisions = await decideAll({ identity: [gate()] }, [
            request("calendar", "ssm:GetCalendarState", ssm("document/patching-blackouts-prod")),
            request("describe", "ssm:DescribeAutomationExecutions", "*"),
            request("get", "ssm:GetAutomationExecution", EXECUTION),
            request("tags", "ssm:ListTagsForResource", EXECUTION),
            request("start document", "ssm:StartAutomationExecution", ssm("document/patching-RunPatchBaseline")),
            request("start definition", "ssm:StartAutomationExecution", ssm("automation-definition/patching-PatchWithStoppedInstances:$DEFAULT")),
            request("start execution", "ssm:StartAutomationExecution", EXECUTION),
            request("tag on start", "ssm:AddTagsToResource", EXECUTION),
            request("pass admin role", "iam:PassRole", ADMIN_ROLE, { "iam:PassedToService": "ssm.amazonaws.com" }),
        ]);
        assert.deepEqual(new Set(Object.values(decisions)), new Set<Decision>(["Allowed"]), JSON.stringify(decisions));
    });

    it("gate: no other calendar, runbook, role, service, or stopping runs", async () => {
        const decisions = await decideAll({ identity: [gate()] }, [
            request("other calendar", "ssm:GetCalendarState", ssm("document/someone-elses-calendar")),
            request("start another runbook", "ssm:StartAutomationExecution", ssm("document/patching-Anything")),
            request("pass admin role to Lambda", "iam:PassRole", ADMIN_ROLE, { "iam:PassedToService": "lambda.amazonaws.com" }),
            request("pass another role", "iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/admin`, { "iam:PassedToService": "ssm.amazonaws.com" }),
            request("stop runs", "ssm:StopAutomationExecution", EXECUTION),
            request("send commands", "ssm:SendCommand", ssm("document/AWS-RunShellScript")),
            request("tag documents", "ssm:AddTagsToResource", ssm("document/patching-RunPatchBaseline")),
        ]);
        assert.deepEqual(new Set(Object.values(decisions)), new Set<Decision>(["ImplicitlyDenied"]), JSON.stringify(decisions));
    });

    it("gate without calendars has no GetCalendarState statement", () => {
        const bare = gateRolePolicy({ accountId: ACCOUNT, region: REGION, patchDocumentNames: ["patching-RunPatchBaseline"], administrationRoleArn: ADMIN_ROLE, calendarNames: [] });
        assert.ok(!JSON.stringify(bare).includes("GetCalendarState"));
    });

    it("cutoff: cancels only executions that carry the patching:group tag; starts nothing", async () => {
        const cutoff = cutoffRolePolicy({ accountId: ACCOUNT, region: REGION });
        const decisions = await decideAll({ identity: [cutoff] }, [
            request("describe", "ssm:DescribeAutomationExecutions", "*"),
            request("tags", "ssm:ListTagsForResource", EXECUTION),
            request("stop tagged", "ssm:StopAutomationExecution", EXECUTION, { "aws:ResourceTag/patching:group": "AppA" }),
            request("stop untagged", "ssm:StopAutomationExecution", EXECUTION),
            request("start", "ssm:StartAutomationExecution", ssm("document/patching-RunPatchBaseline")),
        ]);
        assert.deepEqual(decisions, { describe: "Allowed", tags: "Allowed", "stop tagged": "Allowed", "stop untagged": "ImplicitlyDenied", start: "ImplicitlyDenied" });
    });

    it("trust: only Systems Manager, for this account's executions", () => {
        assert.deepEqual(rolloutRoleTrust(ACCOUNT, REGION).Statement[0].Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": ssm("automation-execution/*") } });
    });

    /** IAM JSON policy elements: Sid "supports ASCII uppercase letters (A-Z), lowercase letters (a-z), and numbers (0-9)" and "must be unique within a JSON policy". */
    const sids = (document: PolicyDocument) => document.Statement.map((statement) => statement.Sid);
    const sidProblems = (document: PolicyDocument) => sids(document).filter((sid, i, all) => sid === undefined || !/^[A-Za-z0-9]+$/.test(sid) || all.indexOf(sid) !== i);
    const bareGate = (patchDocumentNames: string[], calendarNames: string[] = []) => gateRolePolicy({ accountId: ACCOUNT, region: REGION, patchDocumentNames, administrationRoleArn: ADMIN_ROLE, calendarNames });

    it("every statement has a unique Sid of the IAM grammar (gate with and without calendars, cutoff, trust)", () => {
        for (const document of [gate(), bareGate(["patching-RunPatchBaseline"]), cutoffRolePolicy({ accountId: ACCOUNT, region: REGION }), rolloutRoleTrust(ACCOUNT, REGION)]) {
            assert.deepEqual(sidProblems(document), [], JSON.stringify(sids(document)));
        }
        assert.deepEqual(sids(bareGate(["patching-RunPatchBaseline"])), ["FindPatchRuns", "ReadPatchRuns", "StartPatchRunbooks", "TagPatchRunsOnStart", "PassAdministrationRoleToSystemsManager"]);
        assert.deepEqual(sids(gate())[0], "ReadChangeCalendars");
        assert.deepEqual(sids(cutoffRolePolicy({ accountId: ACCOUNT, region: REGION })), ["FindPatchRuns", "ReadPatchRuns", "CancelGatedPatchRuns"]);
        assert.deepEqual(sids(rolloutRoleTrust(ACCOUNT, REGION)), ["SystemsManagerAutomationRunsRollout"]);
    });

    it("the same runbooks and calendars in any order give the same policy (no update when the configuration is reordered)", () => {
        assert.deepEqual(bareGate(["b-runbook", "a-runbook"], ["b-calendar", "a-calendar"]), bareGate(["a-runbook", "b-runbook"], ["a-calendar", "b-calendar"]));
        assert.deepEqual(bareGate(["b-runbook", "a-runbook"], ["b-calendar", "a-calendar"]).Statement[0].Resource, [ssm("document/a-calendar"), ssm("document/b-calendar")]);
    });
});
