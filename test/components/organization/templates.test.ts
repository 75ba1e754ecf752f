import { strict as assert } from "node:assert";
import { accountTemplate, mergeResources, MAX_TEMPLATE_BODY_BYTES, regionalTemplate, templateSize, type TemplateContext } from "../../../components/organization/templates";
import { ACCOUNT_ID_MARKER, escapeForSub, REGION_MARKER, resolveSub, sub, type CfnTemplate } from "../../../components/organization/cloudFormation";
import { IDENTITY_IDS } from "../../../components/identity/cfn";
import { LOG_BUCKET_IDS } from "../../../components/storage/cfn";
import { INVENTORY_IDS } from "../../../components/inventory/cfn";
import { programBoundary } from "../../../components/identity/boundaryDocuments";
import { parseDocument, renderDocument } from "../../../components/runbooks/patchAutomationDocuments";
import type { AutomationDocument } from "../../../components/runbooks/documentModel";
import { dataSyncBucketPolicy } from "../../../components/storage/storageDocuments";
import type { Estate } from "../../../stacks/config/estateModel";
import type { Evaluation } from "../../../tools/plan/evaluate";
import { evaluatedStack } from "../../fixtures/programEvaluations";
import { contextFor, stackEstate } from "./templateContext";

/** One concrete location of the prod estate: the application account in London. */
const AT = { alias: "application", accountId: "333333333333", region: "eu-west-2" } as const;

type Json = Record<string, unknown>;

/** Walks a template, calling `visit` on every string and every Fn::Sub body. */
function strings(value: unknown, visit: (text: string, inSub: boolean) => void, inSub = false): void {
    if (typeof value === "string") {
        visit(value, inSub);
    } else if (Array.isArray(value)) {
        value.forEach((item) => strings(item, visit, inSub));
    } else if (value !== null && typeof value === "object") {
        for (const [key, item] of Object.entries(value)) {
            strings(item, visit, inSub || key === "Fn::Sub");
        }
    }
}

