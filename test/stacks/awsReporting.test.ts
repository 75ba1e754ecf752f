import { strict as assert } from "node:assert";
import { evaluatedStack } from "../fixtures/programEvaluations";
import type { Evaluation } from "../../tools/plan/evaluate";


describe("compliance reporting wired into the prod estate", () => {
    let evaluation: Evaluation;

    before(async () => {
        evaluation = await evaluatedStack("prod");
    });

    it("projects every member account and Region over the central inventory bucket, without crawlers", () => {
        const tables = evaluation.recorder.find("aws:glue/catalogTable:CatalogTable");
        assert.ok(tables.length >= 5);
        // The Azure compliance view (prod has Azure VMs) is a VIRTUAL_VIEW: no location, no projection;
        // the SLA history (patch_first_missing) lives unpartitioned in the results bucket.
        for (const table of tables.filter((t) => t.inputs.tableType !== "VIRTUAL_VIEW" && t.inputs.name !== "patch_first_missing")) {
            assert.equal(evaluation.recorder.providerOf(table)?.name, "aws-security");
            assert.equal(table.inputs.region, "us-east-1");
            const parameters = table.inputs.parameters as Record<string, string>;
            assert.equal(parameters["projection.enabled"], "true");
            assert.deepEqual(parameters["projection.accountid.values"].split(",").sort(), ["111111111111", "222222222222", "333333333333"]);
            assert.deepEqual(parameters["projection.region.values"].split(",").sort(), ["eu-west-2", "us-west-2"]);
            assert.match(parameters["storage.location.template"], /^s3:\/\/patching-inventory-sync-111111111111-us-east-1\/inventory\/\$\{accountid\}\/(AWS|Custom):[A-Za-z]+\/accountid=\$\{accountid\}\/region=\$\{region\}\/resourcetype=\$\{resourcetype\}/);
        }
        assert.equal(evaluation.recorder.resources.filter((r) => r.type.startsWith("aws:glue/crawler")).length, 0);
    });

    it("runs the named queries in a workgroup that enforces encrypted results", () => {
        const workgroup = evaluation.recorder.find("aws:athena/workgroup:Workgroup")[0];
        const configuration = workgroup.inputs.configuration as { enforceWorkgroupConfiguration: boolean; resultConfiguration: { encryptionConfiguration: { encryptionOption: string } } };
        assert.equal(configuration.enforceWorkgroupConfiguration, true);
        assert.equal(configuration.resultConfiguration.encryptionConfiguration.encryptionOption, "SSE_KMS", "prod log storage is SSE-KMS");
        const queries = evaluation.recorder.find("aws:athena/namedQuery:NamedQuery");
        assert.equal(queries.length, 7, "the four reports, the Azure one (prod has Azure VMs), the patch-SLA and the digest queries");
        assert.ok(queries.every((q) => q.inputs.workgroup === workgroup.inputs.name));
        const notReporting = queries.find((q) => q.inputs.name === "patching-nodes-not-reporting");
        assert.match(String(notReporting?.inputs.query), /INTERVAL '7' DAY/, "notReportingDays (default 7) reaches the SQL");
        assert.ok(queries.every((q) => String(q.inputs.query).includes("patching_inventory_prod.")), "queries name the prod database");
    });

    it("lets report readers decrypt the central inventory key", () => {
        const reader = evaluation.recorder.find("aws:iam/policy:Policy").find((p) => String(p.inputs.name).startsWith("patching-reporting-reader"));
        assert.ok(reader);
        const statements = JSON.parse(String(reader.inputs.policy)).Statement as { Action: string | string[]; Resource: string | string[] }[];
        const decrypt = statements.find((s) => [s.Action].flat().includes("kms:Decrypt"));
        assert.ok(decrypt && [decrypt.Resource].flat().some((arn) => arn.includes(":key/security-inventory-data-key-key")));
    });
});
