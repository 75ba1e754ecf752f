import { strict as assert } from "node:assert";
import { REGISTRATION_EXTENSION_GROUP_TAG, REGISTRATION_EXTENSION_MODE_TAG } from "../../../catalog/azureRegistration";
import { validateAzureAutoRegistrationArgs, type AzureAutoRegistrationArgs } from "../../../components/azure/autoRegistrationArgs";
import { TENANT, validArgs } from "./autoRegistrationFixtures";
import {
    MAX_ASSIGNMENT_PARAMETER_BYTES,
    REGISTRATION_PARAMETERS,
    REGISTRATION_POLICY_FIELDS,
    REGISTRATION_REFERENCE_IDS,
    registrationAssignmentParameters,
    registrationInitiative,
    vmIdentityDefinition,
    vmRegistrationDefinition,
    type RegistrationDefinitionContent,
} from "../../../components/azure/autoRegistrationPolicies";
import { REGISTRATION_ROLE_IDS, registrationRoleAssignmentCondition, registrationRoleAssignmentName, scopedRoleDefinitionId } from "../../../components/azure/autoRegistrationRoles";
import { FORCE_UPDATE_PARAMETER, registrationTemplate, TEMPLATE_PARAMETER_NAMES, type ArmTemplate } from "../../../components/azure/autoRegistrationTemplate";
import { autoRegisterProtectedSetting } from "../../../components/azure/autoRegisterScript";
import { AGENT_EXTENSIONS, agentProtectedSettings, committedAgentSigningKey, renderAgentScript, scriptTemplate } from "../../../components/azure/azureAgentScript";
import { AGENT_EXTENSION_NAME } from "../../../components/azure/azureSsmAgent";

// Conditions of the policy language ("Conditions", definition-structure-policy-rule).
const OPERATORS = new Set(["equals", "notEquals", "like", "notLike", "match", "matchInsensitively", "notMatch", "notMatchInsensitively", "contains", "notContains", "in", "notIn", "containsKey", "notContainsKey", "less", "lessOrEquals", "greater", "greaterOrEquals", "exists"]);
const TAG_FIELD = /^\[concat\('tags\[', parameters\('[A-Za-z]+'\), '\]'\)\]$|^tags\['[^']+'\]$/;

/** Walks an if/existenceCondition: logical operators nest, leaves have one subject and one operator. */
function checkCondition(node: unknown, path: string, fields: string[]): void {
    assert.ok(node !== null && typeof node === "object" && !Array.isArray(node), `${path}: a condition is an object`);
    const entries = Object.entries(node);
    const logical = entries.filter(([key]) => ["allOf", "anyOf", "not"].includes(key));
    if (logical.length > 0) {
        assert.equal(entries.length, 1, `${path}: a logical operator stands alone`);
        const [[key, value]] = logical;
        if (key === "not") {
            return checkCondition(value, `${path}.not`, fields);
        }
        assert.ok(Array.isArray(value) && value.length >= 1, `${path}.${key} is a non-empty array`);
        value.forEach((child, i) => checkCondition(child, `${path}.${key}[${i}]`, fields));
        return;
    }
    const subjects = entries.filter(([key]) => key === "field" || key === "value");
    const operators = entries.filter(([key]) => OPERATORS.has(key));
    assert.equal(subjects.length, 1, `${path}: exactly one of field/value (${JSON.stringify(node)})`);
    assert.equal(operators.length, 1, `${path}: exactly one operator (${JSON.stringify(node)})`);
    assert.equal(entries.length, 2, `${path}: nothing else (${JSON.stringify(node)})`);
    if (subjects[0][0] === "field") {
        fields.push(String(subjects[0][1]));
    }
}

/** `parameters('x')` / `variables('x')` references in every string below `value`, not entering `skip`. */
function references(value: unknown, fn: "parameters" | "variables", skip?: unknown): Set<string> {
    const found = new Set<string>();
    const walk = (node: unknown): void => {
        if (node === skip) {
            return;
        }
        if (typeof node === "string") {
            for (const match of node.matchAll(new RegExp(`${fn}\\('([^']+)'\\)`, "g"))) {
                found.add(match[1]);
            }
        } else if (Array.isArray(node)) {
            node.forEach(walk);
        } else if (node !== null && typeof node === "object") {
            Object.values(node).forEach(walk);
        }
    };
    walk(value);
    return found;
}

