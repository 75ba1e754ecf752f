import { strict as assert } from "node:assert";
import { permissionsBoundaryArn } from "../../../catalog/naming";
import { programBoundary } from "../../../components/identity/boundaryDocuments";
import type { PolicyDocument } from "../../../components/identity/iamDocuments";
import { changeCalendarContent } from "../../../components/rollout/changeCalendar";
import { cutoffDocument, cutoffStartInput } from "../../../components/rollout/cutoffDocument";
import { gateDocument } from "../../../components/rollout/gateDocument";
import { cutoffRolePolicy, gateRolePolicy, rolloutRoleTrust } from "../../../components/rollout/rolloutDocuments";
import { ROLLOUT_DOCUMENT_NAMES, rolloutPlan, type GroupRollout } from "../../../components/rollout/rolloutPlan";
import { renderDocument } from "../../../components/runbooks/patchAutomationDocuments";
import { schedulerRolePolicy } from "../../../components/schedules/scheduleDocuments";
import type { PatchSchedulesArgs, ScheduledPatchGroup } from "../../../components/schedules/patchSchedules";
import type { RecordedResource, ResourceRecorder } from "../../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../../tools/mock/runtime";
import { decideAll } from "../../support/iamSimulation";

/**
 * RolloutControls and the gated schedules under the mock runtime: the documents are the builders'
 * output, the role carries the program boundary and the builders' policies, a gated install sends
 * the gate exactly the request it sent before (plus the halt alarm), the cutoff fires at the
 * window end. Plus the program boundary and the scheduler role, simulated: they let the gate and
 * cutoff do their job and nothing more.
 */

