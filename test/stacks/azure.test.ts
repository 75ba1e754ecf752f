import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { registrationSecretName } from "../../catalog/azureRegistration";
import { SECRET_MASK } from "../../tools/mock/plainValues";
import { decodeProviderInput, type RecordedResource } from "../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../tools/mock/runtime";
import type { AzureAutoRegistration, AzureSubscription, Estate } from "../../stacks/config/estateModel";
import { flatConfig, TEST_CONTEXT, validRawConfig } from "../fixtures/estateConfig";
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
            // Copied onto every node: what the Custom:AzureVm inventory association targets.
            assert.equal((activation.inputs.tags as Record<string, string>)["patching:node-origin"], "azure");
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
        // Issue 18: Linux and Windows also register automatically (azure.autoRegister, limit 100): listed + 100.
        assert.deepEqual(limits, { ...configured, Linux: configured.Linux + 100, Windows: configured.Windows + 100 });
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
        // Groups that also register automatically quote their activation's limit (issue 18).
        assert.match(message.alert, /AppA: 2, Linux: 102, Windows: 101/);
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
        // The tag governance's own (automatic registration has its assignments and roles, tested below).
        const assignments = evaluation.recorder.find("azure-native:authorization:PolicyAssignment").filter((a) => a.name.includes("-tag-governance-"));
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
        const roles = evaluation.recorder.find("azure-native:authorization:RoleAssignment").filter((r) => r.name.includes("-tag-governance-")).map((r) => String(r.inputs.roleDefinitionId));
        assert.ok(!roles.some((id) => /9980e02c-c2be-4d73-94e8-173b1dc7cf3c|b24988ac-6180-42a0-ab88-20f7382dd24c|8e3af657-a8ff-443c-a75c-2fe8c4bcb635/.test(id)), "no identity can write the VMs (VM Contributor, Contributor, Owner)");
        const definitions = evaluation.recorder.find("azure-native:authorization:PolicyDefinition").filter((d) => (d.inputs.policyRule as { then: { effect: string } }).then.effect === "modify");
        for (const definition of definitions) {
            const demanded = (definition.inputs.policyRule as { then: { details: { roleDefinitionIds: string[] } } }).then.details.roleDefinitionIds;
            assert.deepEqual(demanded.map((id) => id.split("/").pop()), ["4a9ae827-6dc8-4573-8ac7-8239d42aa03f"], "the definition demands what the identity is granted");
        }
    });
});