/** A template is structurally deployable: schema, contentVersion, every reference declared, every declared parameter used. */
function checkTemplate(template: ArmTemplate, label: string): void {
    assert.match(template.$schema, /^https:\/\/schema\.management\.azure\.com\/schemas\/\d{4}-\d{2}-\d{2}\/deploymentTemplate\.json#$/, `${label}: $schema`);
    assert.equal(template.contentVersion, "1.0.0.0", `${label}: contentVersion`);
    const nested = template.resources.filter((r) => r.type === "Microsoft.Resources/deployments").map((r) => (r.properties as { template: ArmTemplate }).template);
    const own = { ...template, resources: template.resources.map((r) => (r.type === "Microsoft.Resources/deployments" ? { ...r, properties: { ...(r.properties as object), template: undefined } } : r)) };
    const used = references(own, "parameters");
    for (const name of used) {
        assert.ok(name in template.parameters, `${label}: parameters('${name}') is declared`);
    }
    assert.deepEqual([...Object.keys(template.parameters)].sort(), [...used].sort(), `${label}: every declared parameter is used`);
    for (const name of references(own, "variables")) {
        assert.ok(template.variables !== undefined && name in template.variables, `${label}: variables('${name}') is declared`);
    }
    for (const resource of template.resources) {
        assert.ok(typeof resource.type === "string" && typeof resource.apiVersion === "string" && typeof resource.name === "string", `${label}: ${String(resource.type)} has type, apiVersion, name`);
        assert.match(String(resource.apiVersion), /^\d{4}-\d{2}-\d{2}$/, `${label}: GA apiVersion`);
    }
    nested.forEach((inner, i) => checkTemplate(inner, `${label} nested[${i}]`));
}

/**
 * A small evaluator of the policy language for the conditions these rules use (fields by alias,
 * `[parameters()]`, `contains()`, `requestContext().apiVersion`; equals/in/like/exists/
 * greaterOrEquals, case-insensitive as Azure Policy compares strings), to check what the rules
 * match on the request content Azure evaluates.
 */
function evaluateIf(node: unknown, resource: Record<string, unknown>, parameters: Record<string, unknown>, apiVersion = "2024-11-01"): boolean {
    const condition = node as Record<string, unknown>;
    if ("allOf" in condition) return (condition.allOf as unknown[]).every((child) => evaluateIf(child, resource, parameters, apiVersion));
    if ("anyOf" in condition) return (condition.anyOf as unknown[]).some((child) => evaluateIf(child, resource, parameters, apiVersion));
    if ("not" in condition) return !evaluateIf(condition.not, resource, parameters, apiVersion);
    const expression = (text: string): unknown => {
        const contains = /^\[contains\(parameters\('(\w+)'\), '(\w+)'\)\]$/.exec(text);
        if (contains) return String((parameters[contains[1]] as string[]).includes(contains[2]));
        const parameter = /^\[parameters\('(\w+)'\)\]$/.exec(text);
        if (parameter) return parameters[parameter[1]];
        if (text === "[requestContext().apiVersion]") return apiVersion;
        return text;
    };
    const fieldValue = (field: string): unknown => {
        const tag = /^\[concat\('tags\[', parameters\('(\w+)'\), '\]'\)\]$/.exec(field);
        if (tag) return (resource.tags as Record<string, string>)[String(parameters[tag[1]])];
        const literalTag = /^tags\['(.+)'\]$/.exec(field);
        if (literalTag) return (resource.tags as Record<string, string> | undefined)?.[literalTag[1]];
        if (field.startsWith("Microsoft.Compute/virtualMachines/extensions/")) return (resource.properties as Record<string, unknown>)[field.slice("Microsoft.Compute/virtualMachines/extensions/".length)];
        const path = field.startsWith("Microsoft.Compute/virtualMachines/") ? ["properties", ...field.slice("Microsoft.Compute/virtualMachines/".length).split(".")] : field.split(".");
        return path.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], resource);
    };
    const subject = "field" in condition ? fieldValue(String(condition.field)) : expression(String(condition.value));
    const lower = (v: unknown) => String(v).toLowerCase();
    if ("exists" in condition) return (subject !== undefined) === (condition.exists === "true");
    if ("equals" in condition) return subject !== undefined && lower(subject) === lower(expression(String(condition.equals)));
    if ("in" in condition) return (expression(String(condition.in)) as string[]).map(lower).includes(lower(subject));
    if ("like" in condition) return subject !== undefined && new RegExp(`^${String(condition.like).replace(/\*/g, ".*")}$`, "i").test(String(subject));
    if ("greaterOrEquals" in condition) return String(subject) >= String(condition.greaterOrEquals);
    throw new Error(`evaluateIf: unsupported condition ${JSON.stringify(condition)}`);
}

