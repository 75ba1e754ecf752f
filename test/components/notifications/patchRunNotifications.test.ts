import { strict as assert } from "node:assert";
import * as complianceDocs from "../../../components/compliance/complianceDocuments";
import * as docs from "../../../components/notifications/notificationDocuments";
import type { PatchRunEventForwardingArgs } from "../../../components/notifications/patchRunEventForwarding";
import type { PatchRunNotifications, PatchRunNotificationsArgs } from "../../../components/notifications/patchRunNotifications";
import { promiseOf } from "../../../tools/mock/promiseOf";
import type { RecordedResource, ResourceRecorder } from "../../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../../tools/mock/runtime";
import { matchesEventPattern, renderInputTransformer } from "../../fixtures/configComplianceChangeEvents";
import * as events from "../../ops/fixtures/ssmEvents";
import { decide, type IamPolicies } from "../../support/iamSimulation";
import { SECRET_MASK } from "../../../tools/mock/plainValues";

const CENTRAL = "111111111111";
const MEMBERS = ["333333333333", "222222222222"];
const RUNBOOKS = ["patching-RunPatchBaseline", "patching-PatchWithStoppedInstances"];
const BUS = `arn:aws:events:us-east-1:${CENTRAL}:event-bus/patching-patch-runs`;
const asPattern = (pattern: object) => pattern as unknown as Record<string, unknown>;
const failedRun = (status: string, definition = RUNBOOKS[0]) => events.withDetail(events.AUTOMATION_EXECUTION_EVENT, { Definition: definition, Status: status });
const failedInvocation = (status: string, document = "AWS-RunPatchBaseline") => events.withDetail(events.COMMAND_INVOCATION_EVENT, { "document-name": document, status });