describe("Azure automatic registration in the prod estate (issue 18: management group corp-prod, groups Linux and Windows)", () => {
    let evaluation: Evaluation;
    const providerName = (r: RecordedResource) => evaluation.recorder.providerOf(r)?.name;
    const VAULT_GROUP_ID = "/subscriptions/5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a/resourceGroups/patching-registration";

    before(async () => {
        evaluation = await evaluatedStack("prod");
    });

    it("assigns the initiative exactly once per (scope, group), at the management group, through the vault subscription's provider", () => {
        const assignments = evaluation.recorder.find("azure-native:authorization:PolicyAssignment").filter((a) => a.name.startsWith("azure-registration-"));
        const keys = assignments.map((a) => `${String(a.inputs.scope)} ${(a.inputs.parameters as { patchGroup: { value: string } }).patchGroup.value}`);
        assert.deepEqual(keys.sort(), ["/providers/Microsoft.Management/managementGroups/corp-prod Linux", "/providers/Microsoft.Management/managementGroups/corp-prod Windows"]);
        for (const assignment of assignments) {
            assert.equal(providerName(assignment), "azure-corp-azure", "the vault's subscription is the listed corp subscription: its provider is reused");
            assert.ok(String(assignment.inputs.policyAssignmentName).length <= 24);
        }
        for (const type of ["PolicyDefinitionAtManagementGroup", "PolicySetDefinitionAtManagementGroup"]) {
            assert.ok(evaluation.recorder.find(`azure-native:authorization:${type}`).every((d) => d.inputs.managementGroupId === "corp-prod"), type);
        }
    });

    it("passes each group its own secret of the vault, and only the group's OS families", () => {
        const secrets = new Map(evaluation.recorder.find("azure-native:keyvault:Secret").map((s) => [s.name.replace(/^azure-registration-vault-/, ""), s]));
        for (const assignment of evaluation.recorder.find("azure-native:authorization:PolicyAssignment").filter((a) => a.name.startsWith("azure-registration-"))) {
            const parameters = assignment.inputs.parameters as Record<string, { value: unknown }>;
            const group = String(parameters.patchGroup.value);
            assert.equal(parameters.secretName.value, registrationSecretName(group));
            assert.equal(secrets.get(group)?.inputs.secretName, registrationSecretName(group), `${group}: the vault holds that secret`);
            assert.deepEqual([parameters.vaultName.value, parameters.vaultResourceGroup.value, parameters.tagName.value], ["kv-patching-prod-weu", "patching-registration", "Patch Group"]);
            assert.deepEqual(parameters.osTypes.value, [group === "Linux" ? "Linux" : "Windows"]);
            assert.equal(parameters[group === "Linux" ? "windowsCommand" : "linuxScript"].value, "", "no script for an OS family the group lacks");
        }
    });

    it("each assignment identity: VM Contributor at the management group, conditioned Key Vault Data Access Administrator on the vault's group only", () => {
        const roles = evaluation.recorder.find("azure-native:authorization:RoleAssignment").filter((r) => r.name.startsWith("azure-registration-"));
        assert.equal(roles.length, 4);
        for (const role of roles) {
            if (role.name.endsWith("-vm-contributor")) {
                assert.deepEqual([role.inputs.scope, String(role.inputs.roleDefinitionId).split("/").pop()], ["/providers/Microsoft.Management/managementGroups/corp-prod", "9980e02c-c2be-4d73-94e8-173b1dc7cf3c"]);
            } else {
                assert.deepEqual([role.inputs.scope, String(role.inputs.roleDefinitionId).split("/").pop(), role.inputs.conditionVersion], [VAULT_GROUP_ID, "8b54135c-b56d-4d72-a534-26097cfdc8d8", "2.0"]);
                assert.match(String(role.inputs.condition), /GuidEquals \{4633458b-17de-408a-b874-0445c86b69e6\}/);
            }
        }
    });

    it("a VM's Key Vault access is scoped to its group's one secret (the registration template's nested role assignment)", () => {
        const registration = evaluation.recorder.get("azure-native:authorization:PolicyDefinitionAtManagementGroup", "azure-registration-mg-corp-prod-registration-definition");
        const template = (registration.inputs.policyRule as { then: { details: { deployment: { properties: { template: { resources: { type: string; properties: { template: { resources: Record<string, string>[] } } }[] } } } } } })
            .then.details.deployment.properties.template;
        const nested = template.resources.find((r) => r.type === "Microsoft.Resources/deployments")!.properties.template.resources;
        assert.deepEqual(nested.map((r) => [r.type, r.scope]), [["Microsoft.Authorization/roleAssignments", "[format('Microsoft.KeyVault/vaults/{0}/secrets/{1}', parameters('vaultName'), parameters('secretName'))]"]]);
    });

    it("the vault secrets hold each group's activation as a secret, one per automatically registering group", () => {
        const secrets = evaluation.recorder.find("azure-native:keyvault:Secret");
        assert.deepEqual(secrets.map((s) => s.name).sort(), ["azure-registration-vault-Linux", "azure-registration-vault-Windows"]);
        for (const secret of secrets) {
            const properties = secret.inputs.properties as Record<string, unknown> | string;
            assert.ok(properties === SECRET_MASK || (properties as Record<string, unknown>).value === SECRET_MASK, "the activation JSON stays secret");
            assert.equal(providerName(secret), "azure-corp-azure");
        }
    });

    it("starts one-shot remediations per group and definition for the current rotation window (management group: known non-compliant VMs)", () => {
        const remediations = evaluation.recorder.find("azure-native:policyinsights:RemediationAtManagementGroup");
        assert.equal(remediations.length, 4);
        for (const remediation of remediations) {
            assert.equal(remediation.inputs.resourceDiscoveryMode, "ExistingNonCompliant");
            assert.match(String(remediation.inputs.remediationName), /^ssmreg-[0-9a-f]{16}-(identity|registration)-\d{8}$/);
        }
    });

    it("tags each listed VM's extension with its patch group, so the policy leaves it alone (an in-place update)", () => {
        for (const extension of evaluation.recorder.find("azure-native:compute:VirtualMachineExtension")) {
            const vm = PROD_VMS.find(([, name]) => name === extension.inputs.vmName)!;
            assert.deepEqual(extension.inputs.tags, { "patching-group": vm[3], "patching-mode": "explicit" });
        }
    });
});

