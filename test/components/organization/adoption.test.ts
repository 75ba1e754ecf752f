import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { adoptionTemplate, resourcesToImport } from "../../../components/organization/adoption";
import { regionalTemplate, templateBody } from "../../../components/organization/templates";
import { LOG_BUCKET_IDS } from "../../../components/storage/cfn";
import type { CfnTemplate } from "../../../components/organization/cloudFormation";
import { contextFor, stackEstate } from "./templateContext";

/** Moving a configured account into organization mode: the import change set for its retained resources (issue 16). */
describe("components/organization/adoption: adopting the retained log buckets and key", () => {
    const estate = stackEstate("prod");
    const member = estate.members.find((m) => m.alias === "application") ?? estate.members[0];
    const regional = regionalTemplate(contextFor(estate, member));
    const adoption = adoptionTemplate(regional);
    const AT = { accountId: member.id, region: "eu-west-2", logKeyId: "11111111-2222-3333-4444-555555555555" };

    it("keeps exactly the Regional template's retained resources, unchanged", () => {
        const retained = Object.entries(regional.Resources).filter(([, r]) => r.DeletionPolicy === "Retain");
        assert.ok(retained.length >= 5, "two buckets, two policies, the key (and its alias) when SSE-KMS");
        assert.deepEqual(adoption.Resources, Object.fromEntries(retained));
        assert.ok(Object.values(adoption.Resources).every((r) => r.UpdateReplacePolicy === "Retain"));
    });

    it("names every resource by its import identifier, resolved for the account and Region", () => {
        const entries = resourcesToImport(regional, AT);
        const byId = Object.fromEntries(entries.map((e) => [e.LogicalResourceId, [e.ResourceType, e.ResourceIdentifier]]));
        assert.deepEqual(byId[LOG_BUCKET_IDS.bucket("patch")], ["AWS::S3::Bucket", { BucketName: `patching-patch-logs-${member.id}-eu-west-2` }]);
        assert.deepEqual(byId[LOG_BUCKET_IDS.bucket("inventory")], ["AWS::S3::Bucket", { BucketName: `patching-inventory-logs-${member.id}-eu-west-2` }]);
        const policies = entries.filter((e) => e.ResourceType === "AWS::S3::BucketPolicy").map((e) => e.ResourceIdentifier.Bucket).sort();
        assert.deepEqual(policies, [`patching-inventory-logs-${member.id}-eu-west-2`, `patching-patch-logs-${member.id}-eu-west-2`]);
        assert.deepEqual(byId[LOG_BUCKET_IDS.key], ["AWS::KMS::Key", { KeyId: AT.logKeyId }]);
        assert.deepEqual(byId[LOG_BUCKET_IDS.keyAlias], ["AWS::KMS::Alias", { AliasName: "alias/patching-logs" }]);
        assert.equal(entries.length, Object.keys(adoption.Resources).length);
    });

    it("refuses without the key id (not derivable from the template) and for a retained type it cannot identify", () => {
        assert.throws(() => resourcesToImport(regional, { accountId: member.id, region: "eu-west-2" }), /adoption: .* is a KMS key; give its key id/);
        const odd: CfnTemplate = { ...regional, Resources: { Odd: { Type: "AWS::SQS::Queue", DeletionPolicy: "Retain", Properties: {} } } };
        assert.throws(() => resourcesToImport(odd, AT), /adoption: Odd is a retained AWS::SQS::Queue, which has no import identifier here/);
    });

    it("is a template cfn-lint accepts with no finding", () => {
        const directory = mkdtempSync(path.join(tmpdir(), "patching-adoption-"));
        try {
            const file = path.join(directory, "adoption.json");
            writeFileSync(file, templateBody(adoption));
            const lint = spawnSync("cfn-lint", ["--format", "json", "--regions", "eu-west-2", "--", file], { encoding: "utf8" });
            assert.ok(lint.error === undefined, `cfn-lint could not run: ${String(lint.error)}`);
            assert.deepEqual(JSON.parse(lint.stdout === "" ? "[]" : lint.stdout), []);
        } finally {
            rmSync(directory, { recursive: true, force: true });
        }
    });
});
