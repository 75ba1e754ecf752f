import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { accountTemplate, regionalTemplate, templateBody } from "../../../components/organization/templates";
import { ACCOUNT_ID_MARKER, REGION_MARKER, resolveSub, sub, type CfnTemplate } from "../../../components/organization/cloudFormation";
import { dataSyncBucketPolicy } from "../../../components/storage/storageDocuments";
import { IDENTITY_IDS } from "../../../components/identity/cfn";
import { LOG_BUCKET_IDS } from "../../../components/storage/cfn";
import { startMoto, type MotoServer } from "../../../tools/moto";
import { contextFor, ENFORCER_TEST_CODE_KEY, stackEstate } from "./templateContext";
import { resolveConditions } from "./cfnConditions";
import { templateContext, organizationPatchGroups, organizationRegions } from "../../../stacks/awsOrganization";
import { COMPLIANCE_IDS } from "../../../components/compliance/cfn";
import { FORWARDING_IDS } from "../../../components/notifications/cfn";
import { ENFORCER_IDS } from "../../../components/enforcer/cfn";
import { artifactBucketName } from "../../../catalog/naming";

const run = promisify(execFile);

/** moto's default account: what ${AWS::AccountId} resolves to in the emulator. */
const MOTO_ACCOUNT = "123456789012";
const REGION = "eu-west-2";
/** dev's regional template goes to another Region of the same emulator (its names would collide with prod's in eu-west-2). */
const DEV_REGION = "us-west-2";

/**
 * Resource types of the templates moto's CloudFormation does not implement: it warns and skips
 * them (the stack still completes). Listed so a moto release that adds one makes this test say so.
 */
const MOTO_SKIPPED_TYPES = ["AWS::Config::ConfigRule", "AWS::ResourceGroups::Group", "AWS::S3::BucketPolicy", "AWS::SSM::Association", "AWS::SSM::PatchBaseline", "AWS::SSM::ResourceDataSync"];
/** dev records Config and remediates: moto's CloudFormation implements none of AWS Config's types. */
const MOTO_SKIPPED_TYPES_DEV = [...MOTO_SKIPPED_TYPES, "AWS::Config::ConfigurationRecorder", "AWS::Config::DeliveryChannel", "AWS::Config::RemediationConfiguration"].sort();

type Json = Record<string, unknown>;

/** A document with an IAM policy variable: the organization variant of the data-sync bucket policy. */
const escapeProbe = (account: string, region: string) => dataSyncBucketPolicy(`patching-inventory-sync-${account}-${region}`, "inventory", { kind: "organization", organizationId: "o-abcdefghij" });