describe("stacks/azure + stacks/providers: automatic registration's providers and remediation rounds", () => {
    const TENANT = "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
    const LISTED = "5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a";
    const OTHER = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";

    it("reuses a listed subscription's provider, gives another subscription scope its own, and sends management groups through the vault's", async () => {
        const recorder = await startMockRuntime({ project: "p", stack: "s", config: {} });
        const { createAzureRegistrationProviders, createAzureProvider } = await import("../../stacks/providers");
        const listed: AzureSubscription = { alias: "corp", subscriptionId: LISTED, tenantId: TENANT, resourceGroups: [] } as unknown as AzureSubscription;
        const configured = new Map([["corp", createAzureProvider(listed)]]);
        const estate = { azureSubscriptions: [listed] } as unknown as Estate;
        const registration = {
            scopes: [
                { kind: "managementGroup", id: "corp-prod", tenantId: TENANT },
                { kind: "subscription", id: OTHER, tenantId: TENANT },
                { kind: "subscription", id: LISTED, tenantId: TENANT },
            ],
            keyVault: { subscriptionId: LISTED, tenantId: TENANT },
        } as unknown as AzureAutoRegistration;
        const providers = createAzureRegistrationProviders(estate, registration, configured);
        await settle();
        assert.equal(providers.vault, configured.get("corp"));
        assert.equal(providers.scopes.get("mg-corp-prod"), providers.vault);
        assert.equal(providers.scopes.get(`sub-${LISTED.slice(0, 8)}`), configured.get("corp"));
        const created = recorder.find("pulumi:providers:azure-native").filter((p) => p.name !== "azure-corp");
        assert.deepEqual(created.map((p) => [p.name, decodeProviderInput(p.inputs.subscriptionId), decodeProviderInput(p.inputs.tenantId)]), [[`azure-sub-${OTHER.slice(0, 8)}`, OTHER, TENANT]]);
    });

    it("names the remediation round after the rotation window's start: stable inside a window, new in the next", async () => {
        const { remediationRound } = await import("../../stacks/azure");
        const day = 86_400_000;
        const start = Math.ceil(Date.UTC(2027, 0, 1) / (14 * day)) * 14 * day;
        assert.equal(remediationRound(new Date(start + 3600_000), 14), remediationRound(new Date(start + 13 * day), 14));
        assert.notEqual(remediationRound(new Date(start + 14 * day), 14), remediationRound(new Date(start), 14));
        assert.equal(remediationRound(new Date(start), 14), new Date(start).toISOString().slice(0, 10).replace(/-/g, ""));
    });
});

describe("stacks/azure: automatic registration alone, at a subscription scope (no listed VMs)", () => {
    const TENANT = "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
    const SCOPE = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";
    const VAULT_SUBSCRIPTION = "5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a";
    let recorder: Awaited<ReturnType<typeof startMockRuntime>>;

    before(async () => {
        const raw = {
            ...validRawConfig(),
            azureSubscriptions: [],
            azure: {
                scope: { subscriptions: [{ subscriptionId: SCOPE, tenantId: TENANT }] },
                autoRegister: {
                    groups: ["Linux"],
                    keyVault: { name: "kv-patching-test", subscriptionId: VAULT_SUBSCRIPTION, tenantId: TENANT, location: "westeurope", allowedIpRanges: ["203.0.113.16/28"] },
                },
            },
        };
        recorder = await startMockRuntime({ project: TEST_CONTEXT.project, stack: TEST_CONTEXT.stack, config: flatConfig(raw) });
        const { loadEstateConfig } = await import("../../stacks/config/estateConfig");
        const { buildEstate } = await import("../../stacks/estate");
        buildEstate(loadEstateConfig());
        await settle();
    });

    const provider = (r: RecordedResource) => recorder.providerOf(r)?.name;

    it("creates the group's activation (limit: autoRegister.registrationLimit, nothing listed), the vault and the policy, and no explicit-mode resources", () => {
        const activations = recorder.find("aws:ssm/activation:Activation");
        assert.deepEqual(activations.map((a) => [(a.inputs.tags as Record<string, string>)["Patch Group"], a.inputs.registrationLimit]), [["Linux", 100]]);
        assert.equal(recorder.find("azure-native:keyvault:Secret").length, 1);
        assert.equal(recorder.find("azure-native:compute:VirtualMachineExtension").length, 0);
        assert.equal(recorder.find("azure-native:resources:TagAtScope").length, 0);
    });

    it("defines and remediates at the subscription through that subscription's own provider; the vault through the vault subscription's", () => {
        const names = recorder.find("pulumi:providers:azure-native").map((p) => [p.name, decodeProviderInput(p.inputs.subscriptionId)]).sort();
        assert.deepEqual(names, [[`azure-sub-${SCOPE.slice(0, 8)}`, SCOPE], [`azure-sub-${VAULT_SUBSCRIPTION.slice(0, 8)}`, VAULT_SUBSCRIPTION]].sort());
        for (const type of ["azure-native:authorization:PolicyDefinition", "azure-native:authorization:PolicySetDefinition", "azure-native:authorization:PolicyAssignment", "azure-native:policyinsights:RemediationAtSubscription"]) {
            const resources = recorder.find(type);
            assert.ok(resources.length > 0, type);
            assert.ok(resources.every((r) => provider(r) === `azure-sub-${SCOPE.slice(0, 8)}`), type);
        }
        assert.ok(recorder.find("azure-native:policyinsights:RemediationAtSubscription").every((r) => r.inputs.resourceDiscoveryMode === "ReEvaluateCompliance"));
        assert.equal(provider(recorder.find("azure-native:keyvault:Vault")[0]), `azure-sub-${VAULT_SUBSCRIPTION.slice(0, 8)}`);
        const [assignment] = recorder.find("azure-native:authorization:PolicyAssignment");
        assert.equal(assignment.inputs.scope, `/subscriptions/${SCOPE}`);
        assert.deepEqual((assignment.inputs.parameters as { osTypes: { value: string[] } }).osTypes.value, ["Linux"]);
    });
});