function ruleOf(content: RegistrationDefinitionContent) {
    return content.policyRule as { if: unknown; then: { effect: string; details: Record<string, unknown> } };
}

describe("components/autoRegistrationPolicies: the policy definitions", () => {
    for (const [label, build] of [["identity (modify)", vmIdentityDefinition], ["registration (deployIfNotExists)", vmRegistrationDefinition]] as const) {
        it(`${label}: if/existenceCondition use only documented aliases, with allOf/anyOf and one operator per leaf`, () => {
            const content = build();
            const fields: string[] = [];
            checkCondition(ruleOf(content).if, "if", fields);
            const existence = ruleOf(content).then.details.existenceCondition;
            if (existence !== undefined) {
                checkCondition(existence, "existenceCondition", fields);
            }
            for (const field of fields) {
                assert.ok((REGISTRATION_POLICY_FIELDS as readonly string[]).includes(field) || TAG_FIELD.test(field), `undocumented field ${field}`);
            }
        });

        it(`${label}: every parameter the rule references is declared, and every declared one is used`, () => {
            const content = build();
            const template = ruleOf(content).then.details.deployment as { properties: { template: unknown } } | undefined;
            const used = references(content.policyRule, "parameters", template?.properties.template);
            assert.deepEqual([...used].sort(), Object.keys(content.parameters).sort());
            assert.ok(Object.keys(content.parameters).length <= 20, "Azure Policy: at most 20 parameters per definition");
        });

        it(`${label}: demands Virtual Machine Contributor and nothing broader`, () => {
            assert.deepEqual(ruleOf(build()).then.details.roleDefinitionIds, ["/providers/Microsoft.Authorization/roleDefinitions/9980e02c-c2be-4d73-94e8-173b1dc7cf3c"]);
        });
    }

    const linuxGroup = { tagName: "Patch Group", patchGroup: "Linux", osTypes: ["Linux"] };
    const windowsGroup = { tagName: "Patch Group", patchGroup: "Windows", osTypes: ["Windows"] };
    const vm = (tags: Record<string, string>, properties: Record<string, unknown>, identity?: { type: string }) => ({ type: "Microsoft.Compute/virtualMachines", tags, properties, ...(identity ? { identity } : {}) });
    const fromLinuxImage = { osProfile: { computerName: "web", linuxConfiguration: {} }, storageProfile: { imageReference: { publisher: "Canonical" }, osDisk: { createOption: "FromImage" } } };
    const fromWindowsDisk = { storageProfile: { osDisk: { createOption: "Attach", osType: "Windows" } } };
    const cases: [string, () => RegistrationDefinitionContent, Record<string, unknown>, ReturnType<typeof vm>, boolean][] = [
        ["registration: a Linux VM created from an image (no osType in the request) in a Linux group", vmRegistrationDefinition, linuxGroup, vm({ "Patch Group": "Linux" }, fromLinuxImage), true],
        ["registration: a Linux VM tagged for a Windows-only group", vmRegistrationDefinition, windowsGroup, vm({ "Patch Group": "Windows" }, fromLinuxImage), false],
        ["registration: a Windows VM from a specialized disk (osType only)", vmRegistrationDefinition, windowsGroup, vm({ "Patch Group": "Windows" }, fromWindowsDisk), true],
        ["registration: a VM tagged with another group", vmRegistrationDefinition, linuxGroup, vm({ "Patch Group": "AppA" }, fromLinuxImage), false],
        ["registration: an untagged VM", vmRegistrationDefinition, linuxGroup, vm({}, fromLinuxImage), false],
        ["identity: a tagged VM without identity", vmIdentityDefinition, linuxGroup, vm({ "Patch Group": "Linux" }, fromLinuxImage), true],
        ["identity: a tagged VM with identity None", vmIdentityDefinition, linuxGroup, vm({ "Patch Group": "Linux" }, fromLinuxImage, { type: "None" }), true],
        ["identity: a tagged VM that has a system-assigned identity", vmIdentityDefinition, linuxGroup, vm({ "Patch Group": "Linux" }, fromLinuxImage, { type: "SystemAssigned" }), false],
        ["identity: a tagged VM with only a user-assigned identity (left alone)", vmIdentityDefinition, linuxGroup, vm({ "Patch Group": "Linux" }, fromLinuxImage, { type: "UserAssigned" }), false],
        ["identity: an untagged VM", vmIdentityDefinition, linuxGroup, vm({}, fromLinuxImage), false],
    ];
    for (const [label, build, parameters, resource, expected] of cases) {
        it(`if matches ${label}: ${expected}`, () => assert.equal(evaluateIf(ruleOf(build()).if, resource, parameters), expected));
    }

    it("identity: adds SystemAssigned only where the VM has no identity (the built-in 3cf2ab00's condition)", () => {
        const rule = ruleOf(vmIdentityDefinition());
        assert.equal(rule.then.effect, "modify");
        assert.deepEqual(rule.then.details.operations, [{ operation: "addOrReplace", field: "identity.type", value: "SystemAssigned" }]);
        const conditions = (rule.if as { allOf: unknown[] }).allOf;
        assert.deepEqual(conditions.at(-1), { anyOf: [{ field: "identity.type", exists: "false" }, { field: "identity.type", equals: "None" }] });
    });

    it("registration: deployIfNotExists on the agent extension, redeployed when it failed or carries another group's tag", () => {
        const details = ruleOf(vmRegistrationDefinition()).then.details;
        assert.equal(ruleOf(vmRegistrationDefinition()).then.effect, "deployIfNotExists");
        assert.deepEqual([details.type, details.name, details.evaluationDelay], ["Microsoft.Compute/virtualMachines/extensions", AGENT_EXTENSION_NAME, "AfterProvisioning"]);
        const extension = (provisioningState: string, tags: Record<string, string>) => ({ properties: { provisioningState }, tags });
        const exists = (resource: Record<string, unknown>) => evaluateIf(details.existenceCondition, resource, { patchGroup: "Linux" });
        assert.equal(exists(extension("Succeeded", { [REGISTRATION_EXTENSION_GROUP_TAG]: "Linux" })), true, "registered in this group");
        assert.equal(exists(extension("Failed", { [REGISTRATION_EXTENSION_GROUP_TAG]: "Linux" })), false, "a failed run is redeployed");
        assert.equal(exists(extension("Succeeded", { [REGISTRATION_EXTENSION_GROUP_TAG]: "Windows" })), false, "a moved VM is redeployed");
        assert.equal(exists(extension("Succeeded", {})), false, "an extension of the same name from elsewhere is replaced");
        // A listed VM's extension belongs to Pulumi: never overwritten, even when it failed.
        const explicit = { [REGISTRATION_EXTENSION_GROUP_TAG]: "Windows", [REGISTRATION_EXTENSION_MODE_TAG.key]: REGISTRATION_EXTENSION_MODE_TAG.explicit };
        assert.equal(exists(extension("Failed", explicit)), true);
    });

    it("registration: the deployment passes exactly the template's parameters, the VM's own from field()", () => {
        const deployment = (ruleOf(vmRegistrationDefinition()).then.details.deployment as { properties: { mode: string; template: ArmTemplate; parameters: Record<string, { value: string }> } }).properties;
        assert.equal(deployment.mode, "incremental");
        // Every template parameter without a default; the only defaulted one is FORCE_UPDATE_PARAMETER.
        const required = Object.entries(deployment.template.parameters).filter(([, parameter]) => parameter.defaultValue === undefined).map(([name]) => name);
        assert.deepEqual(Object.keys(deployment.parameters).sort(), required.sort());
        assert.ok(!(FORCE_UPDATE_PARAMETER in deployment.parameters), "the policy leaves forceUpdateTag to its utcNow() default");
        assert.deepEqual(Object.keys(deployment.parameters).sort(), [...TEMPLATE_PARAMETER_NAMES].sort());
        assert.equal(deployment.parameters.vmName.value, "[field('name')]");
        assert.equal(deployment.parameters.location.value, "[field('location')]");
        assert.equal(deployment.parameters.secretName.value, "[parameters('secretName')]");
    });
});

