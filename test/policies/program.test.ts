import { strict as assert } from "node:assert";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { evaluateProgram } from "../../tools/plan/evaluate";
import { readPolicyConfigFile, resolvePolicyConfig } from "../../tools/plan/policyConfig";
import { PACK_POLICIES, runPolicies, type PolicyViolation } from "../../tools/plan/policyRun";
import { resolveScopes } from "../../tools/plan/scopes";

const ROOT = path.resolve(__dirname, "..", "..");

async function packOver(directory: string, stack: string, program: string, configFile: string, preview = false): Promise<PolicyViolation[]> {
    const evaluation = await evaluateProgram({ directory, stack, program, preview });
    const config = resolvePolicyConfig(PACK_POLICIES, readPolicyConfigFile(configFile), configFile);
    return runPolicies(evaluation.recorder, { config, scopes: resolveScopes(evaluation.recorder) });
}

const show = (violations: readonly PolicyViolation[]) => violations.map((v) => `[${v.level}] ${v.policy} ${v.name ?? ""}: ${v.message}`).join("\n");

describe("the policy pack over whole estates", function () {
    this.timeout(120_000);

    for (const stack of ["dev", "prod"]) {
        for (const preview of [false, true]) {
            it(`finds no mandatory violation in the program's own ${stack} estate${preview ? " (preview)" : ""}`, async () => {
                const violations = await packOver(ROOT, stack, path.join(ROOT, "index.ts"), path.join(ROOT, "policies", `config.${stack}.json`), preview);
                assert.deepEqual(show(violations.filter((v) => v.level === "mandatory")), "");
            });
        }
    }

    describe("a deliberately bad estate", () => {
        let violations: PolicyViolation[];
        let scratch: string;

        before(async () => {
            scratch = mkdtempSync(path.join(tmpdir(), "bad-estate-"));
            copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(scratch, "Pulumi.yaml"));
            const config = {
                "multicloud-patching:environment": "prod",
                "multicloud-patching:centralAccount": "bad",
                "multicloud-patching:accounts": [
                    { alias: "bad", id: "111111111111", regions: ["us-west-2"] },
                    { alias: "forgotten", id: "222222222222", regions: ["eu-west-2"] },
                ],
                "multicloud-patching:patchGroups": [
                    {
                        name: "Linux",
                        operatingSystems: ["AMAZON_LINUX_2023"],
                        approveAfterDays: { dev: 3, prod: 7 },
                        // Issue 19: one exception long expired, one expiring within the week.
                        baselines: {
                            AMAZON_LINUX_2023: {
                                rejectedPatches: [
                                    { id: "kernel-6.1.0", reason: "driver regression", expires: "2020-01-31" },
                                    { id: "openssl-3.0.8", reason: "vendor hold", expires: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10) },
                                ],
                            },
                        },
                    },
                ],
            };
            writeFileSync(path.join(scratch, "Pulumi.bad.yaml"), stringify({ config }));
            violations = await packOver(scratch, "bad", path.join(__dirname, "fixtures", "badEstate.ts"), path.join(ROOT, "policies", "config.prod.json"));
            if (process.env["SHOW_BAD_ESTATE"]) {
                console.log(show(violations));
            }
        });

        after(() => rmSync(scratch, { recursive: true, force: true }));

        it("makes every policy of the pack fire, at the prod config's mandatory level", () => {
            // Advisory in the prod config by design: the rollout brake check (issue 17), the expiry warning (issue 19).
            const level = (name: string) => (["rollout-prod-installs-gated", "patch-exception-expiring"].includes(name) ? "advisory" : "mandatory");
            const silent = PACK_POLICIES.map((p) => p.name).filter((name) => !violations.some((v) => v.policy === name && v.level === level(name)));
            assert.deepEqual(silent, [], show(violations));
        });

        it("rejects the public bucket and the 400-day baseline with messages naming them", () => {
            const lines = show(violations);
            assert.match(lines, /\[mandatory\] s3-bucket-public-access-blocked public-bucket-access: bucket bad-public-bucket does not block public access: blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets not true/);
            assert.match(lines, /\[mandatory\] iam-no-public-principal public-bucket-policy: public-bucket-policy: statement "PublicRead" allows "Principal": "\*" without a condition/);
            assert.match(lines, /\[mandatory\] patch-baseline-approve-after-days slow: approval rule 1 of patch baseline patching-Slow-AMAZON_LINUX_2023 approves after 400 days; allowed: 0-30/);
            assert.match(lines, /\[mandatory\] estate-coverage : forgotten 222222222222: no AWS provider pinned to the account/);
        });

        it("catches what the pack used to miss: forceDestroy on a protected bucket, public ACLs, an untagged VM created in the stack", () => {
            const lines = show(violations);
            assert.match(lines, /\[mandatory\] s3-bucket-no-force-destroy protected-bucket: protected-bucket sets forceDestroy/);
            assert.match(lines, /\[mandatory\] s3-bucket-no-public-acl public-bucket: public-bucket makes its data public: canned ACL "public-read"/);
            assert.match(lines, /\[mandatory\] s3-bucket-no-public-acl protected-bucket-acl: protected-bucket-acl makes its data public: READ to AllUsers/);
            assert.match(lines, /\[mandatory\] azure-vm-patch-group-tag az-bad-03: VM az-bad-03 is created without "Patch Group", "PatchGroup"/);
        });

        it("does not flag the agent extension of a VM tagged through its own tags", () => {
            assert.deepEqual(violations.filter((v) => /good-agent|az-good-01/.test(`${v.name} ${v.message}`)).map((v) => v.message), []);
            assert.match(show(violations), /\[mandatory\] azure-vm-extension-target-tagged agent: VM extension agent targets az-bad-02/);
        });

        it("catches the regressions the new IAM policies guard: no boundary, AmazonSSMAutomationRole, unconditioned account roots, an open bus", () => {
            const lines = show(violations);
            assert.match(lines, /\[mandatory\] iam-role-permissions-boundary execution-role: role AWS-SystemsManager-AutomationExecutionRole has no permissions boundary; every program role must carry arn:aws:iam::111111111111:policy\/multicloud-patching-boundary/);
            assert.match(lines, /\[mandatory\] iam-aws-managed-policy-allowed execution-automation: execution-automation attaches AWS managed policy service-role\/AmazonSSMAutomationRole to role AWS-SystemsManager-AutomationExecutionRole/);
            assert.match(lines, /\[mandatory\] iam-account-principal-conditioned execution-role: execution-role: statement "CentralRoot" grants to every principal of account 111111111111 without a condition/);
            assert.match(lines, /\[mandatory\] iam-account-principal-conditioned forwarding-bus-policy: forwarding-bus-policy: statement "Members" grants to every principal of account 222222222222/);
            assert.match(lines, /\[mandatory\] event-bus-policy-principal-condition forwarding-bus-policy: forwarding-bus-policy: statement "Members" allows "events:PutEvents" without a principal condition/);
        });

        it("places each violation in the scope of its resource", () => {
            const bucketViolation = violations.find((v) => v.policy === "s3-bucket-versioned");
            assert.equal(bucketViolation?.scope, "aws bad (111111111111) us-west-2");
            assert.equal(violations.find((v) => v.policy === "estate-coverage")?.scope, "estate");
        });
    });
});