describe("components/notificationDocuments: patterns against the documented SSM events", () => {
    it("notifies runbook executions that failed, timed out or were cancelled, and successes only when asked", () => {
        const failures = asPattern(docs.automationStatusPattern(RUNBOOKS, false));
        assert.deepEqual(failures, {
            source: ["aws.ssm"],
            "detail-type": ["EC2 Automation Execution Status-change Notification"],
            detail: { Definition: ["patching-PatchWithStoppedInstances", "patching-RunPatchBaseline"], Status: ["Failed", "TimedOut", "Cancelled"] },
        });
        assert.deepEqual(["Failed", "TimedOut", "Cancelled", "Success", "InProgress"].map((status) => matchesEventPattern(failures, failedRun(status))), [true, true, true, false, false]);
        assert.equal(matchesEventPattern(failures, failedRun("Failed", RUNBOOKS[1])), true);
        const withSuccess = asPattern(docs.automationStatusPattern(RUNBOOKS, true));
        assert.deepEqual(["Success", "Failed", "InProgress"].map((status) => matchesEventPattern(withSuccess, failedRun(status))), [true, true, false]);
    });

    it("ignores other runbooks, the documented sample as published, and step events", () => {
        const pattern = asPattern(docs.automationStatusPattern(RUNBOOKS, true));
        const step = events.withDetail(events.AUTOMATION_STEP_EVENT, { Definition: RUNBOOKS[0], Status: "Failed" });
        assert.deepEqual([events.AUTOMATION_EXECUTION_EVENT, failedRun("Failed", "AWS-RestartEC2Instance"), step].map((event) => matchesEventPattern(pattern, event)), [false, false, false]);
    });

    it("pins each pattern to the accounts it may hear from (issue 14, M3)", () => {
        const sample = failedRun("Failed"); // the documented sample's account is 123456789012
        assert.deepEqual(
            [["123456789012"], ["999999999999"], ["999999999999", "123456789012"]].map((accounts) => matchesEventPattern(asPattern(docs.automationStatusPattern(RUNBOOKS, false, accounts)), sample)),
            [true, false, true],
        );
        assert.deepEqual(docs.automationStatusPattern(RUNBOOKS, false, ["2", "1", "2"]).account, ["1", "2"], "sorted and unique");
        assert.equal(matchesEventPattern(asPattern(docs.runCommandFailurePattern(["999999999999"])), failedInvocation("Failed")), false);
        assert.equal(matchesEventPattern(asPattern(docs.runCommandFailurePattern(["123456789012"])), failedInvocation("Failed")), true);
        assert.deepEqual(docs.patchingAlarmPattern([MEMBERS[0], CENTRAL]).account, [CENTRAL, MEMBERS[0]]);
        assert.equal("account" in docs.runCommandFailurePattern(), false, "no filter unless asked");
    });

    it("notifies failed or timed-out AWS-RunPatchBaseline invocations only (per node, with the instance id)", () => {
        const pattern = asPattern(docs.runCommandFailurePattern());
        assert.deepEqual(pattern, {
            source: ["aws.ssm"],
            "detail-type": ["EC2 Command Invocation Status-change Notification"],
            detail: { "document-name": ["AWS-RunPatchBaseline"], status: ["Failed", "TimedOut"] },
        });
        assert.deepEqual(["Failed", "TimedOut", "Success", "Cancelled"].map((status) => matchesEventPattern(pattern, failedInvocation(status))), [true, true, false, false]);
        const commandLevel = events.withDetail(events.COMMAND_EVENT, { "document-name": "AWS-RunPatchBaseline", status: "Failed" });
        const misses = [events.COMMAND_INVOCATION_EVENT, failedInvocation("Failed", "AWS-RunShellScript"), commandLevel];
        assert.deepEqual(misses.map((event) => matchesEventPattern(pattern, event)), [false, false, false]);
    });

    it("renders one-line messages naming where it happened (and where the command output is)", () => {
        assert.equal(
            renderInputTransformer(docs.AUTOMATION_MESSAGE, failedRun("TimedOut")),
            "Patch run: Automation patching-RunPatchBaseline execution 333ba70b-2333-48db-b17e-a5e69c6f4d1c is TimedOut in account 123456789012, Region us-east-2 (2016-11-29T19:43:35Z).",
        );
        assert.equal(
            renderInputTransformer(docs.RUN_COMMAND_MESSAGE, failedInvocation("Failed")),
            "Patch run: AWS-RunPatchBaseline on i-9bb89e2b is Failed (command e8d3c0e4-71f7-4491-898f-c9b35bee5f3b) in account 123456789012, Region us-east-2 (2016-07-10T21:51:32Z). " +
                "Output: s3://patching-patch-logs-123456789012-us-east-2/",
        );
    });

    it("lets only our rules publish, and scopes the forwarder", () => {
        const rules = [`arn:aws:events:us-east-1:${CENTRAL}:rule/b`, `arn:aws:events:us-east-1:${CENTRAL}:rule/a`];
        assert.deepEqual(docs.patchRunTopicPolicy("arn:aws:sns:us-east-1:111111111111:patching-patch-runs", rules, CENTRAL).Statement, [
            {
                Sid: "EventBridgePatchRunRules",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sns:Publish",
                Resource: "arn:aws:sns:us-east-1:111111111111:patching-patch-runs",
                Condition: { ArnEquals: { "aws:SourceArn": [...rules].sort() }, StringEquals: { "aws:SourceAccount": CENTRAL } },
            },
        ]);
        assert.deepEqual(docs.forwarderRoleTrust("222222222222", "eu-west-2").Statement[0].Condition, {
            StringEquals: { "aws:SourceAccount": "222222222222" },
            ArnEquals: {
                "aws:SourceArn": [
                    "arn:aws:events:eu-west-2:222222222222:rule/patching-forward-patch-run-automation",
                    "arn:aws:events:eu-west-2:222222222222:rule/patching-forward-patch-run-commands",
                ],
            },
        });
        assert.deepEqual(docs.forwarderRolePolicy(BUS).Statement, [{ Sid: "PutEventsOnCentralBus", Effect: "Allow", Action: "events:PutEvents", Resource: BUS }]);
    });
});

