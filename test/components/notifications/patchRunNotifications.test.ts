import { strict as assert } from "node:assert";
import * as docs from "../../../components/notifications/notificationDocuments";
import type { PatchRunEventForwardingArgs } from "../../../components/notifications/patchRunEventForwarding";
import type { PatchRunNotifications, PatchRunNotificationsArgs } from "../../../components/notifications/patchRunNotifications";
import { promiseOf } from "../../../tools/mock/promiseOf";
import type { RecordedResource, ResourceRecorder } from "../../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../../tools/mock/runtime";
import { matchesEventPattern, renderInputTransformer } from "../../fixtures/configComplianceChangeEvents";
import * as events from "../../ops/fixtures/ssmEvents";

const CENTRAL = "111111111111";
const MEMBERS = ["333333333333", "222222222222"];
const RUNBOOKS = ["patching-RunPatchBaseline", "patching-PatchWithStoppedInstances"];
const BUS = `arn:aws:events:us-east-1:${CENTRAL}:event-bus/default`;
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

    it("lets only our two rules publish, admits exactly the member accounts to the bus, and scopes the forwarder", () => {
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
        assert.deepEqual(docs.centralBusPolicy(BUS, MEMBERS), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "PatchingMembersForwardPatchRunEvents",
                    Effect: "Allow",
                    Principal: { AWS: ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"] },
                    Action: "events:PutEvents",
                    Resource: BUS,
                },
            ],
        });
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
        await settle();
    });

    it("builds the encrypted topic, the three rules and their targets in the central account and Region", async () => {
        const key = recorder.get("aws:kms/key:Key", "central-topic-key");
        const { topicKeyPolicy } = await import("../../../components/notifications/topicDocuments");
        assert.deepEqual(JSON.parse(key.inputs.policy as string), topicKeyPolicy(CENTRAL));
        assert.deepEqual([inputs("aws:sns/topic:Topic", "central-topic").name, inputs("aws:sns/topic:Topic", "central-topic").kmsMasterKeyId], ["patching-patch-runs", await promiseOf(central.topicKeyArn)]);
        assert.deepEqual(JSON.parse(inputs("aws:cloudwatch/eventRule:EventRule", "central-automation").eventPattern as string), docs.automationStatusPattern(RUNBOOKS, true));
        assert.deepEqual(JSON.parse(inputs("aws:cloudwatch/eventRule:EventRule", "quiet-automation").eventPattern as string).detail.Status, ["Failed", "TimedOut", "Cancelled"]);
        assert.deepEqual(JSON.parse(inputs("aws:cloudwatch/eventRule:EventRule", "central-run-commands").eventPattern as string), docs.runCommandFailurePattern());
        const topicArn = await promiseOf(central.topicArn);
        assert.deepEqual(JSON.parse(inputs("aws:cloudwatch/eventRule:EventRule", "central-alarms").eventPattern as string), docs.patchingAlarmPattern());
        for (const [role, message] of [["automation", docs.AUTOMATION_MESSAGE], ["run-commands", docs.RUN_COMMAND_MESSAGE], ["alarms", docs.ALARM_MESSAGE]] as const) {
            const target = inputs("aws:cloudwatch/eventTarget:EventTarget", `central-${role}-notify`);
            assert.deepEqual([target.arn, target.inputTransformer, target.region], [topicArn, message, "us-east-1"]);
        }
        const ruleArns = [await promiseOf(central.automationRuleArn), await promiseOf(central.runCommandRuleArn), await promiseOf(central.alarmRuleArn)];
        assert.deepEqual(JSON.parse(inputs("aws:sns/topicPolicy:TopicPolicy", "central-topic-policy").policy as string), docs.patchRunTopicPolicy(topicArn, ruleArns, CENTRAL));
        const { subscriptionKey } = await import("../../../components/notifications/topicSubscriptions");
        const subscriptions = recorder.find("aws:sns/topicSubscription:TopicSubscription").map((s) => [s.name, s.inputs.protocol, s.inputs.endpoint, s.inputs.topic]);
        assert.deepEqual(subscriptions, [
            [`central-email-${subscriptionKey("oncall@example.com")}`, "email", "oncall@example.com", topicArn],
            [`central-https-${subscriptionKey("https://hooks.example.com/p")}`, "https", "https://hooks.example.com/p", topicArn],
        ]);
        assert.ok(childrenOf("patching:notifications:PatchRunNotifications", "central").every((r) => providerOf(r) === "aws-security" && r.inputs.region === "us-east-1"));
    });

    it("admits exactly the member accounts on the central default bus, and builds no bus policy without any", () => {
        const busPolicy = recorder.get("aws:cloudwatch/eventBusPolicy:EventBusPolicy", "central-bus-policy");
        assert.deepEqual([busPolicy.inputs.eventBusName, JSON.parse(busPolicy.inputs.policy as string)], ["default", docs.centralBusPolicy(BUS, MEMBERS)]);
        assert.equal(central.eventBusArn, BUS);
        assert.deepEqual(recorder.find("aws:cloudwatch/eventBusPolicy:EventBusPolicy").map((r) => r.name), ["central-bus-policy"]);
    });

    it("forwards the same patterns from a member location to the central bus with a put-events-only role", async () => {
        const children = childrenOf("patching:notifications:PatchRunEventForwarding", "shared-eu");
        assert.ok(children.length === 6 && children.every((r) => providerOf(r) === "aws-shared"), children.map((r) => r.name).join());
        const role = inputs("aws:iam/role:Role", "shared-eu-role");
        assert.deepEqual([role.name, JSON.parse(role.assumeRolePolicy as string)], ["patching-patch-run-forwarder-eu-west-2", docs.forwarderRoleTrust(MEMBERS[1], "eu-west-2")]);
        assert.deepEqual(JSON.parse(inputs("aws:iam/rolePolicy:RolePolicy", "shared-eu-role-policy").policy as string), docs.forwarderRolePolicy(BUS));
        const central = recorder.get("aws:cloudwatch/eventRule:EventRule", "central-automation").inputs.eventPattern;
        const forwarded = inputs("aws:cloudwatch/eventRule:EventRule", "shared-eu-automation");
        assert.deepEqual([forwarded.name, forwarded.region, forwarded.eventPattern], ["patching-forward-patch-run-automation", "eu-west-2", central]);
        assert.equal(inputs("aws:cloudwatch/eventRule:EventRule", "shared-eu-run-commands").eventPattern, JSON.stringify(docs.runCommandFailurePattern()));
        const rolePolicy = recorder.get("aws:iam/rolePolicy:RolePolicy", "shared-eu-role-policy");
        for (const key of ["automation", "run-commands"]) {
            const target = recorder.get("aws:cloudwatch/eventTarget:EventTarget", `shared-eu-${key}-forward`);
            assert.deepEqual([target.inputs.arn, target.inputs.roleArn, target.inputs.region], [BUS, "arn:aws:iam::222222222222:role/patching-patch-run-forwarder-eu-west-2", "eu-west-2"]);
            assert.ok(target.options.dependsOn.includes(rolePolicy.urn));
        }
    });
});
