import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { SECRET_MASK } from "../../tools/mock/plainValues";
import type { RecordedResource } from "../../tools/mock/recorder";
import { evaluatedStack } from "../fixtures/programEvaluations";
import type { Evaluation } from "../../tools/plan/evaluate";

const PROD_VMS = [
    ["rg-shared-prod", "az-lin-web-01", "linux", "Linux"],
    ["rg-shared-prod", "az-lin-web-02", "linux", "Linux"],
    ["rg-shared-prod", "az-win-ad-01", "windows", "Windows"],
    ["rg-appa-prod", "az-appa-api-01", "linux", "AppA"],
    ["rg-appa-prod", "az-appa-win-01", "windows", "AppA"],
] as const;

describe("Azure VMs as SSM hybrid nodes in the prod estate", () => {
    let evaluation: Evaluation;
    const providerName = (r: RecordedResource) => evaluation.recorder.providerOf(r)?.name;

    before(async () => {
        evaluation = await evaluatedStack("prod");
    });

    it("creates one activation per patch group with Azure VMs in the hybrid home, tagged with its group", () => {
        const activations = evaluation.recorder.find("aws:ssm/activation:Activation");
        assert.deepEqual(activations.map((a) => (a.inputs.tags as Record<string, string>)["Patch Group"]).sort(), ["AppA", "Linux", "Windows"]);
        for (const activation of activations) {
            assert.equal(providerName(activation), "aws-application");
            assert.equal(activation.inputs.region, "eu-west-2");
            assert.equal(activation.inputs.iamRole, "patching-hybrid-node");
            const expiry = Date.parse(String(activation.inputs.expirationDate));
            assert.ok(expiry > Date.now() && expiry <= Date.now() + 30 * 86_400_000, String(activation.inputs.expirationDate));
        }
    });

    it("limits each activation to exactly the group's configured VMs (issue 14 M1: no spare registrations for a leaked code)", () => {
        const limits = Object.fromEntries(
            evaluation.recorder.find("aws:ssm/activation:Activation").map((a) => [(a.inputs.tags as Record<string, string>)["Patch Group"], a.inputs.registrationLimit]),
        );
        const configured = Object.fromEntries(["AppA", "Linux", "Windows"].map((group) => [group, PROD_VMS.filter(([, , , g]) => g === group).length]));
        assert.deepEqual(limits, configured);
        assert.deepEqual(configured, { AppA: 2, Linux: 2, Windows: 1 });
    });

    it("announces every node registration in the hybrid home on an encrypted topic with the estate's subscribers", () => {
        const rule = evaluation.recorder.get("aws:cloudwatch/eventRule:EventRule", "application-eu-west-2-hybrid-registration-alerts-rule");
        assert.equal(providerName(rule), "aws-application");
        assert.equal(rule.inputs.region, "eu-west-2");
        assert.equal(rule.inputs.eventBusName, undefined, "the default bus, where SSM sends its events");
        assert.deepEqual(JSON.parse(String(rule.inputs.eventPattern)), { source: ["aws.ssm"], "detail-type": ["SSM Managed Instance Registration"] });
        const topic = evaluation.recorder.get("aws:sns/topic:Topic", "application-eu-west-2-hybrid-registration-alerts-topic");
        const key = evaluation.recorder.get("aws:kms/key:Key", "application-eu-west-2-hybrid-registration-alerts-topic-key");
        assert.deepEqual([providerName(topic), topic.inputs.region, topic.inputs.name], ["aws-application", "eu-west-2", "patching-hybrid-registrations"]);
        assert.ok(topic.propertyDependencies.kmsMasterKeyId?.includes(key.urn), "encrypted with its own key");
        const keyPolicy = JSON.parse(String(key.inputs.policy)) as { Statement: { Principal: unknown; Action: unknown }[] };
        assert.ok(keyPolicy.Statement.some((st) => JSON.stringify(st.Principal) === '{"Service":"events.amazonaws.com"}'), "EventBridge may use the key");
        const target = evaluation.recorder.get("aws:cloudwatch/eventTarget:EventTarget", "application-eu-west-2-hybrid-registration-alerts-notify");
        assert.ok(target.propertyDependencies.arn?.includes(topic.urn) && target.propertyDependencies.rule?.includes(rule.urn));
        const template = (target.inputs.inputTransformer as { inputTemplate: string }).inputTemplate;
        const message = JSON.parse(template.replace("<aws.events.event>", "{}")) as { alert: string };
        assert.match(message.alert, /AppA: 2, Linux: 2, Windows: 1/);
        const policy = evaluation.recorder.get("aws:sns/topicPolicy:TopicPolicy", "application-eu-west-2-hybrid-registration-alerts-topic-policy");
        const statement = (JSON.parse(String(policy.inputs.policy)) as { Statement: { Principal: unknown; Action: unknown; Condition: Record<string, Record<string, unknown>> }[] }).Statement;
        assert.equal(statement.length, 1);
        assert.deepEqual([statement[0].Principal, statement[0].Action], [{ Service: "events.amazonaws.com" }, "sns:Publish"]);
        assert.match(String(statement[0].Condition.ArnEquals["aws:SourceArn"]), /\/patching-hybrid-registrations$/);
        const subscriptions = evaluation.recorder.find("aws:sns/topicSubscription:TopicSubscription").filter((s) => s.propertyDependencies.topic?.includes(topic.urn));
        assert.deepEqual(subscriptions.map((s) => `${s.inputs.protocol} ${s.inputs.endpoint}`).sort(), [
            "email patching-oncall@example.com",
            // Encrypted in Pulumi.prod.yaml: an offline placeholder, kept secret in the plan.
            "https [secret]",
        ]);
    });

    it("never shows an activation code: the extension settings are secret and the code is nowhere in the plan", () => {
        const activations = evaluation.recorder.find("aws:ssm/activation:Activation");
        // The mock engine's codes (tools/mock/mockState.ts), to prove they do not leak.
        const codes = activations.map((a) => createHash("sha256").update(`code ${a.name}`).digest("base64").replace(/[^A-Za-z0-9]/g, "").slice(0, 20));
        const everything = JSON.stringify({ resources: evaluation.recorder.resources, outputs: evaluation.outputs });
        for (const code of codes) {
            assert.ok(!everything.includes(code), "activation code leaked");
        }
        for (const extension of evaluation.recorder.find("azure-native:compute:VirtualMachineExtension")) {
            assert.equal(extension.inputs.protectedSettings, SECRET_MASK);
            assert.deepEqual(extension.inputs.settings, {}, "nothing in the public settings Azure returns");
        }
        assert.ok(!JSON.stringify(evaluation.outputs).includes("activationCode"));
    });

    it("puts exactly one agent extension of the right kind on every configured VM, through the subscription's provider", () => {
        const extensions = evaluation.recorder.find("azure-native:compute:VirtualMachineExtension");
        assert.equal(extensions.length, PROD_VMS.length);
        for (const [resourceGroup, vm, os] of PROD_VMS) {
            const mine = extensions.filter((e) => e.inputs.vmName === vm);
            assert.equal(mine.length, 1, vm);
            const [extension] = mine;
            assert.equal(extension.inputs.resourceGroupName, resourceGroup);
            assert.equal(extension.inputs.location, "westeurope");
            assert.equal(providerName(extension), "azure-corp-azure");
            const expected = os === "linux" ? ["Microsoft.Azure.Extensions", "CustomScript", "2.1"] : ["Microsoft.Compute", "CustomScriptExtension", "1.10"];
            assert.deepEqual([extension.inputs.publisher, extension.inputs.type, extension.inputs.typeHandlerVersion], expected);
        }
    });

    it("merges the required tags into each VM's tags (TagAtScope, not the VM's own tag set)", () => {
        const tags = evaluation.recorder.find("azure-native:resources:TagAtScope");
        assert.equal(tags.length, PROD_VMS.length);
        for (const [resourceGroup, vm, , group] of PROD_VMS) {
            const scope = `/subscriptions/5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/virtualMachines/${vm}`;
            const mine = tags.filter((t) => t.inputs.scope === scope);
            assert.equal(mine.length, 1, vm);
            assert.deepEqual((mine[0].inputs.properties as { tags: Record<string, string> }).tags, { "Patch Group": group, Owner: "platform-engineering", Environment: "prod" });
            // An update only merges: a change replaces it, removing our old keys before adding the new.
            assert.deepEqual([mine[0].options.replaceOnChanges, mine[0].options.deleteBeforeReplace], [["properties"], true]);
        }
        assert.equal(evaluation.recorder.find("azure-native:compute:VirtualMachine").length, 0, "the VMs themselves are not managed here");
    });

    it("audits the patch-group tag and adds owner/environment with a managed identity, Tag Contributor and a remediation", () => {
        const assignments = evaluation.recorder.find("azure-native:authorization:PolicyAssignment");
        assert.ok(assignments.every((a) => providerName(a) === "azure-corp-azure" && a.inputs.scope === "/subscriptions/5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a"));
        const byTag = new Map(assignments.map((a) => [(a.inputs.parameters as { tagName: { value: string } }).tagName.value, a]));
        assert.deepEqual([...byTag.keys()].sort(), ["Environment", "Owner", "Patch Group"]);
        assert.equal(byTag.get("Patch Group")?.inputs.identity, undefined, "audit needs no identity");
        for (const tag of ["Owner", "Environment"]) {
            const assignment = byTag.get(tag)!;
            assert.deepEqual(assignment.inputs.identity, { type: "SystemAssigned" });
            const role = evaluation.recorder.find("azure-native:authorization:RoleAssignment").find((r) => r.name === `${assignment.name}-tag-contributor`);
            assert.ok(role, `${tag}: Tag Contributor for the identity`);
            assert.match(String(role.inputs.roleDefinitionId), /\/roleDefinitions\/4a9ae827-6dc8-4573-8ac7-8239d42aa03f$/);
            assert.match(String(role.inputs.principalId), /^[0-9a-f-]{36}$/);
            const remediation = evaluation.recorder.find("azure-native:policyinsights:RemediationAtSubscription").find((r) => r.name === `${assignment.name}-remediation`);
            assert.ok(remediation && remediation.options.dependsOn.includes(role.urn), `${tag}: remediation after the role`);
            assert.equal(remediation.inputs.resourceDiscoveryMode, "ReEvaluateCompliance", "a new assignment has no compliance data to reuse");
        }
        const roles = evaluation.recorder.find("azure-native:authorization:RoleAssignment").map((r) => String(r.inputs.roleDefinitionId));
        assert.ok(!roles.some((id) => /9980e02c-c2be-4d73-94e8-173b1dc7cf3c|b24988ac-6180-42a0-ab88-20f7382dd24c|8e3af657-a8ff-443c-a75c-2fe8c4bcb635/.test(id)), "no identity can write the VMs (VM Contributor, Contributor, Owner)");
        const definitions = evaluation.recorder.find("azure-native:authorization:PolicyDefinition").filter((d) => (d.inputs.policyRule as { then: { effect: string } }).then.effect === "modify");
        for (const definition of definitions) {
            const demanded = (definition.inputs.policyRule as { then: { details: { roleDefinitionIds: string[] } } }).then.details.roleDefinitionIds;
            assert.deepEqual(demanded.map((id) => id.split("/").pop()), ["4a9ae827-6dc8-4573-8ac7-8239d42aa03f"], "the definition demands what the identity is granted");
        }
    });
});