const ACCOUNT = "111111111111";
const REGION = "us-east-1";
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/AWS-SystemsManager-AutomationAdministrationRole`;
const DOCS = { RunPatchBaseline: "patching-RunPatchBaseline", PatchWithStoppedInstances: "patching-PatchWithStoppedInstances" } as const;
const RATE = { maxConcurrency: "10%", maxErrors: "5%", targetLocationMaxConcurrency: "2", targetLocationMaxErrors: "1" };
const FREEZE = { name: "year-end freeze", start: "2026-12-20", end: "2027-01-03", recurrence: "yearly" as const };

const group = (name: string, extra: Partial<ScheduledPatchGroup> = {}): ScheduledPatchGroup => ({
    name,
    scan: { expression: "cron(0 3 ? * SUN *)", timeZone: "UTC", flexibleWindowMinutes: 0 },
    install: { expression: "cron(0 3 ? * SAT *)", timeZone: "America/Los_Angeles", flexibleWindowMinutes: 0 },
    installRunbook: "RunPatchBaseline",
    rebootOption: "RebootIfNeeded",
    rateControl: RATE,
    locations: [{ accountId: "333333333333", regions: ["us-west-2", "eu-west-2"] }],
    ...extra,
});

const GATE: GroupRollout = { group: "AppA", ring: { after: "Linux", minDays: 3, require: "success" }, halt: { alarmName: "fleet-health", ignorePollAlarmFailure: false }, maxDurationMinutes: 240, calendarName: "patching-prod-blackouts" };
const OU_TARGETS = [{ organizationalUnits: ["ou-ab12-11111111"], regions: ["us-west-2"], excludeAccounts: ["333333333333"] }];

async function render(gated: boolean): Promise<ResourceRecorder> {
    const recorder = await startMockRuntime({ project: "multicloud-patching", stack: "prod", config: {} });
    const { RolloutControls } = await import("../../../components/rollout/rolloutControls");
    const { PatchSchedules } = await import("../../../components/schedules/patchSchedules");
    const plan = rolloutPlan("prod", [{ group: "AppA", blackouts: [FREEZE.name] }], [FREEZE]);
    const controls = gated ? new RolloutControls("central-rollout", { region: REGION, accountId: ACCOUNT, environment: "prod", administrationRoleArn: ADMIN, patchDocumentNames: Object.values(DOCS), calendars: plan.calendars }) : undefined;
    const offset: Partial<ScheduledPatchGroup> = gated ? { gate: { group: "Windows", patchTuesdayOffsetDays: 5 } } : {};
    const args: PatchSchedulesArgs = {
        region: REGION,
        accountId: ACCOUNT,
        environment: "prod",
        administrationRoleArn: ADMIN,
        executionRoleName: "AWS-SystemsManager-AutomationExecutionRole",
        documentNames: DOCS,
        retry: { maximumRetryAttempts: 3, maximumEventAgeSeconds: 3600 },
        patchGroups: [
            group("Linux"),
            group("AppA", { organizationTargets: OU_TARGETS, ...(gated ? { gate: GATE, cutoff: { expression: "cron(0 7 ? * SAT *)", timeZone: "America/Los_Angeles", flexibleWindowMinutes: 0 } } : {}) }),
            group("Windows", offset),
        ],
        ...(controls === undefined ? {} : { rollout: { gateDocumentName: ROLLOUT_DOCUMENT_NAMES.gate, cutoffDocumentName: ROLLOUT_DOCUMENT_NAMES.cutoff, roleArn: controls.roleArn } }),
    };
    new PatchSchedules("central-patch-schedules", args);
    await settle();
    return recorder;
}

const find = (recorder: ResourceRecorder, type: string, name: string): RecordedResource => {
    const found = recorder.resources.find((r) => r.type === type && r.name === name);
    assert.ok(found, `no ${type} ${name}`);
    return found;
};
const input = (recorder: ResourceRecorder, name: string) => JSON.parse((find(recorder, "aws:scheduler/schedule:Schedule", `central-patch-schedules-${name}`).inputs.target as { input: string }).input) as Record<string, unknown>;
const patchRunOf = (gateRequest: Record<string, unknown>) => JSON.parse(((gateRequest.Parameters as Record<string, string[]>).PatchRunRequest ?? []).join("")) as Record<string, unknown>;

describe("rollout: RolloutControls and the gated schedules (mock runtime)", () => {
    let gated: ResourceRecorder;
    let plain: ResourceRecorder;
    before(async () => {
        plain = await render(false);
        gated = await render(true);
    });

    it("creates the gate and cutoff runbooks and the calendar from the builders", () => {
        const gate = find(gated, "aws:ssm/document:Document", "central-rollout-gate");
        const cutoff = find(gated, "aws:ssm/document:Document", "central-rollout-cutoff");
        const calendar = find(gated, "aws:ssm/document:Document", "central-rollout-calendar-patching-prod-blackouts");
        assert.deepEqual([gate.inputs.name, gate.inputs.documentType, gate.inputs.documentFormat, gate.inputs.content], [ROLLOUT_DOCUMENT_NAMES.gate, "Automation", "YAML", renderDocument(gateDocument())]);
        assert.deepEqual([cutoff.inputs.name, cutoff.inputs.content], [ROLLOUT_DOCUMENT_NAMES.cutoff, renderDocument(cutoffDocument())]);
        assert.deepEqual([calendar.inputs.name, calendar.inputs.documentType, calendar.inputs.documentFormat], ["patching-prod-blackouts", "ChangeCalendar", "TEXT"]);
        assert.equal(calendar.inputs.content, changeCalendarContent("Patching blackouts: year-end freeze", [FREEZE]));
    });

    it("gives the rollout role the program boundary, the SSM trust and the gate and cutoff policies", () => {
        const role = find(gated, "aws:iam/role:Role", "central-rollout-role");
        assert.equal(role.inputs.permissionsBoundary, permissionsBoundaryArn(ACCOUNT));
        assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy as string), rolloutRoleTrust(ACCOUNT, REGION));
        assert.deepEqual(JSON.parse(find(gated, "aws:iam/rolePolicy:RolePolicy", "central-rollout-gate-policy").inputs.policy as string), gateRolePolicy({ accountId: ACCOUNT, region: REGION, patchDocumentNames: Object.values(DOCS), administrationRoleArn: ADMIN, calendarNames: ["patching-prod-blackouts"] }));
        assert.deepEqual(JSON.parse(find(gated, "aws:iam/rolePolicy:RolePolicy", "central-rollout-cutoff-policy").inputs.policy as string), cutoffRolePolicy({ accountId: ACCOUNT, region: REGION }));
    });

    it("sends the gate exactly the request the install schedule sent before, plus the halt alarm on the run and on every location (OU locations unchanged)", () => {
        const before = input(plain, "AppA-install");
        const request = input(gated, "AppA-install");
        assert.equal(request.DocumentName, ROLLOUT_DOCUMENT_NAMES.gate);
        const alarm = { IgnorePollAlarmFailure: false, Alarms: [{ Name: "fleet-health" }] };
        const expected = { ...before, AlarmConfiguration: alarm, TargetLocations: (before.TargetLocations as object[]).map((l) => ({ ...l, TargetLocationAlarmConfiguration: alarm })) };
        assert.deepEqual(patchRunOf(request), expected);
        // The OU location went through as it was (IncludeChildOrganizationUnits, ExcludeAccounts).
        assert.ok((before.TargetLocations as { Accounts: string[] }[]).some((l) => l.Accounts.includes("ou-ab12-11111111")));
        const parameters = request.Parameters as Record<string, string[]>;
        assert.deepEqual(JSON.parse(parameters.Ring[0]), { after: "Linux", minDays: 3, require: "success" });
        assert.deepEqual([parameters.ChangeCalendarName, parameters.TimeZone, parameters.PatchGroup], [["patching-prod-blackouts"], ["America/Los_Angeles"], ["AppA"]]);
    });

    it("passes a Patch Tuesday offset to the gate, and leaves ungated groups and every scan exactly as they were", () => {
        assert.deepEqual((input(gated, "Windows-install").Parameters as Record<string, string[]>).PatchTuesdayOffsetDays, ["5"]);
        assert.deepEqual(patchRunOf(input(gated, "Windows-install")), input(plain, "Windows-install"));
        for (const name of ["Linux-install", "Linux-scan", "AppA-scan", "Windows-scan"]) {
            assert.deepEqual(input(gated, name), input(plain, name), name);
        }
    });

    it("adds the cutoff schedule at the window end, exactly on time, with cutoffStartInput", () => {
        const cutoff = find(gated, "aws:scheduler/schedule:Schedule", "central-patch-schedules-AppA-cutoff");
        assert.deepEqual([cutoff.inputs.name, cutoff.inputs.scheduleExpression, cutoff.inputs.flexibleTimeWindow], ["AppA-cutoff", "cron(0 7 ? * SAT *)", { mode: "OFF" }]);
        // The role ARN as the mock runtime resolves it (no provider: its account is the mock's).
        const roleArn = (input(gated, "AppA-install").Parameters as Record<string, string[]>).AutomationAssumeRole[0];
        assert.match(roleArn, /^arn:aws:iam::\d{12}:role\/patching-rollout-prod-us-east-1$/);
        assert.deepEqual(input(gated, "AppA-cutoff"), cutoffStartInput({ cutoffDocumentName: ROLLOUT_DOCUMENT_NAMES.cutoff, roleArn, patchGroup: "AppA", documentNames: Object.values(DOCS) }));
        assert.equal(plain.resources.filter((r) => r.name.endsWith("-cutoff")).length, 0);
    });

    it("lets the scheduler start the gate and cutoff and pass the rollout role; the policy is unchanged without rollout", () => {
        const policy = (recorder: ResourceRecorder) => JSON.parse(find(recorder, "aws:iam/rolePolicy:RolePolicy", "central-patch-schedules-role-policy").inputs.policy as string) as PolicyDocument;
        const queue = (policy(plain).Statement.find((s) => s.Sid === "DeadLetterFailedInvocations")?.Resource ?? "") as string;
        assert.deepEqual(policy(plain), schedulerRolePolicy(ACCOUNT, REGION, Object.values(DOCS), ADMIN, queue));
        const text = JSON.stringify(policy(gated));
        assert.ok(text.includes(`document/${ROLLOUT_DOCUMENT_NAMES.gate}`) && text.includes(`document/${ROLLOUT_DOCUMENT_NAMES.cutoff}`) && text.includes("role/patching-rollout-prod-us-east-1"), text);
    });
});

describe("rollout: the program boundary lets the gate, the cutoff and the scheduler do their job and no more (IAM simulator)", () => {
    const boundary = programBoundary({ accountId: ACCOUNT, project: "multicloud-patching", automationRoleNames: ["AWS-SystemsManager-AutomationAdministrationRole", "AWS-SystemsManager-AutomationExecutionRole"], deploymentRoles: [] }) as unknown as PolicyDocument;
    const ROLE = `arn:aws:iam::${ACCOUNT}:role/patching-rollout-prod-${REGION}`;
    const SCHEDULER = `arn:aws:iam::${ACCOUNT}:role/patching-scheduler-prod-${REGION}`;
    const ssm = (resource: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:${resource}`;
    const EXECUTION = ssm("automation-execution/0000000a-aaaa-4bbb-8ccc-000000000000");
    const call = (principal: string, label: string, action: string, resource: string, context?: Record<string, string>) => ({ label, principal, action, resource, resourceAccount: ACCOUNT, ...(context ? { context } : {}) });
    const rollout = [
        gateRolePolicy({ accountId: ACCOUNT, region: REGION, patchDocumentNames: Object.values(DOCS), administrationRoleArn: ADMIN, calendarNames: ["patching-prod-blackouts"] }),
        cutoffRolePolicy({ accountId: ACCOUNT, region: REGION }),
    ];

    it("allows every call of the gate and the cutoff through the boundary", async () => {
        const decisions = await decideAll({ identity: rollout, boundary }, [
            call(ROLE, "calendar", "ssm:GetCalendarState", ssm("document/patching-prod-blackouts")),
            call(ROLE, "find runs", "ssm:DescribeAutomationExecutions", "*"),
            call(ROLE, "read run", "ssm:GetAutomationExecution", EXECUTION),
            call(ROLE, "read tags", "ssm:ListTagsForResource", EXECUTION),
            call(ROLE, "start patch run", "ssm:StartAutomationExecution", ssm("document/patching-RunPatchBaseline")),
            call(ROLE, "start definition", "ssm:StartAutomationExecution", ssm("automation-definition/patching-RunPatchBaseline:$DEFAULT")),
            call(ROLE, "start execution", "ssm:StartAutomationExecution", EXECUTION),
            call(ROLE, "tag on start", "ssm:AddTagsToResource", EXECUTION),
            call(ROLE, "pass admin role", "iam:PassRole", ADMIN, { "iam:PassedToService": "ssm.amazonaws.com" }),
            call(ROLE, "cancel gated run", "ssm:StopAutomationExecution", EXECUTION, { "aws:ResourceTag/patching:group": "AppA" }),
        ]);
        assert.deepEqual(new Set(Object.values(decisions)), new Set(["Allowed"]), JSON.stringify(decisions));
    });

    it("denies the abuse paths even with a broader identity policy: other documents, roles and untagged runs", async () => {
        const decisions = await decideAll({ identity: rollout, boundary }, [
            call(ROLE, "cancel untagged run", "ssm:StopAutomationExecution", EXECUTION),
            call(ROLE, "start another runbook", "ssm:StartAutomationExecution", ssm("document/AWS-RunShellScript")),
            call(ROLE, "pass another role", "iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/admin`, { "iam:PassedToService": "ssm.amazonaws.com" }),
            call(ROLE, "send commands", "ssm:SendCommand", ssm("document/AWS-RunShellScript")),
        ]);
        assert.ok(Object.values(decisions).every((d) => d !== "Allowed"), JSON.stringify(decisions));
    });

    it("lets the scheduler start the gate and cutoff and pass the rollout role to SSM only", async () => {
        const scheduler = schedulerRolePolicy(ACCOUNT, REGION, [...Object.values(DOCS), ROLLOUT_DOCUMENT_NAMES.gate, ROLLOUT_DOCUMENT_NAMES.cutoff], ADMIN, `arn:aws:sqs:${REGION}:${ACCOUNT}:q`, ROLE);
        const decisions = await decideAll({ identity: [scheduler], boundary }, [
            call(SCHEDULER, "start gate", "ssm:StartAutomationExecution", ssm(`document/${ROLLOUT_DOCUMENT_NAMES.gate}`)),
            call(SCHEDULER, "start cutoff", "ssm:StartAutomationExecution", ssm(`automation-definition/${ROLLOUT_DOCUMENT_NAMES.cutoff}:$DEFAULT`)),
            call(SCHEDULER, "pass rollout role", "iam:PassRole", ROLE, { "iam:PassedToService": "ssm.amazonaws.com" }),
            call(SCHEDULER, "pass rollout role to Lambda", "iam:PassRole", ROLE, { "iam:PassedToService": "lambda.amazonaws.com" }),
        ]);
        assert.deepEqual(decisions, { "start gate": "Allowed", "start cutoff": "Allowed", "pass rollout role": "Allowed", "pass rollout role to Lambda": "ImplicitlyDenied" });
    });
});

