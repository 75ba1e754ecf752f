import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import * as docs from "../../../components/notifications/notificationDocuments";
import { artifactReadPolicy, contentHash, enforcerCodeKey, MAX_TEMPLATE_URL_BYTES, templateObjectKey, templateUrl } from "../../../components/organization/artifactDocuments";
import { OrganizationArtifacts } from "../../../components/organization/organizationArtifacts";
import { PatchRunNotifications } from "../../../components/notifications/patchRunNotifications";
import { artifactBucketName } from "../../../catalog/naming";
import type { ResourceRecorder } from "../../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../../tools/mock/runtime";
import { decide } from "../../support/iamSimulation";

/**
 * Organization mode (issue 16), the central account's side: the artifact buckets (TemplateURL and
 * the enforcer's per-Region packages) and the patch-run bus admitting the organization's forwarders.
 */

const CENTRAL = "111111111111";
const ORG = "o-abcdefghij";
const MEMBER = "444444444444";
const BUCKET = artifactBucketName(CENTRAL, "eu-west-2");

describe("components/organization/artifactDocuments: keys, URL and who reads what", () => {
    it("keys carry a 16-hex content hash, so changed content is a new object", () => {
        assert.match(contentHash("a"), /^[0-9a-f]{16}$/);
        assert.notEqual(contentHash("a"), contentHash("b"));
        assert.equal(templateObjectKey("patching-member-regional", "{}"), `templates/patching-member-regional-${contentHash("{}")}.json`);
        assert.equal(enforcerCodeKey("code"), `lambda/ssm-role-enforcer/${contentHash("code")}.zip`);
        assert.notEqual(enforcerCodeKey("code"), enforcerCodeKey("code2"));
        // SHA-256 test vector (FIPS 180-2, "abc"), and UTF-8 bytes for non-ASCII content ("é" is C3 A9).
        assert.equal(contentHash("abc"), "ba7816bf8f01cfea");
        assert.equal(contentHash("\u00e9"), createHash("sha256").update(Buffer.from([0xc3, 0xa9])).digest("hex").slice(0, 16));
    });

    it("the read grant's statement id follows the IAM Sid grammar (A-Z, a-z, 0-9)", () => {
        assert.deepEqual(artifactReadPolicy(BUCKET, ORG).Statement.map((statement) => /^[A-Za-z0-9]+$/.test(statement.Sid ?? "")), [true]);
    });

    it("builds the Regional virtual-hosted https URL CloudFormation takes as TemplateURL, and knows the 1 MB ceiling", () => {
        assert.equal(templateUrl(BUCKET, "eu-west-2", "templates/x.json"), `https://${BUCKET}.s3.eu-west-2.amazonaws.com/templates/x.json`);
        assert.equal(MAX_TEMPLATE_URL_BYTES, 1024 * 1024);
    });

    const get = (principal: string, key: string, orgId: string | undefined, action = "s3:GetObject") =>
        decide(
            // The caller's own policies allow S3 fully: only the bucket policy decides across accounts.
            { identity: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }], resourcePolicy: artifactReadPolicy(BUCKET, ORG) },
            {
                principal,
                action,
                resource: `arn:aws:s3:::${BUCKET}/${key}`,
                resourceAccount: CENTRAL,
                context: { "aws:PrincipalArn": principal, ...(orgId === undefined ? {} : { "aws:PrincipalOrgID": orgId }), "aws:SecureTransport": "true" },
            },
        );
    const STACKSETS_EXEC = `arn:aws:iam::${MEMBER}:role/stacksets-exec-0123456789abcdef`;

    it("lets any principal of the organization read the Lambda packages (CloudFormation's CreateFunction in a member account)", async () => {
        assert.equal(await get(STACKSETS_EXEC, enforcerCodeKey("code"), ORG), "Allowed");
    });

    it("denies another organization, no organization, the templates and any write", async () => {
        assert.equal(await get(STACKSETS_EXEC, enforcerCodeKey("code"), "o-zzzzzzzzzz"), "ImplicitlyDenied");
        assert.equal(await get(STACKSETS_EXEC, enforcerCodeKey("code"), undefined), "ImplicitlyDenied");
        assert.equal(await get(STACKSETS_EXEC, templateObjectKey("patching-member-account", "{}"), ORG), "ImplicitlyDenied");
        assert.equal(await get(STACKSETS_EXEC, enforcerCodeKey("code"), ORG, "s3:PutObject"), "ImplicitlyDenied");
        assert.equal(await get(STACKSETS_EXEC, enforcerCodeKey("code"), ORG, "s3:DeleteObject"), "ImplicitlyDenied");
    });
});