describe("components/autoRegistrationTemplate: the deployIfNotExists template", () => {
    const template = registrationTemplate();
    const resource = (type: string) => template.resources.find((r) => r.type === type) as Record<string, unknown> & { properties: Record<string, unknown> };

    it("is structurally valid: schema, contentVersion, every parameters()/variables() reference declared (outer and nested template)", () => {
        checkTemplate(template, "outer");
    });

    it("the checker catches an undeclared parameter (so the check above can fail)", () => {
        const broken = { ...template, parameters: Object.fromEntries(Object.entries(template.parameters).filter(([name]) => name !== "secretName")) };
        assert.throws(() => checkTemplate(broken, "broken"), /parameters\('secretName'\) is declared/);
    });

    it("deploys the agent extension under the shared name, with the publisher/type of AGENT_EXTENSIONS per OS and the group tag", () => {
        const extension = resource("Microsoft.Compute/virtualMachines/extensions");
        assert.equal(extension.name, `[concat(parameters('vmName'), '/${AGENT_EXTENSION_NAME}')]`);
        assert.deepEqual(extension.tags, { [REGISTRATION_EXTENSION_GROUP_TAG]: "[parameters('patchGroup')]" });
        assert.deepEqual((template.variables as { extensions: unknown }).extensions, { Linux: { ...AGENT_EXTENSIONS.linux }, Windows: { ...AGENT_EXTENSIONS.windows } });
        assert.deepEqual(extension.properties.settings, {}, "nothing in the public settings");
        assert.match(String(extension.properties.protectedSettings), /createObject\('commandToExecute', parameters\('windowsCommand'\)\), createObject\('script', parameters\('linuxScript'\)\)/);
        assert.deepEqual([template.parameters.linuxScript.type, template.parameters.windowsCommand.type], ["securestring", "securestring"]);
        // The OS family from the provisioned VM (a create request from an image has no osType).
        for (const property of ["publisher", "type", "typeHandlerVersion", "protectedSettings"]) {
            assert.ok(String(extension.properties[property]).includes("reference(variables('vmId'), '2024-11-01').storageProfile.osDisk.osType"), property);
        }
    });

    it("re-runs the extension on every deployment (a Failed registration is retried, not re-sent unchanged): forceUpdateTag from a utcNow() default", () => {
        const extension = resource("Microsoft.Compute/virtualMachines/extensions");
        assert.equal(extension.properties.forceUpdateTag, `[parameters('${FORCE_UPDATE_PARAMETER}')]`);
        // utcNow() is valid only as a parameter's defaultValue (ARM date functions).
        assert.deepEqual([template.parameters[FORCE_UPDATE_PARAMETER].type, template.parameters[FORCE_UPDATE_PARAMETER].defaultValue], ["string", "[utcNow()]"]);
        assert.ok(!(TEMPLATE_PARAMETER_NAMES as readonly string[]).includes(FORCE_UPDATE_PARAMETER), "no policy parameter feeds it");
    });

    it("grants the VM's identity Key Vault Secrets User on its group's secret only, before the extension runs", () => {
        const nested = resource("Microsoft.Resources/deployments");
        assert.deepEqual([nested.subscriptionId, nested.resourceGroup], ["[parameters('vaultSubscriptionId')]", "[parameters('vaultResourceGroup')]"]);
        assert.deepEqual(nested.properties.expressionEvaluationOptions, { scope: "inner" });
        assert.match(String((nested.properties.parameters as { principalId: { value: string } }).principalId.value), /^\[reference\(variables\('vmId'\), '[\d-]+', 'full'\)\.identity\.principalId\]$/);
        const [role] = (nested.properties.template as ArmTemplate).resources;
        assert.equal(role.type, "Microsoft.Authorization/roleAssignments");
        assert.equal(role.scope, "[format('Microsoft.KeyVault/vaults/{0}/secrets/{1}', parameters('vaultName'), parameters('secretName'))]", "the secret, not the vault");
        assert.match(String((role.properties as { roleDefinitionId: string }).roleDefinitionId), new RegExp(`'${REGISTRATION_ROLE_IDS.keyVaultSecretsUser}'\\)\\]$`));
        assert.match(String(role.name), /^\[guid\(parameters\('vmId'\), resourceId\('Microsoft\.KeyVault\/vaults\/secrets', parameters\('vaultName'\), parameters\('secretName'\)\), parameters\('principalId'\)\)\]$/);
        assert.equal((role.properties as { principalType: string }).principalType, "ServicePrincipal");
        const extension = resource("Microsoft.Compute/virtualMachines/extensions");
        assert.ok(String((extension.dependsOn as string[])[0]).includes(String(nested.name).slice(1, -1)), "the extension waits for the secret access");
    });
});

