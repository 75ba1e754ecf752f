import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { lambdaCodeArchive } from "../../../components/assets/lambdaArchive";
import type { LambdaBundle } from "../../../components/assets/lambdaBundle";
import { OrganizationArtifacts } from "../../../components/organization/organizationArtifacts";
import { enforcerCodeKey } from "../../../components/organization/artifactDocuments";
import { plainValue } from "../../../tools/mock/plainValues";
import { settle, startMockRuntime } from "../../../tools/mock/runtime";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** A stand-in resource that only carries a deployment package. */
class Packaged extends pulumi.CustomResource {
    constructor(name: string, code: pulumi.asset.Archive) {
        super("test:index:Packaged", name, { code });
    }
}

describe("components/assets/lambdaArchive: a bundle on disk as the deployment package", () => {
    const scratch = mkdtempSync(path.join(tmpdir(), "lambda-archive-"));
    const bundleOf = (name: string, code: string): LambdaBundle => {
        const file = path.join(scratch, name);
        writeFileSync(file, code);
        return { file, sha256: sha256(code), bytes: Buffer.byteLength(code) };
    };
    after(() => rmSync(scratch, { recursive: true, force: true }));

    it("sends the bundle as a file (its path, not its text) and the plan summarises it by the digest of its bytes", async () => {
        const code = "exports.handler = async () => 'é';\n"; // non-ASCII: bytes, not characters
        const bundle = bundleOf("a.js", code);
        const recorder = await startMockRuntime({ project: "p", stack: "s", config: {} });
        new Packaged("from-file", lambdaCodeArchive(bundle));
        new Packaged("from-text", lambdaCodeArchive(code));
        await settle();
        const summary = (name: string) => (recorder.get("test:index:Packaged", name).inputs["code"] as { $archive: Record<string, unknown> }).$archive;
        assert.deepEqual(summary("from-file"), { "index.js": { $asset: "file", bytes: bundle.bytes, sha256: bundle.sha256 } });
        // The same bytes as text: same size and digest (the engine's identity of an asset), only the kind differs.
        assert.deepEqual(summary("from-text"), { "index.js": { $asset: "text", bytes: bundle.bytes, sha256: bundle.sha256 } });
        assert.doesNotMatch(JSON.stringify(summary("from-file")), new RegExp(scratch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")), "no machine-specific path in the plan");
    });

    it("a changed file is a changed digest; an unreadable one says so", () => {
        const wire = (file: string) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialAssetSig, path: file });
        const bundle = bundleOf("b.js", "exports.handler = 1;\n");
        const before = plainValue(wire(bundle.file));
        writeFileSync(bundle.file, "exports.handler = 2;\n");
        const after = plainValue(wire(bundle.file)) as { sha256: string };
        assert.notDeepEqual(after, before);
        assert.equal(after.sha256, sha256("exports.handler = 2;\n"));
        assert.match((plainValue(wire(path.join(scratch, "missing.js"))) as { unreadable: string }).unreadable, /ENOENT/);
    });

    it("organization mode uploads the same package from a bundle on disk, under the key of its text", async () => {
        const code = "exports.handler = async () => {};";
        const bundle = bundleOf("org.js", code);
        const recorder = await startMockRuntime({ project: "multicloud-patching", stack: "org", config: {} });
        const artifacts = new OrganizationArtifacts("org-artifacts", {
            centralAccountId: "111111111111",
            organizationId: "o-abcdefghij",
            centralRegion: "us-east-1",
            enforcer: { code: bundle, regions: ["eu-west-2"] },
            retention: { transitionAfterDays: 30, transitionStorageClass: "STANDARD_IA", expireAfterDays: 365, noncurrentVersionExpireAfterDays: 30 },
        });
        await settle();
        assert.equal(artifacts.enforcerCodeKey, enforcerCodeKey(code));
        const [object] = recorder.find("aws:s3/bucketObjectv2:BucketObjectv2");
        assert.deepEqual(object.inputs["source"], { $archive: { "index.js": { $asset: "file", bytes: bundle.bytes, sha256: bundle.sha256 } } });
    });
});
