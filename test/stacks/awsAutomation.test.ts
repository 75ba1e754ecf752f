import { strict as assert } from "node:assert";
import { AUTOMATION_DOCUMENT_NAMES, parseDocument } from "../../components/runbooks/patchAutomationDocuments";
import { evaluatedStack } from "../fixtures/programEvaluations";
import type { Evaluation } from "../../tools/plan/evaluate";

const ACCOUNTS = { security: "111111111111", "shared-services": "222222222222", application: "333333333333" } as const;
const MEMBER_REGIONS = ["us-west-2", "eu-west-2"];

describe("patch runbooks wired into the prod estate", () => {
    let evaluation: Evaluation;
    const documents = () => evaluation.recorder.find("aws:ssm/document:Document");
    const locationOf = (r: { inputs: Record<string, unknown> }) => `${evaluation.recorder.providerOf(r as never)?.name} ${String(r.inputs.region)}`;

    before(async () => {
        evaluation = await evaluatedStack("prod");
    });

    it("creates both runbooks under the same names in every member location and in the central Region", () => {
        const expected = [...Object.keys(ACCOUNTS).flatMap((alias) => MEMBER_REGIONS.map((region) => `aws-${alias} ${region}`)), "aws-security us-east-1"].sort();
        for (const name of Object.values(AUTOMATION_DOCUMENT_NAMES)) {
            const located = documents().filter((d) => d.inputs.name === name);
            assert.deepEqual(located.map(locationOf).sort(), expected, name);
            assert.ok(located.every((d) => d.inputs.documentType === "Automation" && d.inputs.documentFormat === "YAML"));
            // Children started by NAME resolve it in their own account and Region (no ARN, no sharing).
            const content = parseDocument(String(located[0].inputs.content));
            assert.ok(located.every((d) => JSON.stringify(parseDocument(String(d.inputs.content))) === JSON.stringify(content)), "the same content everywhere");
        }
    });

    it("sends patch output to a log bucket that exists in each member location and the instance role may write", () => {
        for (const [alias, id] of Object.entries(ACCOUNTS)) {
            const writable = JSON.parse(evaluation.recorder.get("aws:iam/rolePolicy:RolePolicy", `${alias}-managed-node-roles-instance-log-buckets`).inputs.policy as string).Statement[0].Resource as string[];
            for (const region of MEMBER_REGIONS) {
                const runbook = documents().find((d) => d.inputs.name === AUTOMATION_DOCUMENT_NAMES.runPatchBaseline && locationOf(d) === `aws-${alias} ${region}`);
                assert.ok(runbook);
                const buckets = parseDocument(String(runbook.inputs.content))
                    .mainSteps.flatMap((step) => (typeof step.inputs.OutputS3BucketName === "string" ? [step.inputs.OutputS3BucketName] : []))
                    .map((bucket) => bucket.replaceAll("{{global:ACCOUNT_ID}}", id).replaceAll("{{global:REGION}}", region));
                assert.ok(buckets.length > 0, "the runbook uploads command output");
                for (const bucket of buckets) {
                    assert.equal(evaluation.recorder.find("aws:s3/bucket:Bucket").filter((b) => b.inputs.bucket === bucket && locationOf(b) === `aws-${alias} ${region}`).length, 1, `${bucket} exists there`);
                    assert.ok(writable.includes(`arn:aws:s3:::${bucket}/*`), `instance role may write ${bucket}`);
                }
            }
        }
    });
});