describe("components/autoRegistrationPolicies: the initiative and the assignment parameters", () => {
    const initiative = registrationInitiative({ identity: "/providers/x/policyDefinitions/identity", registration: "/providers/x/policyDefinitions/registration" });

    it("passes each definition exactly its own parameters, all declared on the initiative", () => {
        const definitions = { [REGISTRATION_REFERENCE_IDS.identity]: vmIdentityDefinition(), [REGISTRATION_REFERENCE_IDS.registration]: vmRegistrationDefinition() };
        assert.deepEqual(initiative.policyDefinitions.map((d) => d.policyDefinitionReferenceId).sort(), Object.keys(definitions).sort());
        for (const reference of initiative.policyDefinitions) {
            const definition = definitions[reference.policyDefinitionReferenceId];
            assert.deepEqual(Object.keys(reference.parameters).sort(), Object.keys(definition.parameters).sort());
            for (const [name, value] of Object.entries(reference.parameters)) {
                assert.equal(value.value, `[parameters('${name}')]`);
                assert.ok(name in initiative.parameters);
            }
        }
    });

    it("assignment parameters cover every initiative parameter (those without a default must be set)", () => {
        const parameters = registrationAssignmentParameters({
            tagName: "Patch Group",
            patchGroup: "Linux",
            osFamilies: ["linux"],
            vault: { subscriptionId: "s", resourceGroup: "rg", name: "kv" },
            secretName: "secret",
            linuxScript: "c2g=",
        });
        assert.deepEqual(Object.keys(parameters).sort(), Object.keys(REGISTRATION_PARAMETERS).sort());
        assert.deepEqual(parameters.osTypes.value, ["Linux"]);
        assert.equal(parameters.windowsCommand.value, "", "a Linux-only group passes the declared default");
    });
});