describe("rollout: held runs reach the patch-run topic (mock runtime)", () => {
    const rules = async (rolloutGateDocumentName?: string) => {
        const recorder = await startMockRuntime({ project: "multicloud-patching", stack: "prod", config: {} });
        const { PatchRunNotifications } = await import("../../../components/notifications/patchRunNotifications");
        new PatchRunNotifications("central-notifications", { region: REGION, accountId: ACCOUNT, sourceAccountIds: ["333333333333"], ...(rolloutGateDocumentName === undefined ? {} : { rolloutGateDocumentName }) });
        await settle();
        return recorder.resources.filter((r) => r.type === "aws:cloudwatch/eventRule:EventRule");
    };

    it("adds a rule for the gate's Failed executions (held) with its own message, and nothing without a gate", async () => {
        const without = await rules();
        const withGate = await rules(ROLLOUT_DOCUMENT_NAMES.gate);
        assert.deepEqual(withGate.length - without.length, 1);
        const hold = withGate.find((r) => r.inputs.name === "patching-patch-run-holds");
        assert.ok(hold);
        assert.deepEqual(JSON.parse(String(hold.inputs.eventPattern)), {
            account: [ACCOUNT],
            source: ["aws.ssm"],
            "detail-type": ["EC2 Automation Execution Status-change Notification"],
            // Failed only: a wrong Patch Tuesday offset day ends Success on purpose.
            detail: { Definition: [ROLLOUT_DOCUMENT_NAMES.gate], Status: ["Failed"] },
        });
    });
});