describe("organization templates: one source of truth with the configured-accounts mode (prod, application, eu-west-2)", function () {
    this.timeout(120_000);
    let evaluation: Evaluation;
    let estate: Estate;
    let ctx: TemplateContext;
    let account: CfnTemplate;
    let regional: CfnTemplate;
    /** A template resource's properties as CloudFormation resolves them in AT. */
    const resolved = (template: CfnTemplate, id: string): Json => {
        const resource = template.Resources[id];
        assert.ok(resource !== undefined, `template has no resource ${id} (has: ${Object.keys(template.Resources).join(", ")})`);
        return resolveSub(resource.Properties, AT) as Json;
    };
    /** A recorded input of the prod program, by type and logical name. */
    const recorded = (type: string, name: string): Json => evaluation.recorder.get(type, name).inputs;
    /** Byte-identical after JSON normalisation: both parsed, then rendered the same way (key order kept). */
    const sameDocument = (template: unknown, program: unknown, what: string) => {
        const normal = (value: unknown) => JSON.stringify(typeof value === "string" ? JSON.parse(value) : value);
        assert.equal(normal(template), normal(program), what);
    };

    before(async () => {
        evaluation = await evaluatedStack("prod");
        estate = stackEstate("prod");
        const member = estate.members.find((m) => m.alias === AT.alias);
        assert.ok(member);
        const sync = recorded("aws:ssm/resourceDataSync:ResourceDataSync", `${AT.alias}-${AT.region}-inventory-data-sync`);
        ctx = contextFor(estate, member, (sync.s3Destination as Json).kmsKeyArn as string);
        account = accountTemplate(ctx);
        regional = regionalTemplate(ctx);
    });

    it("refuses a member-account boundary IAM would reject (over 6,144 characters), before any StackSet", () => {
        const many = Array.from({ length: 20 }, (_, i) => ({ roleName: `a-rather-long-deployment-role-name-${i}`, rolePath: "/" }));
        assert.throws(() => accountTemplate({ ...ctx, deploymentRoles: many }), /permissions boundary for the member accounts would have \d+ characters, over IAM's 6144-character managed-policy limit/);
    });

    it("execution role: trust, inline policy and boundary as the program renders them", () => {
        const role = resolved(account, IDENTITY_IDS.executionRole);
        const programRole = recorded("aws:iam/role:Role", `${AT.alias}-automation-execution-role`);
        assert.equal(role.RoleName, programRole.name);
        assert.equal(role.PermissionsBoundary, programRole.permissionsBoundary);
        sameDocument(role.AssumeRolePolicyDocument, programRole.assumeRolePolicy, "trust policy");
        const [inline] = role.Policies as { PolicyName: string; PolicyDocument: unknown }[];
        const programPolicy = recorded("aws:iam/rolePolicy:RolePolicy", `${AT.alias}-automation-execution-runbook-permissions`);
        assert.equal(inline.PolicyName, programPolicy.name);
        sameDocument(inline.PolicyDocument, programPolicy.policy, "runbook permissions");
    });

    it("managed-node roles: instance role, profile, log-writer policy and hybrid role as the program renders them", () => {
        const prefix = `${AT.alias}-managed-node-roles`;
        const instance = resolved(account, IDENTITY_IDS.instanceRole);
        const programInstance = recorded("aws:iam/role:Role", `${prefix}-instance-role`);
        assert.equal(instance.RoleName, programInstance.name);
        assert.equal(instance.PermissionsBoundary, programInstance.permissionsBoundary);
        sameDocument(instance.AssumeRolePolicyDocument, programInstance.assumeRolePolicy, "instance trust");
        assert.deepEqual(instance.ManagedPolicyArns, [recorded("aws:iam/rolePolicyAttachment:RolePolicyAttachment", `${prefix}-instance-core`).policyArn]);
        const [logs] = instance.Policies as { PolicyName: string; PolicyDocument: unknown }[];
        const programLogs = recorded("aws:iam/rolePolicy:RolePolicy", `${prefix}-instance-log-buckets`);
        assert.equal(logs.PolicyName, programLogs.name);
        sameDocument(logs.PolicyDocument, programLogs.policy, "instance log-bucket policy");

        const writer = resolved(account, IDENTITY_IDS.logWriter);
        const programWriter = recorded("aws:iam/policy:Policy", `${prefix}-log-writer`);
        assert.equal(writer.ManagedPolicyName, programWriter.name);
        sameDocument(writer.PolicyDocument, programWriter.policy, "log-writer policy");
        assert.equal(resolved(account, IDENTITY_IDS.instanceProfile).InstanceProfileName, recorded("aws:iam/instanceProfile:InstanceProfile", `${prefix}-instance-profile`).name);

        const hybrid = resolved(account, IDENTITY_IDS.hybridRole);
        const programHybrid = recorded("aws:iam/role:Role", `${prefix}-hybrid-role`);
        assert.equal(hybrid.RoleName, programHybrid.name);
        assert.equal(hybrid.PermissionsBoundary, programHybrid.permissionsBoundary);
        sameDocument(hybrid.AssumeRolePolicyDocument, programHybrid.assumeRolePolicy, "hybrid trust");
        const policies = Object.fromEntries((hybrid.Policies as { PolicyName: string; PolicyDocument: unknown }[]).map((p) => [p.PolicyName, p.PolicyDocument]));
        for (const role of ["hybrid-agent", "hybrid-log-buckets"]) {
            const program = recorded("aws:iam/rolePolicy:RolePolicy", `${prefix}-${role}`);
            sameDocument(policies[program.name as string], program.policy, `hybrid ${role}`);
        }
    });

    it("permissions boundary: the deployment bootstrap's builder, for this account (the main program does not create it)", () => {
        const boundary = resolved(account, IDENTITY_IDS.boundary);
        assert.equal(boundary.ManagedPolicyName, "multicloud-patching-boundary");
        const bootstrap = programBoundary({
            accountId: AT.accountId,
            project: estate.project,
            automationRoleNames: [estate.automationAdministrationRoleName, estate.automationExecutionRoleName],
            deploymentRoles: ctx.deploymentRoles,
        });
        sameDocument(boundary.PolicyDocument, bootstrap, "boundary");
    });

    it("baselines: every (patch group, OS) with the program's approval rules, patches and registration", () => {
        const baselines = evaluation.recorder.find("aws:ssm/patchBaseline:PatchBaseline").filter((r) => r.name.startsWith(`${AT.alias}-${AT.region}-baselines-`));
        const inTemplate = Object.values(regional.Resources).filter((r) => r.Type === "AWS::SSM::PatchBaseline");
        assert.equal(inTemplate.length, baselines.length);
        assert.ok(baselines.length >= 6);
        for (const program of baselines) {
            const cfn = inTemplate.find((r) => r.Properties.Name === program.inputs.name);
            assert.ok(cfn, `no baseline ${String(program.inputs.name)} in the template`);
            const p = resolveSub(cfn.Properties, AT) as Json;
            // CloudFormation's shape back to the provider's, then compared whole.
            const rules = (p.ApprovalRules as { PatchRules: Json[] }).PatchRules.map((rule) => ({
                ...(rule.ApproveAfterDays === undefined ? {} : { approveAfterDays: rule.ApproveAfterDays }),
                complianceLevel: rule.ComplianceLevel,
                ...(rule.EnableNonSecurity === undefined ? {} : { enableNonSecurity: rule.EnableNonSecurity }),
                patchFilters: (rule.PatchFilterGroup as { PatchFilters: { Key: string; Values: string[] }[] }).PatchFilters.map((f) => ({ key: f.Key, values: f.Values })),
            }));
            const asProvider = {
                approvalRules: rules,
                description: p.Description,
                name: p.Name,
                operatingSystem: p.OperatingSystem,
                region: AT.region,
                ...(p.ApprovedPatches === undefined ? {} : { approvedPatches: p.ApprovedPatches, approvedPatchesComplianceLevel: p.ApprovedPatchesComplianceLevel }),
                ...(p.ApprovedPatchesEnableNonSecurity === undefined ? {} : { approvedPatchesEnableNonSecurity: p.ApprovedPatchesEnableNonSecurity }),
                ...(p.RejectedPatches === undefined ? {} : { rejectedPatches: p.RejectedPatches, rejectedPatchesAction: p.RejectedPatchesAction }),
            };
            assert.deepStrictEqual(asProvider, program.inputs, String(program.inputs.name));
            const registration = recorded("aws:ssm/patchGroup:PatchGroup", `${program.name}-registration`);
            assert.deepEqual(p.PatchGroups, [registration.patchGroup]);
        }
        const windows = inTemplate.find((r) => r.Properties.Name === "patching-Windows-WINDOWS");
        assert.deepEqual(windows?.Properties.RejectedPatches, ["KB5034439"], "Pulumi.prod.yaml's rejected KB");
    });

    it("resource groups: the program's names and TAG_FILTERS_1_0 queries", () => {
        const groups = evaluation.recorder.find("aws:resourcegroups/group:Group").filter((r) => r.name.startsWith(`${AT.alias}-${AT.region}-resource-groups-`));
        assert.equal(groups.length, 3);
        for (const program of groups) {
            const cfn = Object.values(regional.Resources).find((r) => r.Type === "AWS::ResourceGroups::Group" && r.Properties.Name === program.inputs.name);
            assert.ok(cfn, String(program.inputs.name));
            const query = program.inputs.resourceQuery as { type: string; query: string };
            assert.equal(cfn.Properties.Description, program.inputs.description);
            assert.deepEqual(cfn.Properties.ResourceQuery, { Type: query.type, Query: JSON.parse(query.query) });
        }
    });

    it("log buckets: names, bucket policies, key policy, encryption and lifecycle as the program renders them; retained", () => {
        const scope = `${AT.alias}-${AT.region}-log-buckets`;
        for (const kind of ["patch", "inventory"] as const) {
            const bucket = resolved(regional, LOG_BUCKET_IDS.bucket(kind));
            assert.equal(bucket.BucketName, recorded("aws:s3/bucket:Bucket", `${scope}-${kind}-bucket`).bucket);
            sameDocument(resolved(regional, LOG_BUCKET_IDS.policy(kind)).PolicyDocument, recorded("aws:s3/bucketPolicy:BucketPolicy", `${scope}-${kind}-policy`).policy, `${kind} bucket policy`);
            const lifecycle = (bucket.LifecycleConfiguration as { Rules: Json[] }).Rules.map((rule) => ({
                abortIncompleteMultipartUpload: { daysAfterInitiation: (rule.AbortIncompleteMultipartUpload as Json).DaysAfterInitiation },
                ...(rule.ExpirationInDays === undefined ? {} : { expiration: { days: rule.ExpirationInDays } }),
                filter: { prefix: rule.Prefix ?? "" },
                id: rule.Id,
                noncurrentVersionExpiration: { noncurrentDays: (rule.NoncurrentVersionExpiration as Json).NoncurrentDays },
                status: rule.Status,
                ...(rule.Transitions === undefined ? {} : { transitions: (rule.Transitions as Json[]).map((t) => ({ days: t.TransitionInDays, storageClass: t.StorageClass })) }),
            }));
            assert.deepStrictEqual(lifecycle, recorded("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `${scope}-${kind}-lifecycle`).rules, `${kind} lifecycle`);
            const [rule] = (recorded("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", `${scope}-${kind}-encryption`).rules as Json[]) as {
                applyServerSideEncryptionByDefault: Json;
                bucketKeyEnabled?: boolean;
            }[];
            const [cfnRule] = (bucket.BucketEncryption as { ServerSideEncryptionConfiguration: Json[] }).ServerSideEncryptionConfiguration;
            assert.equal((cfnRule.ServerSideEncryptionByDefault as Json).SSEAlgorithm, rule.applyServerSideEncryptionByDefault.sseAlgorithm);
            assert.equal(cfnRule.BucketKeyEnabled, rule.bucketKeyEnabled);
            assert.equal(recorded("aws:s3/bucketOwnershipControls:BucketOwnershipControls", `${scope}-${kind}-ownership`).rule && (bucket.OwnershipControls as { Rules: Json[] }).Rules[0].ObjectOwnership, "BucketOwnerEnforced");
            for (const id of [LOG_BUCKET_IDS.bucket(kind), LOG_BUCKET_IDS.policy(kind)]) {
                assert.equal(regional.Resources[id].DeletionPolicy, "Retain", id);
                assert.equal(regional.Resources[id].UpdateReplacePolicy, "Retain", id);
            }
        }
        const key = resolved(regional, LOG_BUCKET_IDS.key);
        const programKey = recorded("aws:kms/key:Key", `${scope}-key-key`);
        sameDocument(key.KeyPolicy, programKey.policy, "log key policy");
        assert.equal(key.EnableKeyRotation, programKey.enableKeyRotation);
        assert.equal(key.PendingWindowInDays, programKey.deletionWindowInDays);
        assert.equal(regional.Resources[LOG_BUCKET_IDS.key].DeletionPolicy, "Retain");
        assert.equal(resolved(regional, LOG_BUCKET_IDS.keyAlias).AliasName, recorded("aws:kms/alias:Alias", `${scope}-key-alias`).name);
    });

    it("inventory: association and Resource Data Sync as the program configures them", () => {
        const scope = `${AT.alias}-${AT.region}-inventory`;
        const association = resolved(regional, INVENTORY_IDS.association);
        const program = recorded("aws:ssm/association:Association", `${scope}-association`);
        const output = (association.OutputLocation as { S3Location: Json }).S3Location;
        assert.deepStrictEqual(
            {
                associationName: association.AssociationName,
                maxConcurrency: association.MaxConcurrency,
                maxErrors: association.MaxErrors,
                name: association.Name,
                outputLocation: { s3BucketName: resolved(regional, LOG_BUCKET_IDS.bucket("inventory")).BucketName, s3KeyPrefix: output.OutputS3KeyPrefix, s3Region: output.OutputS3Region },
                region: AT.region,
                scheduleExpression: association.ScheduleExpression,
                targets: (association.Targets as { Key: string; Values: string[] }[]).map((t) => ({ key: t.Key, values: t.Values })),
            },
            program,
        );
        assert.deepEqual(output.OutputS3BucketName, { Ref: LOG_BUCKET_IDS.bucket("inventory") }, "waits for the bucket");
        const sync = resolved(regional, INVENTORY_IDS.dataSync);
        const programSync = recorded("aws:ssm/resourceDataSync:ResourceDataSync", `${scope}-data-sync`);
        const destination = sync.S3Destination as Json;
        assert.deepStrictEqual(
            {
                name: sync.SyncName,
                region: AT.region,
                s3Destination: { bucketName: destination.BucketName, kmsKeyArn: destination.KMSKeyArn, prefix: destination.BucketPrefix, region: destination.BucketRegion, syncFormat: destination.SyncFormat },
            },
            programSync,
        );
    });

    it("runbooks: the program's document; rendered as the component renders it, the YAML is byte for byte the program's", () => {
        const documents = evaluation.recorder.find("aws:ssm/document:Document").filter((r) => r.name.startsWith(`${AT.alias}-${AT.region}-runbooks-`));
        assert.equal(documents.length, 2);
        for (const program of documents) {
            const cfn = Object.values(regional.Resources).find((r) => r.Type === "AWS::SSM::Document" && r.Properties.Name === program.inputs.name);
            assert.ok(cfn, String(program.inputs.name));
            assert.equal(renderDocument(cfn.Properties.Content as AutomationDocument), program.inputs.content);
            assert.deepStrictEqual(cfn.Properties.Content, parseDocument(program.inputs.content as string));
            assert.equal(cfn.Properties.DocumentType, program.inputs.documentType);
            assert.equal(cfn.Properties.DocumentFormat, program.inputs.documentFormat);
        }
    });

    it("every marker sits inside Fn::Sub, and every other ${ inside Fn::Sub is escaped", () => {
        for (const template of [account, regional]) {
            strings(template, (text, inSub) => {
                if (!inSub) {
                    assert.ok(!text.includes(ACCOUNT_ID_MARKER) && !text.includes(REGION_MARKER), `marker outside Fn::Sub: ${text}`);
                } else {
                    assert.ok(!/\$\{(?!AWS::AccountId\}|AWS::Region\}|!)/.test(text), `unescaped \${ in Fn::Sub: ${text}`);
                }
            });
        }
    });

    it("template sizes: both fit CreateStackSet's TemplateBody (51,200 bytes), or the test says which needs TemplateURL", () => {
        const sizes = { account: templateSize(account), regional: templateSize(regional) };
        console.log(`      template sizes (prod): account ${sizes.account.bytes} B, regional ${sizes.regional.bytes} B (TemplateBody limit ${MAX_TEMPLATE_BODY_BYTES} B)`);
        for (const [name, size] of Object.entries(sizes)) {
            assert.ok(!size.needsTemplateUrl, `the ${name} template is ${size.bytes} bytes, over ${MAX_TEMPLATE_BODY_BYTES}: it must go through TemplateURL`);
        }
        assert.equal(templateSize({ ...regional, Description: "x".repeat(MAX_TEMPLATE_BODY_BYTES) }).needsTemplateUrl, true);
    });
});

describe("organization templates: Fn::Sub escaping", () => {
    it("escapes IAM policy variables in marked strings and resolves back to the builder's text", () => {
        const text = `arn:aws:s3:::bucket-${ACCOUNT_ID_MARKER}/\${aws:SourceAccount}/*`;
        assert.deepEqual(sub(text), { "Fn::Sub": "arn:aws:s3:::bucket-${AWS::AccountId}/${!aws:SourceAccount}/*" });
        assert.equal(resolveSub(sub(text), { accountId: "123456789012", region: "eu-west-1" }), "arn:aws:s3:::bucket-123456789012/${aws:SourceAccount}/*");
        assert.equal(escapeForSub("${AWS::Region}-${aws:username}"), "${AWS::Region}-${!aws:username}");
        assert.equal(sub("${aws:SourceAccount} without a marker"), "${aws:SourceAccount} without a marker", "outside Fn::Sub a ${ is literal");
    });

    it("a real builder with policy variables (the organization data-sync bucket policy) survives the round trip", () => {
        const document = dataSyncBucketPolicy(`patching-inventory-sync-${ACCOUNT_ID_MARKER}-${REGION_MARKER}`, "inventory", { kind: "organization", organizationId: "o-abcdefghij" });
        const template = sub(document);
        const rendered = JSON.stringify(template);
        assert.ok(rendered.includes("${!aws:SourceAccount}"), rendered);
        const at = { accountId: "111111111111", region: "us-east-1" };
        assert.deepEqual(resolveSub(template, at), dataSyncBucketPolicy("patching-inventory-sync-111111111111-us-east-1", "inventory", { kind: "organization", organizationId: "o-abcdefghij" }));
    });

    it("refuses two fragments claiming one logical id", () => {
        const resource = { Type: "AWS::SSM::Document", Properties: {} };
        assert.throws(() => mergeResources({ BaselineAB: resource }, { BaselineAB: resource }), /logical id BaselineAB is produced twice/);
    });
});
