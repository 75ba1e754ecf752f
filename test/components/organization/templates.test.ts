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
import { contextFor, ENFORCER_TEST_CODE_KEY, stackEstate } from "./templateContext";
import { resolveConditions } from "./cfnConditions";
import { COMPLIANCE_IDS } from "../../../components/compliance/cfn";
import { FORWARDING_IDS } from "../../../components/notifications/cfn";
import { ENFORCER_IDS } from "../../../components/enforcer/cfn";
import { recorderDeliveryPolicy } from "../../../components/compliance/complianceDocuments";
import { availableRules, COMPLIANCE_RULES, PATCH_RULE, recordedResourceTypes } from "../../../catalog/configRules";
import { artifactBucketName } from "../../../catalog/naming";
import { ENFORCER_CODE_KEY_PLACEHOLDER } from "../../../components/organization/templates";
import { templateContext } from "../../../stacks/awsOrganization";
import { patchGroupsFor } from "../../../stacks/awsCore";

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

    /** A Regional resource's properties as CloudFormation resolves conditions and Fn::Sub in AT. */
    const here = (id: string): Json => {
        const resource = resolveConditions(regional, AT.region)[id];
        assert.ok(resource !== undefined, `no resource ${id} in ${AT.region}`);
        return resolveSub(resource.Properties, AT) as Json;
    };
    const parsed = (value: unknown): Json => (typeof value === "string" ? JSON.parse(value) : value) as Json;

    it("Config rules: exactly the program's rules in this Region, with its names, sources and scopes", () => {
        const program = evaluation.recorder.find("aws:cfg/rule:Rule").filter((r) => r.name.startsWith(`${AT.alias}-${AT.region}-compliance-`));
        const inTemplate = Object.values(resolveConditions(regional, AT.region)).filter((r) => r.Type === "AWS::Config::ConfigRule");
        assert.equal(program.length, 3);
        assert.equal(inTemplate.length, program.length);
        for (const rule of program) {
            const cfn = inTemplate.find((r) => r.Properties.ConfigRuleName === rule.inputs.name);
            assert.ok(cfn, String(rule.inputs.name));
            const p = cfn.Properties as { ConfigRuleName: string; Source: { Owner: string; SourceIdentifier: string }; Scope: { ComplianceResourceTypes: string[] } };
            assert.deepStrictEqual(
                { name: p.ConfigRuleName, region: AT.region, scope: { complianceResourceTypes: p.Scope.ComplianceResourceTypes }, source: { owner: p.Source.Owner, sourceIdentifier: p.Source.SourceIdentifier } },
                rule.inputs,
            );
        }
    });

    it("NON_COMPLIANT: the program's event pattern (this account's events only) forwarded to the central patch-run bus by the forwarder role; no topic per member", () => {
        const scope = `${AT.alias}-${AT.region}`;
        const rule = here(COMPLIANCE_IDS.forwardRule);
        const programRule = recorded("aws:cloudwatch/eventRule:EventRule", `${scope}-patch-run-forwarding-non-compliant`);
        sameDocument(rule.EventPattern, parsed(programRule.eventPattern), "NON_COMPLIANT pattern (both carry this account only)");
        assert.equal(rule.Name, programRule.name);
        const forwardTarget = recorded("aws:cloudwatch/eventTarget:EventTarget", `${scope}-patch-run-forwarding-non-compliant-forward`);
        assert.deepEqual(rule.Targets, [{ Id: "central-event-bus", Arn: forwardTarget.arn, RoleArn: { "Fn::GetAtt": [FORWARDING_IDS.role, "Arn"] } }]);
        const types = new Set(Object.values(regional.Resources).map((r) => r.Type));
        assert.ok(!types.has("AWS::SNS::Topic") && !types.has("AWS::SNS::Subscription"), "no per-member topic or subscriptions");
    });

    it("patch-run forwarding: the program's role (trust + the NON_COMPLIANT rule), policy, rules, patterns and targets", () => {
        const scope = `${AT.alias}-${AT.region}-patch-run-forwarding`;
        const role = here(FORWARDING_IDS.role);
        const programRole = recorded("aws:iam/role:Role", `${scope}-role`);
        for (const [cfn, provider] of [["RoleName", "name"], ["PermissionsBoundary", "permissionsBoundary"], ["Description", "description"]] as const) {
            assert.equal(role[cfn], programRole[provider], cfn);
        }
        // The program's trust: it names the NON_COMPLIANT rule too (issue 19), as the template's does.
        const trust = parsed(programRole.assumeRolePolicy) as { Statement: { Condition: { ArnEquals: { "aws:SourceArn": string[] } } }[] };
        sameDocument(role.AssumeRolePolicyDocument, trust, "forwarder trust");
        const [inline] = role.Policies as { PolicyName: string; PolicyDocument: unknown }[];
        const programPolicy = recorded("aws:iam/rolePolicy:RolePolicy", `${scope}-role-policy`);
        assert.equal(inline.PolicyName, programPolicy.name);
        sameDocument(inline.PolicyDocument, programPolicy.policy, "forwarder policy");
        for (const [id, key] of [[FORWARDING_IDS.automationRule, "automation"], [FORWARDING_IDS.runCommandRule, "run-commands"]] as const) {
            const rule = here(id);
            const program = recorded("aws:cloudwatch/eventRule:EventRule", `${scope}-${key}`);
            assert.equal(rule.Name, program.name);
            assert.equal(rule.Description, program.description);
            sameDocument(rule.EventPattern, program.eventPattern, `${key} pattern`);
            const target = recorded("aws:cloudwatch/eventTarget:EventTarget", `${scope}-${key}-forward`);
            assert.deepEqual(rule.Targets, [{ Id: target.targetId, Arn: target.arn, RoleArn: { "Fn::GetAtt": [FORWARDING_IDS.role, "Arn"] } }]);
            assert.equal(target.roleArn, `arn:aws:iam::${AT.accountId}:role/${String(role.RoleName)}`);
        }
    });

    it("SSM-role enforcer: the program's role trust and policy, log group, function settings and environment, rules and permissions; code from the Region's artifacts bucket", () => {
        const scope = `${AT.alias}-${AT.region}-ssm-role-enforcer`;
        const role = here(ENFORCER_IDS.role);
        const programRole = recorded("aws:iam/role:Role", `${scope}-role`);
        for (const [cfn, provider] of [["RoleName", "name"], ["PermissionsBoundary", "permissionsBoundary"], ["Description", "description"]] as const) {
            assert.equal(role[cfn], programRole[provider], cfn);
        }
        sameDocument(role.AssumeRolePolicyDocument, programRole.assumeRolePolicy, "enforcer trust");
        const [inline] = role.Policies as { PolicyName: string; PolicyDocument: unknown }[];
        const programPolicy = recorded("aws:iam/rolePolicy:RolePolicy", `${scope}-role-policy`);
        assert.equal(inline.PolicyName, programPolicy.name);
        sameDocument(inline.PolicyDocument, programPolicy.policy, "enforcer policy");

        const logGroup = here(ENFORCER_IDS.logGroup);
        const programLogGroup = recorded("aws:cloudwatch/logGroup:LogGroup", `${scope}-log-group`);
        assert.deepStrictEqual({ name: logGroup.LogGroupName, region: AT.region, retentionInDays: logGroup.RetentionInDays }, programLogGroup);

        const fn = here(ENFORCER_IDS.function);
        const program = recorded("aws:lambda/function:Function", `${scope}-function`);
        const asProvider = {
            description: fn.Description,
            environment: { variables: (fn.Environment as { Variables: Json }).Variables },
            handler: fn.Handler,
            loggingConfig: { logFormat: (fn.LoggingConfig as Json).LogFormat, logGroup: programLogGroup.name },
            memorySize: fn.MemorySize,
            name: fn.FunctionName,
            region: AT.region,
            role: `arn:aws:iam::${AT.accountId}:role/${String(role.RoleName)}`,
            runtime: fn.Runtime,
            timeout: fn.Timeout,
        };
        const programSettings = Object.fromEntries(Object.entries(program).filter(([key]) => key !== "code"));
        assert.deepStrictEqual(asProvider, programSettings);
        assert.deepEqual(fn.Code, { S3Bucket: artifactBucketName(estate.central.account.id, AT.region), S3Key: ENFORCER_TEST_CODE_KEY });

        for (const key of ["running", "sweep"]) {
            const rule = here(ENFORCER_IDS.rule(key));
            const programRule = recorded("aws:cloudwatch/eventRule:EventRule", `${scope}-${key}-rule`);
            assert.deepStrictEqual(
                {
                    description: rule.Description,
                    ...(rule.EventPattern === undefined ? {} : { eventPattern: JSON.stringify(rule.EventPattern) }),
                    name: rule.Name,
                    region: AT.region,
                    ...(rule.ScheduleExpression === undefined ? {} : { scheduleExpression: rule.ScheduleExpression }),
                },
                programRule,
            );
            const target = recorded("aws:cloudwatch/eventTarget:EventTarget", `${scope}-${key}-target`);
            assert.deepEqual(rule.Targets, [{ Id: target.targetId, Arn: { "Fn::GetAtt": [ENFORCER_IDS.function, "Arn"] } }]);
            const permission = here(ENFORCER_IDS.permission(key));
            const programPermission = recorded("aws:lambda/permission:Permission", `${scope}-${key}-permission`);
            assert.deepStrictEqual(
                { action: permission.Action, function: fn.FunctionName, principal: permission.Principal, region: AT.region, sourceArn: programPermission.sourceArn },
                programPermission,
            );
            assert.deepEqual(permission.SourceArn, { "Fn::GetAtt": [ENFORCER_IDS.rule(key), "Arn"] }, "only this rule may invoke");
        }
    });

    it("Config rules some Regions lack: each Region gets exactly availableRules(region) — rules, event pattern and remediation", () => {
        const dev = regionalTemplate({ ...ctx, compliance: { configDeliveryPrefix: "config", remediation: { mode: "install", maximumAutomaticAttempts: 3, retryAttemptSeconds: 86400 } } });
        const regions = [...new Set(["eu-west-2", ...COMPLIANCE_RULES.flatMap((rule) => rule.unavailableIn)])].filter((region) => availableRules(region).length > 0);
        assert.ok(regions.length >= 5, regions.join());
        for (const region of regions) {
            const resources = resolveConditions(dev, region);
            const rules = availableRules(region);
            const names = Object.values(resources).filter((r) => r.Type === "AWS::Config::ConfigRule").map((r) => r.Properties.ConfigRuleName);
            assert.deepEqual(names, rules.map((rule) => rule.name), region);
            const pattern = resources[COMPLIANCE_IDS.forwardRule].Properties.EventPattern as { detail: { configRuleName: string[] } };
            assert.deepEqual(pattern.detail.configRuleName, rules.map((rule) => rule.name), `${region} pattern`);
            const recorder = resources[COMPLIANCE_IDS.recorder].Properties.RecordingGroup as { ResourceTypes: string[] };
            assert.deepEqual(recorder.ResourceTypes, recordedResourceTypes(rules), `${region} recorded types`);
            const patchRule = rules.includes(PATCH_RULE);
            assert.equal(COMPLIANCE_IDS.remediation in resources, patchRule, `${region} remediation`);
            assert.equal(COMPLIANCE_IDS.remediationDocument in resources, patchRule, `${region} remediation document`);
        }
    });

    it("the recorder of an SSE-KMS log bucket: its delivery policy and channel name the template's key (GetAtt), as the builder does with the key ARN", () => {
        const withRecorder = regionalTemplate({ ...ctx, compliance: { configDeliveryPrefix: "config" } });
        const role = resolveSub(withRecorder.Resources[COMPLIANCE_IDS.recorderRole].Properties, AT) as Json;
        const keyArn = `arn:aws:kms:${AT.region}:${AT.accountId}:key/0000`;
        const [delivery] = role.Policies as { PolicyDocument: unknown }[];
        const withArn = JSON.parse(JSON.stringify(delivery.PolicyDocument).split(JSON.stringify({ "Fn::GetAtt": [LOG_BUCKET_IDS.key, "Arn"] })).join(JSON.stringify(keyArn))) as unknown;
        assert.deepEqual(withArn, recorderDeliveryPolicy(`patching-inventory-logs-${AT.accountId}-${AT.region}`, "config", AT.accountId, keyArn));
        assert.deepEqual(withRecorder.Resources[COMPLIANCE_IDS.deliveryChannel].Properties.S3KmsKeyArn, { "Fn::GetAtt": [LOG_BUCKET_IDS.key, "Arn"] });
    });

    it("the enforcer: only when enabled; without a published bundle key, the placeholder no bundle has", () => {
        assert.ok(!Object.keys(regionalTemplate({ ...ctx, enforcer: undefined }).Resources).some((id) => id.startsWith("SsmRoleEnforcer")));
        const member = estate.members.find((m) => m.alias === AT.alias);
        assert.ok(member);
        const unwired = templateContext(estate, { regions: member.regions, patchGroups: patchGroupsFor(estate, member) });
        assert.equal(unwired.enforcer?.codeS3Key, ENFORCER_CODE_KEY_PLACEHOLDER);
        assert.ok(ENFORCER_CODE_KEY_PLACEHOLDER.startsWith("lambda/ssm-role-enforcer/"));
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

    it("template sizes: counted in UTF-8 bytes of the compact body; over 51,200 bytes they need TemplateURL (not assumed to fit)", () => {
        const sizes = { account: templateSize(account), regional: templateSize(regional) };
        console.log(`      template sizes (prod): account ${sizes.account.bytes} B, regional ${sizes.regional.bytes} B (TemplateBody limit ${MAX_TEMPLATE_BODY_BYTES} B)`);
        for (const [name, template] of [["account", account], ["regional", regional]] as const) {
            const size = sizes[name];
            assert.equal(size.bytes, Buffer.byteLength(JSON.stringify(template), "utf8"), name);
            assert.equal(size.needsTemplateUrl, size.bytes > MAX_TEMPLATE_BODY_BYTES, name);
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

describe("organization templates: Config recorder and remediation as the program renders them (dev, dev-apps, eu-west-2)", function () {
    this.timeout(120_000);
    const DEV = { alias: "dev-apps", accountId: "555555555555", region: "eu-west-2" } as const;
    const scope = `${DEV.alias}-${DEV.region}-compliance`;
    let evaluation: Evaluation;
    let regional: CfnTemplate;
    const recorded = (type: string, name: string): Json => evaluation.recorder.get(type, name).inputs;
    const here = (id: string): Json => {
        const resource = resolveConditions(regional, DEV.region)[id];
        assert.ok(resource !== undefined, `no resource ${id} in ${DEV.region}`);
        return resolveSub(resource.Properties, DEV) as Json;
    };
    const normal = (value: unknown) => JSON.stringify(typeof value === "string" ? JSON.parse(value) : value);

    before(async () => {
        evaluation = await evaluatedStack("dev");
        const estate = stackEstate("dev");
        const member = estate.members.find((m) => m.alias === DEV.alias);
        assert.ok(member);
        regional = regionalTemplate(contextFor(estate, member));
    });

    it("recorder role: name, boundary, trust, AWS_ConfigRole and the delivery policy", () => {
        const role = here(COMPLIANCE_IDS.recorderRole);
        const program = recorded("aws:iam/role:Role", `${scope}-recorder-role`);
        assert.equal(role.RoleName, program.name);
        assert.equal(role.PermissionsBoundary, program.permissionsBoundary);
        assert.equal(normal(role.AssumeRolePolicyDocument), normal(program.assumeRolePolicy));
        assert.deepEqual(role.ManagedPolicyArns, [recorded("aws:iam/rolePolicyAttachment:RolePolicyAttachment", `${scope}-recorder-role-policy`).policyArn]);
        const [delivery] = role.Policies as { PolicyName: string; PolicyDocument: unknown }[];
        const programDelivery = recorded("aws:iam/rolePolicy:RolePolicy", `${scope}-recorder-delivery`);
        assert.equal(delivery.PolicyName, programDelivery.name);
        assert.equal(normal(delivery.PolicyDocument), normal(programDelivery.policy));
    });

    it("recorder and delivery channel: names, recording group (this Region's types), bucket and prefix", () => {
        const recorder = here(COMPLIANCE_IDS.recorder);
        const program = recorded("aws:cfg/recorder:Recorder", `${scope}-recorder`);
        const group = recorder.RecordingGroup as { AllSupported: boolean; ResourceTypes: string[]; RecordingStrategy: { UseOnly: string } };
        assert.deepStrictEqual(
            {
                name: recorder.Name,
                recordingGroup: { allSupported: group.AllSupported, recordingStrategies: [{ useOnly: group.RecordingStrategy.UseOnly }], resourceTypes: group.ResourceTypes },
                region: DEV.region,
                roleArn: `arn:aws:iam::${DEV.accountId}:role/${String(here(COMPLIANCE_IDS.recorderRole).RoleName)}`,
            },
            program,
        );
        const channel = here(COMPLIANCE_IDS.deliveryChannel);
        const programChannel = recorded("aws:cfg/deliveryChannel:DeliveryChannel", `${scope}-delivery-channel`);
        assert.deepEqual(channel.S3BucketName, { Ref: LOG_BUCKET_IDS.bucket("inventory") });
        assert.deepStrictEqual(
            { name: channel.Name, region: DEV.region, s3BucketName: here(LOG_BUCKET_IDS.bucket("inventory")).BucketName, s3KeyPrefix: channel.S3KeyPrefix },
            programChannel,
        );
        assert.deepEqual(regional.Resources[COMPLIANCE_IDS.deliveryChannel].DependsOn, [COMPLIANCE_IDS.recorder, LOG_BUCKET_IDS.policy("inventory")], "after the policy admitting Config");
    });

    it("remediation: the wrapper runbook byte for byte, and the configuration with the program's parameters, attempts and rate control", () => {
        const document = here(COMPLIANCE_IDS.remediationDocument);
        const programDocument = recorded("aws:ssm/document:Document", `${scope}-remediation-document`);
        assert.equal(document.Name, programDocument.name);
        assert.equal(renderDocument(document.Content as AutomationDocument), programDocument.content);
        const remediation = here(COMPLIANCE_IDS.remediation);
        const program = recorded("aws:cfg/remediationConfiguration:RemediationConfiguration", `${scope}-remediation`);
        // CloudFormation's map of RemediationParameterValue back to the provider's list.
        const parameters = Object.entries(remediation.Parameters as Record<string, { StaticValue?: { Values: string[] }; ResourceValue?: { Value: string } }>).map(([name, value]) =>
            value.ResourceValue === undefined ? { name, staticValue: value.StaticValue?.Values[0] } : { name, resourceValue: value.ResourceValue.Value },
        );
        const controls = (remediation.ExecutionControls as { SsmControls: Json }).SsmControls;
        assert.deepEqual(remediation.ConfigRuleName, { Ref: COMPLIANCE_IDS.rule(PATCH_RULE) });
        assert.deepEqual(remediation.TargetId, { Ref: COMPLIANCE_IDS.remediationDocument });
        assert.deepStrictEqual(
            {
                automatic: remediation.Automatic,
                configRuleName: PATCH_RULE.name,
                executionControls: { ssmControls: { concurrentExecutionRatePercentage: controls.ConcurrentExecutionRatePercentage, errorPercentage: controls.ErrorPercentage } },
                maximumAutomaticAttempts: remediation.MaximumAutomaticAttempts,
                parameters,
                region: DEV.region,
                resourceType: remediation.ResourceType,
                retryAttemptSeconds: remediation.RetryAttemptSeconds,
                targetId: document.Name,
                targetType: remediation.TargetType,
            },
            program,
        );
    });
});