describe("components/notificationDocuments: the patch-run bus policy, simulated (issue 14, M3)", () => {
    const AUTOMATION = "EC2 Automation Execution Status-change Notification";
    const INVOCATION = "EC2 Command Invocation Status-change Notification";
    const busPolicy = docs.patchRunBusPolicy(BUS, MEMBERS);
    const forwarder = (account: string, region = "eu-west-2") => `arn:aws:iam::${account}:role/${docs.forwarderRoleName(region)}`;
    /** Forwarder roles carry forwarderRolePolicy; other roles are given everything EventBridge has. */
    const identityOf = (principal: string) =>
        principal.includes(":role/patching-patch-run-forwarder-")
            ? [docs.forwarderRolePolicy(BUS)]
            : [{ Version: "2012-10-17" as const, Statement: [{ Effect: "Allow" as const, Action: "events:*", Resource: "*" }] }];
    const put = (principal: string, sources: string[], detailTypes: string[], policies: Partial<IamPolicies> = {}) =>
        decide(
            { identity: identityOf(principal), resourcePolicy: busPolicy, ...policies },
            {
                principal,
                action: "events:PutEvents",
                resource: BUS,
                resourceAccount: CENTRAL,
                // The simulator takes aws:PrincipalArn from the context; AWS sets it to the role's ARN for a role session.
                context: { "aws:PrincipalArn": principal, "events:source": sources, "events:detail-type": detailTypes },
            },
        );

    it("has one Allow for the member forwarders and three Denies, in a fixed order", () => {
        assert.deepEqual(
            busPolicy.Statement.map((s) => [s.Sid, s.Effect]),
            [["MemberForwardersPutPatchRunEvents", "Allow"], ["DenyAllButForwarders", "Deny"], ["DenyOtherSources", "Deny"], ["DenyOtherDetailTypes", "Deny"]],
        );
        assert.deepEqual(busPolicy.Statement[0], {
            Sid: "MemberForwardersPutPatchRunEvents",
            Effect: "Allow",
            Principal: { AWS: ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"] },
            Action: "events:PutEvents",
            Resource: BUS,
            Condition: {
                ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/patching-patch-run-forwarder-*" },
                "ForAllValues:StringEquals": { "events:source": ["aws.ssm", "aws.config"], "events:detail-type": [AUTOMATION, INVOCATION, "Config Rules Compliance Change"] },
            },
        });
        assert.deepEqual(docs.patchRunBusPolicy(BUS, []).Statement.map((s) => s.Sid), ["DenyAllButForwarders", "DenyOtherSources", "DenyOtherDetailTypes"]);
    });

    it("lets the forwarders deliver the patch-run events: member accounts, and the central account's other Regions", async () => {
        assert.equal(await put(forwarder(MEMBERS[0]), ["aws.ssm"], [AUTOMATION]), "Allowed");
        assert.equal(await put(forwarder(MEMBERS[1], "us-west-2"), ["aws.ssm", "aws.ssm"], [INVOCATION, AUTOMATION]), "Allowed");
        assert.equal(await put(forwarder(CENTRAL, "us-west-2"), ["aws.ssm"], [INVOCATION]), "Allowed", "same account: the role's own policy");
    });

    it("lets the forwarders deliver AWS Config compliance changes too (issue 19: one central compliance topic in configured-accounts mode as well), and nobody else", async () => {
        assert.equal(await put(forwarder(MEMBERS[0]), ["aws.config"], ["Config Rules Compliance Change"]), "Allowed");
        assert.equal(await put(forwarder(CENTRAL, "us-west-2"), ["aws.config"], ["Config Rules Compliance Change"]), "Allowed", "the central account's other Regions");
        assert.equal(await put(`arn:aws:iam::${MEMBERS[0]}:role/Admin`, ["aws.config"], ["Config Rules Compliance Change"]), "ExplicitlyDenied", "a fake NON_COMPLIANT alert");
        assert.equal(await put(forwarder(MEMBERS[0]), ["aws.config"], ["Config Configuration Item Change"]), "ExplicitlyDenied", "other Config events");
    });

    it("denies every other principal, even with events:* — in a member account, outside the estate, in the central account", async () => {
        assert.equal(await put(`arn:aws:iam::${MEMBERS[0]}:role/Admin`, ["aws.ssm"], [AUTOMATION]), "ExplicitlyDenied");
        assert.equal(await put(`arn:aws:iam::${MEMBERS[0]}:user/ops`, ["aws.ssm"], [AUTOMATION]), "ExplicitlyDenied");
        assert.equal(await put(`arn:aws:iam::${CENTRAL}:role/OrganizationAccountAccessRole`, ["aws.ssm"], [AUTOMATION]), "ExplicitlyDenied");
        assert.equal(await put(forwarder("444444444444"), ["aws.ssm"], [AUTOMATION]), "ImplicitlyDenied", "a forwarder-named role of an account outside the estate");
    });

    it("denies a forwarder anything but SSM's two patch-run event types, also in a mixed batch", async () => {
        assert.equal(await put(forwarder(MEMBERS[0]), ["aws.cloudwatch"], ["CloudWatch Alarm State Change"]), "ExplicitlyDenied", "a fake patching alarm");
        assert.equal(await put(forwarder(MEMBERS[0]), ["aws.ssm"], ["EC2 Command Status-change Notification"]), "ExplicitlyDenied");
        assert.equal(await put(forwarder(MEMBERS[0]), ["aws.ssm", "custom.app"], [AUTOMATION, AUTOMATION]), "ExplicitlyDenied");
        assert.equal(await put(forwarder(CENTRAL, "us-west-2"), ["aws.cloudwatch"], ["CloudWatch Alarm State Change"]), "ExplicitlyDenied", "same account too");
    });

    it("is what the old default-bus policy was not: a member account's admin could put events there", async () => {
        // The policy this replaces: the member accounts' roots, no condition (kept here as the regression witness).
        const old = { Version: "2012-10-17" as const, Statement: [{ Sid: "Old", Effect: "Allow" as const, Principal: { AWS: MEMBERS.map((id) => `arn:aws:iam::${id}:root`) }, Action: "events:PutEvents", Resource: BUS }] };
        assert.equal(await put(`arn:aws:iam::${MEMBERS[0]}:role/Admin`, ["aws.ssm"], [AUTOMATION], { resourcePolicy: old }), "Allowed");
        assert.equal(await put(`arn:aws:iam::${MEMBERS[0]}:role/Admin`, ["aws.ssm"], [AUTOMATION]), "ExplicitlyDenied");
    });
});

describe("PatchRunNotifications / PatchRunEventForwarding argument validation", () => {
    const central: PatchRunNotificationsArgs = { region: "us-east-1", accountId: CENTRAL, sourceAccountIds: MEMBERS };
    const member: PatchRunEventForwardingArgs = { region: "eu-west-2", accountId: MEMBERS[0], centralAccountId: CENTRAL, centralRegion: "us-east-1" };
    const CENTRAL_CASES: [Partial<PatchRunNotificationsArgs>, string][] = [
        [{ region: "useast1" }, 'region "useast1" is not an AWS Region code'],
        [{ sourceAccountIds: ["2222"] }, 'sourceAccountIds[0] "2222" is not a 12-digit AWS account id'],
        [{ sourceAccountIds: [MEMBERS[0], MEMBERS[0]] }, `sourceAccountIds[1] "${MEMBERS[0]}" duplicates sourceAccountIds[0]`],
        [{ sourceAccountIds: [CENTRAL] }, `sourceAccountIds[0] "${CENTRAL}" is the central account; its own Regions forward without a bus policy entry`],
        [{ emailSubscriptions: ["oncall"] }, 'emailSubscriptions[0] "oncall" is not an e-mail address (name@domain.tld)'],
        [{ httpsSubscriptions: ["http://hooks.example.com"] }, 'httpsSubscriptions[0] "http://hooks.example.com" is not an https:// URL'],
        [{ documentNames: [] }, "documentNames is empty; name the runbooks whose executions notify"],
        [
            { sourceAccountIds: Array.from({ length: 400 }, (_, i) => String(200000000000 + i)) },
            'sourceAccountIds (400 accounts) make a 14693-character bus policy, over EventBridge\'s 10240-character quota ("Event bus policy size"); raise the quota first',
        ],
    ];
    const MEMBER_CASES: [Partial<PatchRunEventForwardingArgs>, string][] = [
        [{ centralAccountId: "1" }, 'centralAccountId "1" is not a 12-digit AWS account id'],
        [{ accountId: CENTRAL, region: "us-east-1" }, `region "us-east-1" of account ${CENTRAL} is the central location itself; its events reach the central rules without forwarding`],
    ];
    for (const [change, message] of CENTRAL_CASES) {
        it(`PatchRunNotifications rejects: ${message}`, async () => {
            const { validatePatchRunNotificationsArgs } = await import("../../../components/notifications/patchRunNotifications");
            assert.throws(() => validatePatchRunNotificationsArgs({ ...central, ...change }), { message: `PatchRunNotifications: ${message}` });
        });
    }
    for (const [change, message] of MEMBER_CASES) {
        it(`PatchRunEventForwarding rejects: ${message}`, async () => {
            const { validatePatchRunEventForwardingArgs } = await import("../../../components/notifications/patchRunEventForwarding");
            assert.throws(() => validatePatchRunEventForwardingArgs({ ...member, ...change }), { message: `PatchRunEventForwarding: ${message}` });
        });
    }
    it("accepts the central account's other Regions as forwarders", async () => {
        const { validatePatchRunEventForwardingArgs } = await import("../../../components/notifications/patchRunEventForwarding");
        validatePatchRunEventForwardingArgs({ ...member, accountId: CENTRAL, region: "us-west-2" });
    });
});

describe("PatchRunNotifications and PatchRunEventForwarding under the mock runtime", () => {
    let recorder: ResourceRecorder;
    let central: PatchRunNotifications;
    const inputs = (type: string, name: string) => recorder.get(type, name).inputs;
    const providerOf = (r: RecordedResource) => recorder.providerOf(r)?.name;
    const childrenOf = (type: string, name: string) => recorder.resources.filter((r) => r.parent === recorder.get(type, name).urn);

    before(async () => {
        recorder = await startMockRuntime({ project: "p", stack: "s", config: {} });
        const { PatchRunNotifications } = await import("../../../components/notifications/patchRunNotifications");
        const { PatchRunEventForwarding } = await import("../../../components/notifications/patchRunEventForwarding");
        const { Provider } = await import("@pulumi/aws/provider");
        const centralProvider = new Provider("aws-security", { region: "us-east-1", allowedAccountIds: [CENTRAL] });
        const memberProvider = new Provider("aws-shared", { region: "us-west-2", allowedAccountIds: [MEMBERS[1]] });
        central = new PatchRunNotifications(
            "central",
            { region: "us-east-1", accountId: CENTRAL, sourceAccountIds: MEMBERS, emailSubscriptions: ["oncall@example.com"], httpsSubscriptions: ["https://hooks.example.com/p"], notifySuccess: true },
            { provider: centralProvider },
        );
        new PatchRunNotifications("quiet", { region: "eu-west-1", accountId: CENTRAL, sourceAccountIds: [] }, { provider: centralProvider });
        new PatchRunEventForwarding("shared-eu", { region: "eu-west-2", accountId: MEMBERS[1], centralAccountId: CENTRAL, centralRegion: "us-east-1", notifySuccess: true }, { provider: memberProvider });
        new PatchRunEventForwarding(
            "shared-osaka",
            { region: "ap-northeast-3", accountId: MEMBERS[1], centralAccountId: CENTRAL, centralRegion: "us-east-1", nonCompliantRuleNames: ["patching-instance-managed-by-ssm"] },
            { provider: memberProvider },
        );
        await settle();
    });

    it("builds the encrypted topic, the five rules and their targets in the central account and Region", async () => {
        const key = recorder.get("aws:kms/key:Key", "central-topic-key");
        const { topicKeyPolicy } = await import("../../../components/notifications/topicDocuments");
        assert.deepEqual(JSON.parse(key.inputs.policy as string), topicKeyPolicy(CENTRAL));
        assert.deepEqual([inputs("aws:sns/topic:Topic", "central-topic").name, inputs("aws:sns/topic:Topic", "central-topic").kmsMasterKeyId], ["patching-patch-runs", await promiseOf(central.topicKeyArn)]);
        const pattern = (name: string) => JSON.parse(inputs("aws:cloudwatch/eventRule:EventRule", name).eventPattern as string);
        const estate = [CENTRAL, ...MEMBERS];
        // The central default bus: the central account's own events; the patch-run bus: the estate's.
        assert.deepEqual(pattern("central-automation"), docs.automationStatusPattern(RUNBOOKS, true, [CENTRAL]));
        assert.deepEqual(pattern("central-run-commands"), docs.runCommandFailurePattern([CENTRAL]));
        assert.deepEqual(pattern("central-alarms"), docs.patchingAlarmPattern(estate));
        assert.deepEqual(pattern("central-forwarded-automation"), docs.automationStatusPattern(RUNBOOKS, true, estate));
        assert.deepEqual(pattern("central-forwarded-run-commands"), docs.runCommandFailurePattern(estate));
        assert.deepEqual(pattern("quiet-automation").detail.Status, ["Failed", "TimedOut", "Cancelled"]);
        assert.deepEqual(pattern("quiet-forwarded-automation").account, [CENTRAL]);
        const topicArn = await promiseOf(central.topicArn);
        const roles = [
            ["automation", docs.AUTOMATION_MESSAGE, undefined],
            ["run-commands", docs.RUN_COMMAND_MESSAGE, undefined],
            ["alarms", docs.ALARM_MESSAGE, undefined],
            ["forwarded-automation", docs.AUTOMATION_MESSAGE, "patching-patch-runs"],
            ["forwarded-run-commands", docs.RUN_COMMAND_MESSAGE, "patching-patch-runs"],
        ] as const;
        for (const [role, message, bus] of roles) {
            const rule = inputs("aws:cloudwatch/eventRule:EventRule", `central-${role}`);
            const target = inputs("aws:cloudwatch/eventTarget:EventTarget", `central-${role}-notify`);
            assert.deepEqual([rule.eventBusName, target.eventBusName], [bus, bus], role);
            assert.deepEqual([target.arn, target.inputTransformer, target.region], [topicArn, message, "us-east-1"]);
        }
        const ruleArns = await Promise.all(
            [central.automationRuleArn, central.runCommandRuleArn, central.alarmRuleArn, central.forwardedAutomationRuleArn, central.forwardedRunCommandRuleArn].map((arn) => promiseOf(arn)),
        );
        assert.deepEqual(JSON.parse(inputs("aws:sns/topicPolicy:TopicPolicy", "central-topic-policy").policy as string), docs.patchRunTopicPolicy(topicArn, ruleArns, CENTRAL));
        const { subscriptionKey } = await import("../../../components/notifications/topicSubscriptions");
        const subscriptions = recorder.find("aws:sns/topicSubscription:TopicSubscription").map((s) => [s.name, s.inputs.protocol, s.inputs.endpoint, s.inputs.topic]);
        assert.deepEqual(subscriptions, [
            [`central-email-${subscriptionKey("oncall@example.com")}`, "email", "oncall@example.com", topicArn],
            [`central-https-${subscriptionKey("https://hooks.example.com/p")}`, "https", SECRET_MASK, topicArn],
        ]);
        assert.ok(childrenOf("patching:notifications:PatchRunNotifications", "central").every((r) => providerOf(r) === "aws-security" && r.inputs.region === "us-east-1"));
    });

    it("creates the patch-run bus with its own policy, and no policy on the default bus (issue 14, M3)", () => {
        const bus = recorder.get("aws:cloudwatch/eventBus:EventBus", "central-bus");
        assert.deepEqual([bus.inputs.name, bus.inputs.region, providerOf(bus)], ["patching-patch-runs", "us-east-1", "aws-security"]);
        const busPolicy = recorder.get("aws:cloudwatch/eventBusPolicy:EventBusPolicy", "central-patch-run-bus-policy");
        assert.deepEqual([busPolicy.inputs.eventBusName, JSON.parse(busPolicy.inputs.policy as string)], ["patching-patch-runs", docs.patchRunBusPolicy(BUS, MEMBERS)]);
        assert.equal(central.eventBusArn, BUS);
        const policies = recorder.find("aws:cloudwatch/eventBusPolicy:EventBusPolicy");
        assert.deepEqual(policies.map((r) => [r.name, r.inputs.eventBusName]), [["central-patch-run-bus-policy", "patching-patch-runs"], ["quiet-patch-run-bus-policy", "patching-patch-runs"]]);
        assert.deepEqual(busPolicy.propertyDependencies.eventBusName, [bus.urn], "the policy waits for the bus");
    });

    it("forwards the same patterns from a member location to the central bus with a put-events-only role", async () => {
        const children = childrenOf("patching:notifications:PatchRunEventForwarding", "shared-eu");
        assert.ok(children.length === 6 && children.every((r) => providerOf(r) === "aws-shared"), children.map((r) => r.name).join());
        const role = inputs("aws:iam/role:Role", "shared-eu-role");
        assert.deepEqual([role.name, JSON.parse(role.assumeRolePolicy as string)], ["patching-patch-run-forwarder-eu-west-2", docs.forwarderRoleTrust(MEMBERS[1], "eu-west-2")]);
        assert.deepEqual(JSON.parse(inputs("aws:iam/rolePolicy:RolePolicy", "shared-eu-role-policy").policy as string), docs.forwarderRolePolicy(BUS));
        const forwarded = inputs("aws:cloudwatch/eventRule:EventRule", "shared-eu-automation");
        assert.deepEqual([forwarded.name, forwarded.region, forwarded.eventBusName], ["patching-forward-patch-run-automation", "eu-west-2", undefined], "on its own default bus");
        assert.deepEqual(JSON.parse(forwarded.eventPattern as string), docs.automationStatusPattern(RUNBOOKS, true, [MEMBERS[1]]), "its own account's events only");
        assert.equal(inputs("aws:cloudwatch/eventRule:EventRule", "shared-eu-run-commands").eventPattern, JSON.stringify(docs.runCommandFailurePattern([MEMBERS[1]])));
        const rolePolicy = recorder.get("aws:iam/rolePolicy:RolePolicy", "shared-eu-role-policy");
        for (const key of ["automation", "run-commands"]) {
            const target = recorder.get("aws:cloudwatch/eventTarget:EventTarget", `shared-eu-${key}-forward`);
            assert.deepEqual([target.inputs.arn, target.inputs.roleArn, target.inputs.region], [BUS, "arn:aws:iam::222222222222:role/patching-patch-run-forwarder-eu-west-2", "eu-west-2"]);
            assert.ok(target.options.dependsOn.includes(rolePolicy.urn));
        }
        assert.equal(recorder.find("aws:cloudwatch/eventRule:EventRule").filter((r) => r.name === "shared-eu-non-compliant").length, 0, "no Config rules named: no compliance forwarding");
    });

    it("forwards the location's own NON_COMPLIANT changes of its Config rules through the same role (issue 19), and the role trusts that rule", () => {
        const rule = inputs("aws:cloudwatch/eventRule:EventRule", "shared-osaka-non-compliant");
        assert.deepEqual([rule.name, rule.region, rule.eventBusName], ["patching-forward-non-compliant", "ap-northeast-3", undefined]);
        const { nonCompliantEventPattern } = complianceDocs;
        assert.deepEqual(JSON.parse(rule.eventPattern as string), { account: [MEMBERS[1]], ...nonCompliantEventPattern(["patching-instance-managed-by-ssm"]) });
        const target = recorder.get("aws:cloudwatch/eventTarget:EventTarget", "shared-osaka-non-compliant-forward");
        assert.deepEqual([target.inputs.arn, target.inputs.roleArn], [BUS, "arn:aws:iam::222222222222:role/patching-patch-run-forwarder-ap-northeast-3"]);
        const trust = JSON.parse(inputs("aws:iam/role:Role", "shared-osaka-role").assumeRolePolicy as string);
        assert.deepEqual(trust, docs.forwarderRoleTrust(MEMBERS[1], "ap-northeast-3", ["patching-forward-non-compliant"]));
        assert.ok(JSON.stringify(trust).includes("arn:aws:events:ap-northeast-3:222222222222:rule/patching-forward-non-compliant"));
    });
});
