import { strict as assert } from "node:assert";
import * as path from "node:path";
import { AZURE_NODE_TAG, AZURE_VM_INVENTORY_DEFAULTS, AZURE_VM_INVENTORY_NAMES, azureVmInventoryAssociationSettings, validateAzureVmInventoryArgs } from "../../../components/inventory/azureVmInventory";
import { azureVmInventoryDocument } from "../../../components/inventory/azureVmInventoryDocument";
import type { RecordedResource } from "../../../tools/mock/recorder";
import { loadEstate } from "../../../tools/ops/estate";
import type { Evaluation } from "../../../tools/plan/evaluate";
import { hasAzureVms } from "../../../stacks/azureVms";
import { evaluatedStack } from "../../fixtures/programEvaluations";
import { apiProblems } from "./apiValidation";

const ROOT = path.resolve(__dirname, "..", "..", "..");

describe("components/inventory AzureVmInventory: document and association", () => {
    it("is a schema 2.2 Command document with one step per OS, each behind a platformType precondition", () => {
        const document = azureVmInventoryDocument("Patch Group");
        assert.equal(document.schemaVersion, "2.2");
        assert.deepEqual(document.mainSteps.map((s) => [s.action, s.precondition]), [
            ["aws:runShellScript", { StringEquals: ["platformType", "Linux"] }],
            ["aws:runPowerShellScript", { StringEquals: ["platformType", "Windows"] }],
        ]);
        // Document names of steps: letters, digits, _ and - (SSM document syntax), unique.
        assert.ok(document.mainSteps.every((s) => /^[A-Za-z0-9_-]+$/.test(s.name)));
        // {{ … }} would be read as a document parameter by SSM: the scripts must hold none.
        assert.doesNotMatch(JSON.stringify(document), /\{\{/);
        assert.ok(Buffer.byteLength(JSON.stringify(document)) < 64 * 1024, "SSM document content limit 64 KB");
        assert.match(document.mainSteps[1].inputs.runCommand.join("\n"), /Where-Object \{ \$_\.name -eq 'Patch Group' \}/);
        assert.match(document.mainSteps[1].inputs.runCommand.join("\n"), /New-Object System\.Text\.UTF8Encoding \$false/, "no BOM: the agent's JSON parser rejects one");
    });

    it("targets the Azure node tag only (State Manager targets: InstanceIds or tag:), daily", () => {
        assert.deepEqual(azureVmInventoryAssociationSettings({}), {
            associationName: "patching-azure-vm-inventory",
            targets: [{ key: `tag:${AZURE_NODE_TAG.key}`, values: [AZURE_NODE_TAG.value] }],
            scheduleExpression: "rate(1 day)",
            maxConcurrency: AZURE_VM_INVENTORY_DEFAULTS.maxConcurrency,
            maxErrors: AZURE_VM_INVENTORY_DEFAULTS.maxErrors,
        });
        assert.throws(() => validateAzureVmInventoryArgs({ region: "eu-west-2", patchGroupTagKey: "Patch Group", schedule: "rate(10 minutes)" }), /^Error: AzureVmInventory: schedule "rate\(10 minutes\)" runs more often than every 30 minutes/);
        assert.throws(() => validateAzureVmInventoryArgs({ region: "eu-west-2", patchGroupTagKey: "" }), /patchGroupTagKey "" is not an Azure tag name of 1-512 characters/);
    });

    it("is what CreateDocument and CreateAssociation accept (botocore's SSM model)", () => {
        const settings = azureVmInventoryAssociationSettings({});
        const document = { Name: AZURE_VM_INVENTORY_NAMES.document, Content: JSON.stringify(azureVmInventoryDocument("Patch Group"), null, 2), DocumentType: "Command", DocumentFormat: "JSON" };
        assert.deepEqual(apiProblems("ssm", "CreateDocument", document), []);
        const association = {
            Name: AZURE_VM_INVENTORY_NAMES.document,
            AssociationName: settings.associationName,
            Targets: settings.targets.map((t) => ({ Key: t.key, Values: t.values })),
            ScheduleExpression: settings.scheduleExpression,
            MaxConcurrency: settings.maxConcurrency,
            MaxErrors: settings.maxErrors,
            DocumentVersion: "1",
        };
        assert.deepEqual(apiProblems("ssm", "CreateAssociation", association), []);
        // The check can fail: a target key with a character the Target.Key pattern refuses.
        assert.equal(apiProblems("ssm", "CreateAssociation", { ...association, Targets: [{ Key: "tag:a*b", Values: ["x"] }] }).length, 1);
    });

    it("exists only when the estate has Azure VMs (explicit, or automatic registration)", () => {
        const prod = loadEstate(ROOT, "prod");
        assert.equal(hasAzureVms(prod), true);
        assert.equal(hasAzureVms({ ...prod, azureSubscriptions: [], azureAutoRegistration: undefined }), false);
        assert.equal(hasAzureVms({ ...prod, azureSubscriptions: prod.azureSubscriptions.map((s) => ({ ...s, resourceGroups: s.resourceGroups.map((g) => ({ ...g, vms: [] })) })), azureAutoRegistration: undefined }), false);
    });
});

describe("Custom:AzureVm in the prod program", () => {
    let evaluation: Evaluation;
    const providerName = (r: RecordedResource) => evaluation.recorder.providerOf(r)?.name;

    before(async () => {
        evaluation = await evaluatedStack("prod");
    });

    it("creates the document and its association in the hybrid home (application, eu-west-2)", () => {
        const document = evaluation.recorder.get("aws:ssm/document:Document", "application-eu-west-2-azure-vm-inventory-document");
        const association = evaluation.recorder.get("aws:ssm/association:Association", "application-eu-west-2-azure-vm-inventory-association");
        for (const resource of [document, association]) {
            assert.deepEqual([providerName(resource), resource.inputs.region], ["aws-application", "eu-west-2"]);
        }
        assert.deepEqual([document.inputs.documentType, document.inputs.documentFormat, document.inputs.name], ["Command", "JSON", "patching-AzureVmInventory"]);
        assert.deepEqual(JSON.parse(String(document.inputs.content)), azureVmInventoryDocument("Patch Group"));
        assert.deepEqual(association.inputs.targets, [{ key: "tag:patching:node-origin", values: ["azure" ] }]);
        assert.equal(association.inputs.scheduleExpression, "rate(1 day)");
    });

    it("adds the Custom:AzureVm table, the compliance view and the Azure named query to the central reporting", () => {
        const table = evaluation.recorder.get("aws:glue/catalogTable:CatalogTable", "security-reporting-azure-custom_azurevm");
        assert.match(String((table.inputs.parameters as Record<string, string>)["storage.location.template"]), /\/\$\{accountid\}\/Custom:AzureVm\/accountid=\$\{accountid\}\//);
        const view = evaluation.recorder.get("aws:glue/catalogTable:CatalogTable", "security-reporting-azure-azure_vm_patch_compliance");
        assert.equal(view.inputs.tableType, "VIRTUAL_VIEW");
        const query = evaluation.recorder.get("aws:athena/namedQuery:NamedQuery", "security-reporting-azure-non-compliant-azure-vms");
        assert.equal(query.inputs.name, "patching-non-compliant-azure-vms-by-subscription-and-resource-group");
    });

    it("keeps the gather-inventory association collecting custom inventory (customInventory left at its default, Enabled)", () => {
        // The hybrid home is a member location (config cross-check), so it has the gather-inventory
        // association that uploads the file and the sync that carries it to the central bucket.
        const inHome = (r: RecordedResource) => providerName(r) === "aws-application" && r.inputs.region === "eu-west-2";
        assert.equal(evaluation.recorder.find("aws:ssm/association:Association").filter((a) => a.inputs.name === "AWS-GatherSoftwareInventory" && inHome(a)).length, 1);
        assert.equal(evaluation.recorder.find("aws:ssm/resourceDataSync:ResourceDataSync").filter(inHome).length, 1);
        for (const association of evaluation.recorder.find("aws:ssm/association:Association").filter((a) => a.inputs.name === "AWS-GatherSoftwareInventory")) {
            const parameters = (association.inputs.parameters ?? {}) as Record<string, string>;
            assert.notEqual(parameters.customInventory, "Disabled", association.name);
        }
    });
});
