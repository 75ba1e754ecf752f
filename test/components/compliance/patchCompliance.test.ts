import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { documentProblems } from "../../../components/runbooks/documentModel";
import * as docs from "../../../components/compliance/complianceDocuments";
import * as configRules from "../../../catalog/configRules";
import * as topics from "../../../components/notifications/topicDocuments";
import { documentNameProblem } from "../../../components/runbooks/patchAutomationDocuments";
import type { PatchCompliance } from "../../../components/compliance/patchCompliance";
import type { PatchComplianceArgs } from "../../../components/compliance/patchComplianceArgs";
import { subscriptionKey } from "../../../components/notifications/topicSubscriptions";
import { promiseOf } from "../../../tools/mock/promiseOf";
import type { RecordedResource, ResourceRecorder } from "../../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../../tools/mock/runtime";
import * as events from "../../fixtures/configComplianceChangeEvents";
import { parseDocument } from "../../../components/runbooks/patchAutomationDocuments";

const ACCOUNT = "222222222222";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/patching-execution`;
const NAMES = ["patching-patch-compliance", "patching-association-compliance", "patching-instance-managed-by-ssm"];
const BASE: PatchComplianceArgs = { region: "eu-west-2", accountId: ACCOUNT };

describe("components/complianceDocuments: pattern, message, policies", () => {
    const pattern = docs.nonCompliantEventPattern(NAMES) as unknown as Record<string, unknown>;

    it("is the documented Config compliance-change pattern, NON_COMPLIANT only", () => {
        assert.deepEqual(pattern, {
            source: ["aws.config"],
            "detail-type": ["Config Rules Compliance Change"],
            detail: { messageType: ["ComplianceChangeNotification"], configRuleName: NAMES, newEvaluationResult: { complianceType: ["NON_COMPLIANT"] } },
        });
    });

    it("matches a resource turning NON_COMPLIANT with each of our rules (documented event shape)", () => {
        for (const rule of NAMES) {
            assert.equal(events.matchesEventPattern(pattern, events.patchComplianceEvent(rule, "NON_COMPLIANT")), true, rule);
        }
    });

    it("does not match COMPLIANT, another rule, the documented sample itself or another detail-type", () => {
        const otherRule = events.complianceChangeEvent(events.deriveDetail({ ruleName: "cloudtrail-enabled", resourceType: "AWS::::Account", resourceId: ACCOUNT, compliance: "NON_COMPLIANT" }));
        const itemChange = events.complianceChangeEvent(events.patchComplianceEvent(NAMES[0], "NON_COMPLIANT").detail, "Config Configuration Item Change");
        const misses = [events.patchComplianceEvent(NAMES[0], "COMPLIANT"), otherRule, events.complianceChangeEvent(events.DOCUMENTED_DETAIL), itemChange];
        assert.deepEqual(misses.map((event) => events.matchesEventPattern(pattern, event)), [false, false, false, false]);
        assert.equal(events.matchesEventPattern(docs.nonCompliantEventPattern([NAMES[2]]) as unknown as Record<string, unknown>, events.patchComplianceEvent(NAMES[0], "NON_COMPLIANT")), false);
        assert.throws(() => events.matchesEventPattern({ source: [{ prefix: "aws." }] }, {}), /content filters are not supported/);
    });

    it("lets EventBridge use the topic key for this account, and IAM administer it", () => {
        assert.deepEqual(topics.topicKeyPolicy(ACCOUNT).Statement, [
            { Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
            {
                Sid: "EventBridgePublishesToEncryptedTopic",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
            },
        ]);
        assert.deepEqual(docs.configRecorderTrust(ACCOUNT).Statement[0].Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT } });
    });

    it("gives the delivery bucket exactly the AWS Config documented statements", () => {
        const service = { Service: "config.amazonaws.com" };
        const forAccount = { StringEquals: { "AWS:SourceAccount": ACCOUNT } };
        assert.deepEqual(docs.configDeliveryBucketStatements("cfg-bucket", "config/eu", ACCOUNT), [
            { Sid: "AWSConfigBucketPermissionsCheck", Effect: "Allow", Principal: service, Action: "s3:GetBucketAcl", Resource: "arn:aws:s3:::cfg-bucket", Condition: forAccount },
            { Sid: "AWSConfigBucketExistenceCheck", Effect: "Allow", Principal: service, Action: "s3:ListBucket", Resource: "arn:aws:s3:::cfg-bucket", Condition: forAccount },
            {
                Sid: "AWSConfigBucketDelivery",
                Effect: "Allow",
                Principal: service,
                Action: "s3:PutObject",
                Resource: `arn:aws:s3:::cfg-bucket/config/eu/AWSLogs/${ACCOUNT}/Config/*`,
                Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "AWS:SourceAccount": ACCOUNT } },
            },
        ]);
        assert.equal(docs.configDeliveryBucketStatements("cfg-bucket", "", ACCOUNT)[2].Resource, `arn:aws:s3:::cfg-bucket/AWSLogs/${ACCOUNT}/Config/*`);
    });

    it("remediates through a consistent wrapper that turns Config's resource id into the node id", () => {
        const wrapper = docs.patchComplianceRemediationDocument("patching-RunPatchBaseline");
        assert.deepEqual([documentProblems(wrapper), documentNameProblem(docs.COMPLIANCE_NAMES.remediationDocument)], [[], undefined]);
        const pattern = new RegExp(docs.REMEDIATION_RESOURCE_ID_PATTERN);
        // Any prefix is accepted (its exact form is undocumented); the id must end in a node id.
        const ids = [events.PATCH_COMPLIANCE_RESOURCE_ID, "mi-0123456789abcdef0", "AWS::SSM::PatchCompliance/i-0123456789abcdef0", "AWS::SSM::PatchCompliance/web-01", "i-0123456789abcdef0; rm"];
        assert.deepEqual(ids.map((id) => pattern.test(id)), [true, true, true, false, false]);
        const script = `${wrapper.mainSteps[0].inputs.Script}\nprint(instance_id({"ResourceId": "${events.PATCH_COMPLIANCE_RESOURCE_ID}"}, None)["InstanceId"])`;
        assert.equal(spawnSync("python3", ["-c", script], { encoding: "utf8" }).stdout.trim(), "i-0123456789abcdef0");
        assert.deepEqual(wrapper.mainSteps[1].inputs, {
            DocumentName: "patching-RunPatchBaseline",
            RuntimeParameters: { AutomationAssumeRole: "{{ AutomationAssumeRole }}", Operation: "{{ Operation }}", RebootOption: "{{ RebootOption }}", InstanceId: "{{ ParseResourceId.InstanceId }}" },
        });
        assert.deepEqual(docs.remediationParameters(ROLE, "install", "RebootIfNeeded"), [
            { name: "AutomationAssumeRole", staticValue: ROLE },
            { name: "Operation", staticValue: "Install" },
            { name: "RebootOption", staticValue: "RebootIfNeeded" },
            { name: "ResourceId", resourceValue: "RESOURCE_ID" },
        ]);
    });

    it("names the modes after what they do, and a refresh never reboots whatever it is given", () => {
        const values = (mode: "install" | "refresh-compliance", reboot: string) => docs.remediationParameters(ROLE, mode, reboot).slice(1, 3).map((p) => p.staticValue);
        assert.deepEqual([values("install", "RebootIfNeeded"), values("refresh-compliance", "RebootIfNeeded")], [
            ["Install", "RebootIfNeeded"],
            ["Scan", "NoReboot"],
        ]);
        // The values the wrapper accepts are the patch runbook's own (its contract).
        const wrapper = docs.patchComplianceRemediationDocument("patching-RunPatchBaseline");
        assert.deepEqual([[...(wrapper.parameters.Operation.allowedValues ?? [])].sort(), wrapper.parameters.RebootOption.allowedValues], [Object.values(docs.REMEDIATION_OPERATION).sort(), ["RebootIfNeeded", "NoReboot"]]);
    });

    it("bounds one remediation attempt by the wrapper's step timeouts, and refuses a step without one", () => {
        const wrapper = docs.patchComplianceRemediationDocument("patching-RunPatchBaseline");
        assert.equal(docs.remediationAttemptMaxSeconds(wrapper), 60 + 7500);
        const retried = { ...wrapper, mainSteps: [{ ...wrapper.mainSteps[0], maxAttempts: 3 }, wrapper.mainSteps[1]] };
        assert.equal(docs.remediationAttemptMaxSeconds(retried), 3 * 60 + 7500);
        const unbounded = { ...wrapper, mainSteps: [wrapper.mainSteps[0], { ...wrapper.mainSteps[1], timeoutSeconds: undefined }] };
        assert.throws(() => docs.remediationAttemptMaxSeconds(unbounded), { message: "remediation wrapper step RunPatchBaseline has no timeoutSeconds, so an attempt has no upper bound" });
    });
});

describe("PatchCompliance argument validation", () => {
    let mod: typeof import("../../../components/compliance/patchComplianceArgs");
    before(async () => (mod = await import("../../../components/compliance/patchComplianceArgs")));
    const remediation = (change: Partial<NonNullable<PatchComplianceArgs["remediation"]>>): PatchComplianceArgs => ({ ...BASE, remediation: { documentName: "patching-RunPatchBaseline", executionRoleArn: ROLE, ...change } });
    const recorder = (deliveryBucketName: string, deliveryKeyPrefix: string): PatchComplianceArgs => ({ ...BASE, configRecorder: { deliveryBucketName, deliveryKeyPrefix } });
    const CASES: [PatchComplianceArgs, string][] = [
        [{ ...BASE, region: "eu-west" }, 'region "eu-west" is not an AWS Region code'],
        [{ ...BASE, region: "ap-east-2" }, 'region "ap-east-2" offers none of the three AWS Config rules'],
        [{ ...BASE, accountId: "2222" }, 'accountId "2222" is not a 12-digit AWS account id'],
        [recorder("Config_Bucket", "config"), 'configRecorder.deliveryBucketName "Config_Bucket" is not a valid S3 bucket name (3-63 of a-z 0-9 . -)'],
        [recorder("config-bucket", "config/"), 'configRecorder.deliveryKeyPrefix "config/" must not start or end with "/"'],
        [remediation({ maximumAttempts: 26 }), "remediation.maximumAttempts 26 is not an integer from 1 to 25"],
        [remediation({ mode: "scan" as never }), 'remediation.mode "scan" is not one of install, refresh-compliance'],
        [
            remediation({ rebootOption: "NoReboot" }),
            'remediation.rebootOption "NoReboot" is refused for mode install: patches installed without a reboot stay InstalledPendingReboot, which the patch-compliance rule reports NON_COMPLIANT, so Config would start the install again; use RebootIfNeeded, or mode refresh-compliance',
        ],
        [remediation({ mode: "refresh-compliance", rebootOption: "RebootIfNeeded" }), 'remediation.rebootOption "RebootIfNeeded" applies only to mode install; refresh-compliance scans and never reboots'],
        [remediation({ mode: "refresh-compliance", rebootOption: "NoReboot" }), 'remediation.rebootOption "NoReboot" applies only to mode install; refresh-compliance scans and never reboots'],
        [remediation({ rebootOption: "Always" as never }), 'remediation.rebootOption "Always" is not one of RebootIfNeeded, NoReboot'],
        // AWS's own defaults (5 attempts within 60 s) would never add a remediation exception for a patch run.
        [
            remediation({ maximumAttempts: 5, retryAttemptSeconds: 60 }),
            "remediation.retryAttemptSeconds 60 cannot hold maximumAttempts (5) attempts of up to 7560 s each; Config adds a remediation exception only when that many attempts fall within the window, so a node that never turns COMPLIANT would be remediated forever; use at least 37800",
        ],
        [
            remediation({ retryAttemptSeconds: 22679 }),
            "remediation.retryAttemptSeconds 22679 cannot hold maximumAttempts (3) attempts of up to 7560 s each; Config adds a remediation exception only when that many attempts fall within the window, so a node that never turns COMPLIANT would be remediated forever; use at least 22680",
        ],
        [remediation({ maximumAttempts: 2.5 }), "remediation.maximumAttempts 2.5 is not an integer from 1 to 25"],
        [remediation({ retryAttemptSeconds: 0 }), "remediation.retryAttemptSeconds 0 is not an integer from 1 to 2678000"],
        [remediation({ concurrentExecutionRatePercentage: 101 }), "remediation.concurrentExecutionRatePercentage 101 is not an integer from 1 to 100"],
        [remediation({ errorPercentage: 0 }), "remediation.errorPercentage 0 is not an integer from 1 to 100"],
        [remediation({ documentName: "AWS-RunPatchBaseline" }), 'remediation.documentName "AWS-RunPatchBaseline" starts with "aws", a prefix AWS reserves'],
        [remediation({ documentName: docs.COMPLIANCE_NAMES.remediationDocument }), 'remediation.documentName "patching-RemediatePatchCompliance" is the remediation wrapper itself; name the patch runbook it runs'],
        [remediation({ executionRoleArn: "patching-execution" }), 'remediation.executionRoleArn "patching-execution" is not an IAM role ARN'],
        [{ ...remediation({}), region: "ap-northeast-3" }, 'remediation is set, but region "ap-northeast-3" does not offer EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK, the rule it remediates'],
    ];
    for (const [args, message] of CASES) {
        it(`rejects: ${message}`, () => assert.throws(() => mod.validatePatchComplianceArgs(args), { message: `PatchCompliance: ${message}` }));
    }

    it("accepts full arguments, an empty prefix and a role ARN not known yet", async () => {
        const { output } = await import("@pulumi/pulumi");
        mod.validatePatchComplianceArgs(recorder("config-bucket", ""));
        mod.validatePatchComplianceArgs(remediation({ executionRoleArn: output("later"), maximumAttempts: 25, retryAttemptSeconds: 2678000, mode: "install", rebootOption: "RebootIfNeeded" }));
        // The boundary: exactly three attempts of the longest run fit.
        mod.validatePatchComplianceArgs(remediation({ maximumAttempts: 3, retryAttemptSeconds: 3 * 7560, mode: "refresh-compliance" }));
        // The defaults themselves are valid (and converge: 3 attempts within a day).
        assert.deepEqual([mod.PATCH_COMPLIANCE_DEFAULTS.mode, mod.PATCH_COMPLIANCE_DEFAULTS.rebootOption], ["install", "RebootIfNeeded"]);
        mod.validatePatchComplianceArgs(remediation({}));
    });

    it("keys subscriptions by address, not position, and case-insensitively", () => {
        assert.equal(subscriptionKey("Ops@Example.com"), subscriptionKey("ops@example.com"));
        // An https path usually carries a credential: only the host is readable in the name (and URN).
        assert.match(subscriptionKey("https://hooks.example.com/patching?token=s3cr3t"), /^hooks-example-com-[0-9a-f]{8}$/);
        assert.notEqual(subscriptionKey("https://hooks.example.com/a"), subscriptionKey("https://hooks.example.com/b"));
        assert.notEqual(subscriptionKey("a.b@example.com"), subscriptionKey("a-b@example.com"));
    });
});

async function runComponents(preview: boolean) {
    const recorder = await startMockRuntime({ project: "p", stack: "s", config: {}, preview });
    const { PatchCompliance } = await import("../../../components/compliance/patchCompliance");
    const { Provider } = await import("@pulumi/aws/provider");
    const provider = new Provider("aws-member", { region: "us-west-2", allowedAccountIds: [ACCOUNT] });
    const full = new PatchCompliance(
        "full",
        {
            ...BASE,
            configRecorder: { deliveryBucketName: "patching-config-222222222222", deliveryKeyPrefix: "config" },
            remediation: { documentName: "patching-RunPatchBaseline", executionRoleArn: ROLE, maximumAttempts: 3, concurrentExecutionRatePercentage: 5 },
        },
        { provider },
    );
    const components: Record<string, PatchCompliance> = { full, bare: new PatchCompliance("bare", { ...BASE, region: "eu-west-1" }, { provider }), osaka: new PatchCompliance("osaka", { ...BASE, region: "ap-northeast-3" }, { provider }) };
    await settle();
    return { recorder, components };
}

describe("PatchCompliance under the mock runtime", () => {
    let recorder: ResourceRecorder;
    let components: Record<string, PatchCompliance>;
    const of = (type: string, component: string) => recorder.find(type).filter((r) => r.parent === recorder.get("patching:compliance:PatchCompliance", component).urn);
    const pick = (r: RecordedResource, ...keys: string[]) => Object.fromEntries(keys.map((key) => [key, r.inputs[key]]));
    before(async () => ({ recorder, components } = await runComponents(false)));

    it("creates the three managed rules with their scopes in the given Region on the member provider", async () => {
        for (const rule of configRules.COMPLIANCE_RULES) {
            const created = recorder.get("aws:cfg/rule:Rule", `full-${rule.role}`);
            assert.deepEqual(pick(created, "region", "name", "source", "scope"), { region: "eu-west-2", name: rule.name, source: { owner: "AWS", sourceIdentifier: rule.identifier }, scope: { complianceResourceTypes: [...rule.resourceTypes] } });
            assert.equal(recorder.providerOf(created)?.name, "aws-member");
        }
        assert.deepEqual(await promiseOf(components.full.ruleNames), NAMES);
        assert.deepEqual(await promiseOf(components.osaka.ruleNames), [NAMES[2]]);
    });

    it("creates a recorder only when asked, limited to the rules' types, and makes the rules wait for it", () => {
        const [role, recorderResource, channel, status] = ["aws:iam/role:Role", "aws:cfg/recorder:Recorder", "aws:cfg/deliveryChannel:DeliveryChannel", "aws:cfg/recorderStatus:RecorderStatus"].map((type) => of(type, "full")[0]);
        assert.deepEqual([role.inputs.name, JSON.parse(role.inputs.assumeRolePolicy as string)], ["patching-config-recorder-eu-west-2", docs.configRecorderTrust(ACCOUNT)]);
        assert.equal(of("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "full")[0].inputs.policyArn, "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole");
        assert.deepEqual((recorderResource.inputs.recordingGroup as { resourceTypes: string[] }).resourceTypes, configRules.recordedResourceTypes(configRules.COMPLIANCE_RULES));
        assert.deepEqual(pick(channel, "region", "s3BucketName", "s3KeyPrefix"), { region: "eu-west-2", s3BucketName: "patching-config-222222222222", s3KeyPrefix: "config" });
        assert.equal(status.inputs.isEnabled, true);
        assert.ok(channel.options.dependsOn.includes(recorderResource.urn) && status.options.dependsOn.includes(channel.urn), "channel after recorder, status after channel");
        assert.ok(of("aws:cfg/rule:Rule", "full").every((rule) => rule.options.dependsOn.includes(recorderResource.urn) && rule.options.dependsOn.includes(status.urn)));
        assert.deepEqual([...of("aws:cfg/recorder:Recorder", "bare"), ...of("aws:iam/role:Role", "bare")], []);
        assert.ok(of("aws:cfg/rule:Rule", "bare").every((rule) => rule.options.dependsOn.length === 0));
    });

    it("has no NON_COMPLIANT topic, key, rule or subscription of its own any more (issue 19: forwarded to the one central compliance topic)", () => {
        const types = ["aws:sns/topic:Topic", "aws:kms/key:Key", "aws:kms/alias:Alias", "aws:sns/topicPolicy:TopicPolicy", "aws:sns/topicSubscription:TopicSubscription", "aws:cloudwatch/eventRule:EventRule", "aws:cloudwatch/eventTarget:EventTarget"];
        for (const component of ["full", "bare", "osaka"]) {
            assert.deepEqual(types.flatMap((type) => of(type, component).map((r) => r.name)), [], component);
        }
    });

    it("remediates only when asked, on the patch-compliance rule, through the wrapper runbook", () => {
        const document = recorder.get("aws:ssm/document:Document", "full-remediation-document");
        // YAML, like the patch runbooks (inline scripts in JSON content were not supported by older references).
        assert.equal(document.inputs.documentFormat, "YAML");
        assert.deepEqual(parseDocument(document.inputs.content as string), docs.patchComplianceRemediationDocument("patching-RunPatchBaseline"));
        const remediation = recorder.get("aws:cfg/remediationConfiguration:RemediationConfiguration", "full-remediation");
        assert.deepEqual(pick(remediation, "region", "configRuleName", "targetType", "targetId", "parameters", "automatic", "maximumAutomaticAttempts", "retryAttemptSeconds", "executionControls"), {
            region: "eu-west-2",
            configRuleName: "patching-patch-compliance",
            targetType: "SSM_DOCUMENT",
            targetId: "patching-RemediatePatchCompliance",
            parameters: docs.remediationParameters(ROLE, "install", "RebootIfNeeded"),
            automatic: true,
            maximumAutomaticAttempts: 3,
            retryAttemptSeconds: 86400,
            executionControls: { ssmControls: { concurrentExecutionRatePercentage: 5, errorPercentage: 50 } },
        });
        assert.deepEqual([...of("aws:cfg/remediationConfiguration:RemediationConfiguration", "bare"), ...of("aws:ssm/document:Document", "osaka")], []);
    });

    it("registers every (type, name, parent) once and calls no unmocked invoke", () => {
        const keys = recorder.resources.map((r) => `${r.type} ${r.name} ${r.parent ?? ""}`);
        assert.deepEqual([keys.filter((key, index) => keys.indexOf(key) !== index), recorder.invokeFailures], [[], []]);
        assert.ok(recorder.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).every((r) => recorder.providerOf(r)?.name === "aws-member"));
    });
});

describe("PatchCompliance in preview mode", () => {
    it("evaluates without errors", async () => {
        const failures: unknown[] = [];
        const onRejection = (reason: unknown) => failures.push(reason);
        process.on("unhandledRejection", onRejection);
        try {
            const { recorder } = await runComponents(true);
            assert.equal(recorder.find("aws:cfg/rule:Rule").length, 3 + 3 + 1);
            assert.deepEqual([recorder.invokeFailures, failures], [[], []]);
        } finally {
            process.off("unhandledRejection", onRejection);
        }
    });
});