describe("components/notificationDocuments: the patch-run bus in organization mode (issue 16)", () => {
    const BUS = docs.patchRunBusArn("us-east-1", CENTRAL);
    const AUTOMATION = docs.AUTOMATION_DETAIL_TYPE;
    const COMPLIANCE = "Config Rules Compliance Change";
    const orgPolicy = docs.patchRunBusPolicy(BUS, ["222222222222"], ORG);
    const forwarder = `arn:aws:iam::${MEMBER}:role/${docs.forwarderRoleName("eu-west-2")}`;
    const put = (principal: string, orgId: string | undefined, sources: string[], detailTypes: string[], policy = orgPolicy) =>
        decide(
            { identity: [docs.forwarderRolePolicy(BUS)], resourcePolicy: policy },
            {
                principal,
                action: "events:PutEvents",
                resource: BUS,
                resourceAccount: CENTRAL,
                context: { "aws:PrincipalArn": principal, ...(orgId === undefined ? {} : { "aws:PrincipalOrgID": orgId }), "events:source": sources, "events:detail-type": detailTypes },
            },
        );

    it("admits a forwarder role of any organization account, for patch-run events and AWS Config compliance changes", async () => {
        assert.equal(await put(forwarder, ORG, ["aws.ssm"], [AUTOMATION]), "Allowed");
        assert.equal(await put(forwarder, ORG, ["aws.config"], [COMPLIANCE]), "Allowed");
    });

    it("denies another organization, a non-forwarder role of the organization, and other event types", async () => {
        assert.equal(await put(forwarder, "o-zzzzzzzzzz", ["aws.ssm"], [AUTOMATION]), "ImplicitlyDenied");
        assert.equal(await put(`arn:aws:iam::${MEMBER}:role/admin`, ORG, ["aws.ssm"], [AUTOMATION]), "ExplicitlyDenied");
        assert.equal(await put(forwarder, ORG, ["aws.ec2"], ["EC2 Instance State-change Notification"]), "ExplicitlyDenied");
        assert.equal(await put(forwarder, ORG, ["aws.config", "aws.ec2"], [COMPLIANCE, "EC2 Instance State-change Notification"]), "ExplicitlyDenied");
    });

    it("configured-accounts mode: no organization statement; forwarders may send AWS Config compliance changes (issue 19)", async () => {
        const configured = docs.patchRunBusPolicy(BUS, ["222222222222"]);
        assert.ok(!configured.Statement.some((s) => s.Sid === "OrganizationForwardersPutPatchRunEvents"));
        const member = `arn:aws:iam::222222222222:role/${docs.forwarderRoleName("eu-west-2")}`;
        assert.equal(await put(member, undefined, ["aws.config"], [COMPLIANCE], configured), "Allowed");
        assert.equal(await put("arn:aws:iam::222222222222:role/Admin", undefined, ["aws.config"], [COMPLIANCE], configured), "ExplicitlyDenied");
        assert.equal(await put(member, undefined, ["aws.ssm"], [AUTOMATION], configured), "Allowed");
    });
});

describe("organization mode's central resources under the mock runtime", () => {
    let recorder: ResourceRecorder;
    let artifacts: OrganizationArtifacts;
    before(async () => {
        recorder = await startMockRuntime({ project: "multicloud-patching", stack: "org", config: {} });
        artifacts = new OrganizationArtifacts("org-artifacts", {
            centralAccountId: CENTRAL,
            organizationId: ORG,
            centralRegion: "us-east-1",
            enforcer: { code: "exports.handler = async () => {};", regions: ["eu-west-2", "us-east-1"] },
            retention: { transitionAfterDays: 30, transitionStorageClass: "STANDARD_IA", expireAfterDays: 365, noncurrentVersionExpireAfterDays: 30 },
        });
        new PatchRunNotifications("org-central", { region: "us-east-1", accountId: CENTRAL, sourceAccountIds: ["222222222222"], organizationId: ORG });
        await settle();
    });

    it("creates one artifacts bucket per Region that needs one, the organization read grant only where packages live", () => {
        const buckets = recorder.find("aws:s3/bucket:Bucket").map((b) => [b.inputs.bucket, b.inputs.region]);
        assert.deepEqual(buckets.sort(), [
            [artifactBucketName(CENTRAL, "eu-west-2"), "eu-west-2"],
            [artifactBucketName(CENTRAL, "us-east-1"), "us-east-1"],
        ]);
        for (const policy of recorder.find("aws:s3/bucketPolicy:BucketPolicy")) {
            const sids = (JSON.parse(policy.inputs.policy as string) as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid);
            assert.deepEqual(sids, ["OrganizationReadsLambdaPackages", "DenyInsecureTransport"], policy.name);
        }
    });

    it("uploads the enforcer package once per target Region under the same content-hashed key", () => {
        const objects = recorder.find("aws:s3/bucketObjectv2:BucketObjectv2");
        assert.deepEqual(objects.map((o) => [o.inputs.region, o.inputs.key, o.inputs.contentType]).sort(), [
            ["eu-west-2", artifacts.enforcerCodeKey, "application/zip"],
            ["us-east-1", artifacts.enforcerCodeKey, "application/zip"],
        ]);
        assert.equal(artifacts.enforcerCodeKey, enforcerCodeKey("exports.handler = async () => {};"));
        assert.equal(artifacts.enforcerPackages.length, 2);
    });

    it("forwarded rules match any organization account; NON_COMPLIANT changes are not routed to the patch-run topic (ComplianceAlerts, issue 19)", () => {
        assert.equal(recorder.find("aws:cloudwatch/eventRule:EventRule").filter((r) => r.name === "org-central-forwarded-non-compliant").length, 0, "issue 19: NON_COMPLIANT changes go to ComplianceAlerts, not the patch-run topic");
        const forwarded = JSON.parse(recorder.get("aws:cloudwatch/eventRule:EventRule", "org-central-forwarded-automation").inputs.eventPattern as string) as Record<string, unknown>;
        assert.equal(forwarded.account, undefined, "no account pin: the OU's accounts are unknown; the bus policy admits only forwarders");
        const central = JSON.parse(recorder.get("aws:cloudwatch/eventRule:EventRule", "org-central-automation").inputs.eventPattern as string) as Record<string, unknown>;
        assert.deepEqual(central.account, [CENTRAL], "the default-bus rules stay pinned to the central account");
        const busPolicy = recorder.get("aws:cloudwatch/eventBusPolicy:EventBusPolicy", "org-central-patch-run-bus-policy");
        assert.deepEqual(JSON.parse(busPolicy.inputs.policy as string), docs.patchRunBusPolicy(docs.patchRunBusArn("us-east-1", CENTRAL), ["222222222222"], ORG));
    });
});