describe("organization templates: cfn-lint and a CloudFormation deployment into moto", function () {
    this.timeout(180_000);
    let directory: string;
    const templates: Record<string, { template: CfnTemplate; file: string; regions: readonly string[] }> = {};

    before(() => {
        directory = mkdtempSync(path.join(tmpdir(), "patching-org-templates-"));
        for (const stack of ["prod", "dev", "org"]) {
            const estate = stackEstate(stack);
            const member = estate.members[estate.members.length - 1];
            // org: the StackSets' own context (every target Region, the organization's patch groups).
            const ctx =
                stack === "org"
                    ? templateContext(estate, { regions: organizationRegions(estate), patchGroups: organizationPatchGroups(estate), enforcerCodeS3Key: ENFORCER_TEST_CODE_KEY })
                    : contextFor(estate, member, stack === "prod" ? "arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555" : undefined);
            for (const [kind, template] of [["account", accountTemplate(ctx)], ["regional", regionalTemplate(ctx)]] as const) {
                const file = path.join(directory, `${stack}-${kind}.json`);
                writeFileSync(file, templateBody(template));
                templates[`${stack}-${kind}`] = { template, file, regions: ctx.regions };
            }
        }
    });

    after(() => rmSync(directory, { recursive: true, force: true }));

    it("every rendered template passes cfn-lint with no error and no warning", async () => {
        for (const [name, { file, regions }] of Object.entries(templates)) {
            // cfn-lint exits non-zero on findings; its JSON report is on stdout either way.
            const result = await run("cfn-lint", ["--format", "json", "--regions", ...regions, "--", file]).catch((error: { stdout?: string; message: string }) => {
                if (error.stdout === undefined || error.stdout === "") {
                    throw new Error(`cfn-lint could not run on ${name}: ${error.message}`);
                }
                return { stdout: error.stdout };
            });
            const findings = JSON.parse(result.stdout === "" ? "[]" : result.stdout) as { Rule: { Id: string }; Level: string; Message: string }[];
            assert.deepEqual(
                findings.map((f) => `${f.Level} ${f.Rule.Id}: ${f.Message}`),
                [],
                `${name}: cfn-lint findings`,
            );
        }
    });

    describe("CreateStack in moto_server (prod's templates)", () => {
        let moto: MotoServer;
        let deployed: {
            stacks: Record<string, { create: unknown; status: string; resources: { id: string; type: string; physical: string }[] }>;
            roles: Record<string, { trust: Json; boundary?: string; inline: Record<string, Json>; attached: string[] }>;
            policies: Record<string, { arn: string; document: Json }>;
            instanceProfiles: Record<string, string[]>;
            eventRules: Record<string, { pattern: Json | null; schedule: string | null; state: string; targets: { id: string; arn: string; roleArn: string | null }[] }>;
            functions: Record<string, { role: string; runtime: string; handler: string; timeout: number; memory: number; environment: Record<string, string>; policy: { Statement: Json[] } }>;
            logGroups: Record<string, number | null>;
            configRules: string[];
            buckets: Record<string, { encryption: Json[] }>;
            documents: Record<string, { type: string; format: string; content: Json }>;
            kmsAliases: string[];
            parameters: Record<string, string>;
        };
        const at = { accountId: MOTO_ACCOUNT, region: REGION };
        const props = (key: string, id: string) => resolveSub(templates[key].template.Resources[id].Properties, at) as Json;
        /** Conditions resolved for the Region too (the Regional template's Config rules). */
        const inRegion = (key: string, id: string, where = at) => resolveSub(resolveConditions(templates[key].template, where.region)[id].Properties, where) as Json;
        let devDeployed: typeof deployed;

        before(async () => {
            moto = await startMoto();
            // The member templates hold no IAM policy variable today: a third stack proves that
            // CloudFormation's Fn::Sub turns the escaped `${!aws:SourceAccount}` back into the
            // variable while resolving the markers (a real builder's document, kept as a parameter).
            const escape = path.join(directory, "escape.json");
            writeFileSync(escape, JSON.stringify({ AWSTemplateFormatVersion: "2010-09-09", Resources: { Escaped: { Type: "AWS::SSM::Parameter", Properties: { Name: "/patching/escape", Type: "String", Value: sub(JSON.stringify(escapeProbe(ACCOUNT_ID_MARKER, REGION_MARKER))) } } } }));
            const stacks = [`patching-account=${templates["prod-account"].file}`, `patching-regional=${templates["prod-regional"].file}`, `patching-escape=${escape}`];
            // The enforcer's code: the central account's artifacts bucket of the Region, as the central stack publishes it.
            const artifact = (central: string, region: string) => `s3://${artifactBucketName(central, region)}/${ENFORCER_TEST_CODE_KEY}`;
            const script = path.join(__dirname, "deployTemplates.py");
            const { stdout } = await run("python3", [script, moto.endpoint, REGION, artifact(stackEstate("prod").central.account.id, REGION), ...stacks], { maxBuffer: 64 * 1024 * 1024 });
            deployed = JSON.parse(stdout) as typeof deployed;
            const dev = await run("python3", [script, moto.endpoint, DEV_REGION, artifact(stackEstate("dev").central.account.id, DEV_REGION), `patching-dev-regional=${templates["dev-regional"].file}`], { maxBuffer: 64 * 1024 * 1024 });
            devDeployed = JSON.parse(dev.stdout) as typeof deployed;
        });

        after(async () => {
            await moto?.stop();
        });

        it("both stacks complete; every resource type moto implements is created, the others are the known skipped ones", () => {
            for (const [name, key] of [["patching-account", "prod-account"], ["patching-regional", "prod-regional"]] as const) {
                const stack = deployed.stacks[name];
                assert.equal(stack.create, "ok", JSON.stringify(stack.create));
                assert.equal(stack.status, "CREATE_COMPLETE");
                const created = new Set(stack.resources.filter((r) => r.id !== "").map((r) => r.id));
                const resources = Object.entries(templates[key].template.Resources);
                const skipped = [...new Set(resources.filter(([id]) => !created.has(id)).map(([, r]) => r.Type))].sort();
                assert.deepEqual(skipped, name === "patching-account" ? [] : MOTO_SKIPPED_TYPES, `${name}: types moto skipped`);
            }
            const dev = devDeployed.stacks["patching-dev-regional"];
            assert.equal(dev.status, "CREATE_COMPLETE", JSON.stringify(dev.create));
            const created = new Set(dev.resources.filter((r) => r.id !== "").map((r) => r.id));
            const resources = Object.entries(resolveConditions(templates["dev-regional"].template, DEV_REGION));
            assert.deepEqual([...new Set(resources.filter(([id]) => !created.has(id)).map(([, r]) => r.Type))].sort(), MOTO_SKIPPED_TYPES_DEV, "dev: types moto skipped");
            assert.deepEqual(devDeployed.configRules, [], "no Config rule reached moto's Config");
        });

        it("IAM: roles with the boundary, the trust and inline policies the template renders (Fn::Sub resolved by CloudFormation)", () => {
            for (const id of [IDENTITY_IDS.executionRole, IDENTITY_IDS.instanceRole, IDENTITY_IDS.hybridRole]) {
                const expected = props("prod-account", id);
                const role = deployed.roles[expected.RoleName as string];
                assert.ok(role, `role ${String(expected.RoleName)} exists`);
                assert.equal(role.boundary, `arn:aws:iam::${MOTO_ACCOUNT}:policy/multicloud-patching-boundary`);
                assert.deepEqual(role.trust, expected.AssumeRolePolicyDocument);
                const inline = Object.fromEntries((expected.Policies as { PolicyName: string; PolicyDocument: Json }[]).map((p) => [p.PolicyName, p.PolicyDocument]));
                assert.deepEqual(role.inline, inline);
                // moto's CloudFormation Role does not apply ManagedPolicyArns (nothing is attached
                // in the emulator); AmazonSSMManagedInstanceCore is proven by the identity test.
                assert.deepEqual(role.attached, []);
            }
            for (const id of [IDENTITY_IDS.boundary, IDENTITY_IDS.logWriter]) {
                const expected = props("prod-account", id);
                assert.deepEqual(deployed.policies[expected.ManagedPolicyName as string]?.document, expected.PolicyDocument, String(expected.ManagedPolicyName));
            }
            assert.deepEqual(deployed.instanceProfiles, { "patching-managed-node": ["patching-managed-node"] });
        });

        it("S3 and KMS: both log buckets under their account/Region names, SSE-KMS with the template's key and alias", () => {
            // The artifacts bucket is the central stack's (created by the test as the enforcer's code source).
            const logBuckets = Object.entries(deployed.buckets).filter(([name]) => !name.startsWith("patching-artifacts-"));
            assert.deepEqual(logBuckets.map(([name]) => name).sort(), [`patching-inventory-logs-${MOTO_ACCOUNT}-${REGION}`, `patching-patch-logs-${MOTO_ACCOUNT}-${REGION}`]);
            const patchLogs = deployed.stacks["patching-regional"].resources.find((r) => r.id === LOG_BUCKET_IDS.bucket("patch"));
            assert.equal(patchLogs?.physical, `patching-patch-logs-${MOTO_ACCOUNT}-${REGION}`);
            const key = deployed.stacks["patching-regional"].resources.find((r) => r.id === LOG_BUCKET_IDS.key);
            for (const [, bucket] of logBuckets) {
                const rule = bucket.encryption[0] as { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: string; KMSMasterKeyID: string } };
                assert.equal(rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm, "aws:kms");
                assert.ok(rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID.endsWith(`:key/${key?.physical}`), rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID);
            }
            assert.deepEqual(deployed.kmsAliases, ["alias/patching-logs"]);
        });

        it("Fn::Sub in a real CloudFormation implementation: markers resolved, the escaped IAM policy variable kept literally", () => {
            assert.equal(deployed.stacks["patching-escape"].status, "CREATE_COMPLETE");
            const value = deployed.parameters["/patching/escape"];
            assert.ok(value.includes("${aws:SourceAccount}"), value);
            assert.deepEqual(JSON.parse(value), escapeProbe(MOTO_ACCOUNT, REGION));
        });

        it("SSM: both runbooks as Automation documents with the template's content", () => {
            const documents = Object.values(templates["prod-regional"].template.Resources).filter((r) => r.Type === "AWS::SSM::Document");
            assert.equal(documents.length, 2);
            for (const document of documents) {
                const actual = deployed.documents[document.Properties.Name as string];
                assert.ok(actual, String(document.Properties.Name));
                assert.equal(actual.type, "Automation");
                assert.deepEqual(actual.content, document.Properties.Content);
            }
        });

        it("IAM: the forwarder, enforcer and (dev) Config recorder roles with the boundary, trust and inline policies the template renders", () => {
            for (const [found, key, id, where] of [
                [deployed, "prod-regional", FORWARDING_IDS.role, at],
                [deployed, "prod-regional", ENFORCER_IDS.role, at],
                [devDeployed, "dev-regional", COMPLIANCE_IDS.recorderRole, { accountId: MOTO_ACCOUNT, region: DEV_REGION }],
            ] as const) {
                const expected = inRegion(key, id, where);
                const role = found.roles[expected.RoleName as string];
                assert.ok(role, `role ${String(expected.RoleName)} exists`);
                assert.ok(String(expected.RoleName).endsWith(where.region), "named per Region (IAM is global)");
                assert.equal(role.boundary, `arn:aws:iam::${MOTO_ACCOUNT}:policy/multicloud-patching-boundary`);
                assert.deepEqual(role.trust, expected.AssumeRolePolicyDocument);
                assert.deepEqual(role.inline, Object.fromEntries((expected.Policies as { PolicyName: string; PolicyDocument: Json }[]).map((p) => [p.PolicyName, p.PolicyDocument])));
            }
        });

        it("EventBridge: the forwarding rules (patch runs, NON_COMPLIANT) and the enforcer's rules with the template's patterns, schedule and targets", () => {
            const ids = [FORWARDING_IDS.automationRule, FORWARDING_IDS.runCommandRule, COMPLIANCE_IDS.forwardRule, ENFORCER_IDS.rule("running"), ENFORCER_IDS.rule("sweep")];
            const roleArn = (id: string) => `arn:aws:iam::${MOTO_ACCOUNT}:role/${String(inRegion("prod-regional", id).RoleName)}`;
            const functionArn = `arn:aws:lambda:${REGION}:${MOTO_ACCOUNT}:function:${String(inRegion("prod-regional", ENFORCER_IDS.function).FunctionName)}`;
            assert.deepEqual(Object.keys(deployed.eventRules).sort(), ids.map((id) => inRegion("prod-regional", id).Name as string).sort());
            for (const id of ids) {
                const expected = inRegion("prod-regional", id);
                const rule = deployed.eventRules[expected.Name as string];
                assert.equal(rule.state, "ENABLED");
                assert.deepEqual(rule.pattern, expected.EventPattern ?? null, `${id} pattern`);
                assert.equal(rule.schedule, expected.ScheduleExpression ?? null, `${id} schedule`);
                const targets = (expected.Targets as { Id: string; Arn: unknown; RoleArn?: { "Fn::GetAtt": [string, string] } }[]).map((t) => ({
                    id: t.Id,
                    arn: typeof t.Arn === "string" ? t.Arn : functionArn,
                    roleArn: t.RoleArn === undefined ? null : roleArn(t.RoleArn["Fn::GetAtt"][0]),
                }));
                assert.deepEqual(rule.targets, targets, `${id} targets`);
            }
            const central = `arn:aws:events:us-east-1:${stackEstate("prod").central.account.id}:event-bus/patching-patch-runs`;
            assert.equal(deployed.eventRules["patching-forward-non-compliant"].targets[0].arn, central, "NON_COMPLIANT changes go to the central bus");
        });

        it("Lambda: the enforcer from the artifacts bucket's key, with the template's runtime, settings, environment, log group and one permission per rule", () => {
            const expected = inRegion("prod-regional", ENFORCER_IDS.function);
            const fn = deployed.functions[expected.FunctionName as string];
            assert.ok(fn, "function created from the uploaded bundle");
            assert.deepStrictEqual(
                { role: fn.role, runtime: fn.runtime, handler: fn.handler, timeout: fn.timeout, memory: fn.memory, environment: fn.environment },
                {
                    role: `arn:aws:iam::${MOTO_ACCOUNT}:role/${String(inRegion("prod-regional", ENFORCER_IDS.role).RoleName)}`,
                    runtime: expected.Runtime,
                    handler: expected.Handler,
                    timeout: expected.Timeout,
                    memory: expected.MemorySize,
                    environment: (expected.Environment as { Variables: Json }).Variables,
                },
            );
            const group = inRegion("prod-regional", ENFORCER_IDS.logGroup);
            assert.equal(deployed.logGroups[group.LogGroupName as string], group.RetentionInDays);
            const sources = fn.policy.Statement.map((statement) => ({ principal: statement.Principal, action: statement.Action, source: (statement.Condition as { ArnLike: Json }).ArnLike["AWS:SourceArn"] }));
            assert.deepEqual(
                sources,
                ["running", "sweep"].map((key) => ({ principal: { Service: "events.amazonaws.com" }, action: "lambda:InvokeFunction", source: `arn:aws:events:${REGION}:${MOTO_ACCOUNT}:rule/${String(inRegion("prod-regional", ENFORCER_IDS.rule(key)).Name)}` })),
            );
        });

        it("SSM (dev): the remediation wrapper runbook as an Automation document with the template's content", () => {
            const expected = inRegion("dev-regional", COMPLIANCE_IDS.remediationDocument, { accountId: MOTO_ACCOUNT, region: DEV_REGION });
            const document = devDeployed.documents[expected.Name as string];
            assert.ok(document, String(expected.Name));
            assert.equal(document.type, "Automation");
            assert.deepEqual(document.content, expected.Content);
        });
    });
});