describe("components/autoRegistrationRoles: roles and the ABAC condition", () => {
    it("limits the assignment identity's role assignments to Key Vault Secrets User for service principals, on write and delete", () => {
        const condition = registrationRoleAssignmentCondition();
        const guids = [...condition.matchAll(/GuidEquals \{([^}]*)\}/g)].map((m) => m[1]);
        assert.deepEqual(guids, [REGISTRATION_ROLE_IDS.keyVaultSecretsUser, REGISTRATION_ROLE_IDS.keyVaultSecretsUser]);
        assert.match(condition, /^\(\(!\(ActionMatches\{'Microsoft\.Authorization\/roleAssignments\/write'\}\)\) OR \(@Request\[/);
        assert.match(condition, / AND \(\(!\(ActionMatches\{'Microsoft\.Authorization\/roleAssignments\/delete'\}\)\) OR \(@Resource\[/);
        assert.equal((condition.match(/PrincipalType\] ForAnyOfAnyValues:StringEqualsIgnoreCase \{'ServicePrincipal'\}/g) ?? []).length, 2);
        assert.equal(condition.split("(").length, condition.split(")").length, "balanced parentheses");
    });

    it("names role assignments deterministically per (scope, assignment, role) and scopes role ids to the subscription", () => {
        const a = registrationRoleAssignmentName("/providers/Microsoft.Management/managementGroups/mg", "ssmreg-1", REGISTRATION_ROLE_IDS.virtualMachineContributor);
        assert.equal(a, registrationRoleAssignmentName("/providers/Microsoft.Management/managementGroups/mg", "ssmreg-1", REGISTRATION_ROLE_IDS.virtualMachineContributor));
        assert.notEqual(a, registrationRoleAssignmentName("/providers/Microsoft.Management/managementGroups/mg", "ssmreg-2", REGISTRATION_ROLE_IDS.virtualMachineContributor));
        assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.equal(scopedRoleDefinitionId("/subscriptions/s1/resourceGroups/rg", "r"), "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/r");
        assert.equal(scopedRoleDefinitionId("/providers/Microsoft.Management/managementGroups/mg", "r"), "/providers/Microsoft.Authorization/roleDefinitions/r");
    });
});

describe("components/autoRegistrationArgs: validation", () => {
    it("accepts the valid arguments", () => assert.doesNotThrow(() => validateAzureAutoRegistrationArgs(validArgs())));

    const cases: [string, (args: AzureAutoRegistrationArgs) => AzureAutoRegistrationArgs, RegExp][] = [
        ["a management group id with a space", (a) => ({ ...a, scope: { ...a.scope, id: "mg workloads" } }), /scope: management group id "mg workloads" is not 1-90/],
        ["a management group id ending in '.'", (a) => ({ ...a, scope: { ...a.scope, id: "mg." } }), /management group id "mg\."/],
        ["a subscription scope that is no UUID", (a) => ({ ...a, scope: { kind: "subscription", id: "corp", tenantId: TENANT } }), /scope: subscription id "corp" is not a UUID/],
        ["a scope in another tenant than the vault", (a) => ({ ...a, scope: { ...a.scope, tenantId: "00000000-0000-4000-8000-000000000000" } }), /is not the vault's tenant/],
        ["a display-style location", (a) => ({ ...a, location: "West Europe" }), /location "West Europe" is not an Azure location name/],
        ["a tag key with '/'", (a) => ({ ...a, patchGroupTagKey: "patch/group" }), /patchGroupTagKey "patch\/group" is not an Azure tag name/],
        ["no groups", (a) => ({ ...a, groups: [] }), /groups: none/],
        ["a group twice", (a) => ({ ...a, groups: [a.groups[0], a.groups[0]] }), /groups: Linux is listed twice/],
        ["a group without OS families", (a) => ({ ...a, groups: [{ ...a.groups[0], osFamilies: [] }] }), /group Linux: osFamilies \[\] is not a non-empty list/],
        ["a Linux group without its script", (a) => ({ ...a, groups: [{ ...a.groups[0], linuxScript: undefined }] }), /group Linux: linuxScript is missing but the group registers linux VMs/],
        ["a Windows group without its command", (a) => ({ ...a, groups: [a.groups[1], { ...a.groups[1], patchGroup: "W2", windowsCommand: "" }] }), /group W2: windowsCommand is missing/],
        ["oversized scripts", (a) => ({ ...a, groups: [{ ...a.groups[0], linuxScript: "A".repeat(MAX_ASSIGNMENT_PARAMETER_BYTES) }] }), /group Linux: assignment parameters are \d+ bytes, over the 262144 kept/],
        ["a remediation round that is no date", (a) => ({ ...a, remediationRound: "round-1" }), /remediationRound "round-1" is not YYYYMMDD/],
    ];
    for (const [label, mutate, message] of cases) {
        it(`rejects ${label}`, () => assert.throws(() => validateAzureAutoRegistrationArgs(mutate(validArgs())), message));
    }
});

describe("components/autoRegistration: sizes stay inside Azure Policy's limits", () => {
    it("a group's assignment with both real-size scripts, and each definition, are far below 1 MB", () => {
        // The explicit-mode scripts stand in for the auto-register ones (same structure, the
        // signing key embedded); the auto-register variant adds the vault read.
        const values = { region: "eu-west-2", activationId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", activationCode: "AbCdEfGhIjKlMnOpQrSt" };
        const linux = agentProtectedSettings("linux", renderAgentScript(scriptTemplate("linux"), values, committedAgentSigningKey())).script;
        const windows = agentProtectedSettings("windows", renderAgentScript(scriptTemplate("windows"), values)).commandToExecute;
        const args = validArgs();
        const both = { ...args, groups: [{ patchGroup: "Mixed", osFamilies: ["linux", "windows"] as const, secretName: "s", linuxScript: linux, windowsCommand: windows }] };
        assert.doesNotThrow(() => validateAzureAutoRegistrationArgs(both));
        for (const definition of [vmIdentityDefinition(), vmRegistrationDefinition()]) {
            assert.ok(Buffer.byteLength(JSON.stringify(definition)) < 64 * 1024);
        }
    });

    it("the auto-register protected settings use the explicit mode's encoding per OS", () => {
        const values = { patchGroup: "Linux", vaultName: "kv-patching", secretName: "s" };
        const linux = autoRegisterProtectedSetting("linux", values, committedAgentSigningKey());
        assert.match(Buffer.from(linux, "base64").toString("utf8"), /^#!/);
        assert.match(autoRegisterProtectedSetting("windows", values), /^powershell\.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand [A-Za-z0-9+/=]+$/);
    });
});
