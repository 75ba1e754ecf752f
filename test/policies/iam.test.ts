import { strict as assert } from "node:assert";
import { iamExecutionRoleTrust, iamNoDeprecatedSsmPolicy, iamNoPublicPrincipal, iamNoWildcardActionOnAllResources, iamServiceTrustConfusedDeputy } from "../../policies/iam";
import { awsProvider, CENTRAL, MEMBER, messages, resource, useStackConfig } from "./helpers";
import { validRawConfig } from "../fixtures/estateConfig";

const provider = awsProvider("apps", MEMBER);
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const role = (name: string, trust: object[], extra: Record<string, unknown> = {}) =>
    resource("aws:iam/role:Role", `${name}-role`, { name, assumeRolePolicy: doc(...trust), ...extra }, { provider });
const ssmTrust = { Effect: "Allow", Principal: { Service: "ssm.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": MEMBER } } };
const adminArn = `arn:aws:iam::${CENTRAL}:role/AWS-SystemsManager-AutomationAdministrationRole`;

describe("policies/iam", () => {
    describe("iam-no-deprecated-ssm-policy", () => {
        const attach = (arn: string) => resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "node-core", { role: "patching-managed-node", policyArn: arn }, { provider });
        it("passes AmazonSSMManagedInstanceCore", async () => assert.deepEqual(await messages(iamNoDeprecatedSsmPolicy, [provider, attach("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")]), []));
        it("fails AmazonEC2RoleforSSM", async () => {
            assert.deepEqual(await messages(iamNoDeprecatedSsmPolicy, [provider, attach("arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM")]), [
                "node-core attaches the deprecated AmazonEC2RoleforSSM (it grants s3:* and more on every resource); attach AmazonSSMManagedInstanceCore instead",
            ]);
        });
        it("fails it in a role's managedPolicyArns too", async () => {
            const inline = role("r", [ssmTrust], { managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM"] });
            assert.equal((await messages(iamNoDeprecatedSsmPolicy, [provider, inline])).length, 1);
        });
    });

    describe("iam-no-public-principal", () => {
        const bucketPolicy = (statement: object) => resource("aws:s3/bucketPolicy:BucketPolicy", "sync-policy", { bucket: "b", policy: doc(statement) }, { provider });
        const open = { Sid: "Writers", Effect: "Allow", Principal: "*", Action: "s3:PutObject", Resource: "arn:aws:s3:::b/*" };
        it("passes Principal * restricted by aws:PrincipalOrgID", async () => {
            assert.deepEqual(await messages(iamNoPublicPrincipal, [provider, bucketPolicy({ ...open, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } })]), []);
        });
        it("fails Principal * without a condition", async () => {
            assert.deepEqual(await messages(iamNoPublicPrincipal, [provider, bucketPolicy(open)]), [
                'sync-policy: statement "Writers" allows "Principal": "*" without a condition restricting who (aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID, …)',
            ]);
        });
        it("fails a negated condition, which lets every other principal in", async () => {
            assert.equal((await messages(iamNoPublicPrincipal, [provider, bucketPolicy({ ...open, Condition: { StringNotEquals: { "aws:PrincipalAccount": MEMBER } } })])).length, 1);
        });
        it("passes an endpoint policy with Principal * on named buckets, fails one on every resource", async () => {
            const endpoint = (Resource: unknown) =>
                resource("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", { vpcEndpointType: "Gateway", policy: doc({ Sid: "Repos", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource }) }, { provider });
            assert.deepEqual(await messages(iamNoPublicPrincipal, [provider, endpoint(["arn:aws:s3:::amazon-ssm-us-west-2/*"])]), []);
            assert.deepEqual(await messages(iamNoPublicPrincipal, [provider, endpoint("*")]), [
                's3: statement "Repos" allows "Principal": "*" through the endpoint on every resource or action; name the resources it may reach',
            ]);
        });
        it("checks event-bus policies too (cross-account forwarding)", async () => {
            const bus = (principal: unknown) => resource("aws:cloudwatch/eventBusPolicy:EventBusPolicy", "bus-policy", { eventBusName: "default", policy: doc({ Sid: "Forward", Effect: "Allow", Principal: principal, Action: "events:PutEvents", Resource: "*" }) }, { provider });
            assert.deepEqual(await messages(iamNoPublicPrincipal, [provider, bus({ AWS: [`arn:aws:iam::${MEMBER}:root`] })]), []);
            assert.equal((await messages(iamNoPublicPrincipal, [provider, bus("*")])).length, 1);
        });
        it("fails a Lambda permission for any principal without a source", async () => {
            const permission = resource("aws:lambda/permission:Permission", "invoke", { action: "lambda:InvokeFunction", function: "f", principal: "*" }, { provider });
            assert.deepEqual(await messages(iamNoPublicPrincipal, [provider, permission]), ['invoke lets any principal invoke the function (principal "*" without sourceArn, sourceAccount or principalOrgId)']);
        });
    });

    describe("iam-no-wildcard-action-on-all-resources", () => {
        const inline = (statement: object) => resource("aws:iam/rolePolicy:RolePolicy", "runbook-policy", { role: "r", policy: doc(statement) }, { provider });
        it("passes a service-wide action on all resources (kms:* in a key policy is the norm)", async () => {
            assert.deepEqual(await messages(iamNoWildcardActionOnAllResources, [provider, inline({ Effect: "Allow", Action: "kms:*", Resource: "*" })]), []);
        });
        it('fails "*" on "*"', async () => {
            assert.deepEqual(await messages(iamNoWildcardActionOnAllResources, [provider, inline({ Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" })]), [
                'runbook-policy: statement "Everything" allows every action on every resource',
            ]);
        });
        it("fails an AdministratorAccess attachment", async () => {
            const attach = resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "admin", { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }, { provider });
            assert.deepEqual(await messages(iamNoWildcardActionOnAllResources, [provider, attach]), ['admin attaches AdministratorAccess ("*" on "*")']);
        });
    });

    describe("iam-execution-role-trust", () => {
        before(() => useStackConfig(validRawConfig()));
        const execution = (...extra: object[]) => role("AWS-SystemsManager-AutomationExecutionRole", [{ Effect: "Allow", Principal: { AWS: adminArn }, Action: "sts:AssumeRole" }, ssmTrust, ...extra]);
        it("passes the central administration role and ssm.amazonaws.com", async () => assert.deepEqual(await messages(iamExecutionRoleTrust, [provider, execution()]), []));
        it("fails the central account root", async () => {
            assert.deepEqual(await messages(iamExecutionRoleTrust, [provider, execution({ Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${CENTRAL}:root` }, Action: "sts:AssumeRole" })]), [
                `AWS-SystemsManager-AutomationExecutionRole-role: statement "Root" trusts "AWS arn:aws:iam::${CENTRAL}:root"; only the central AWS-SystemsManager-AutomationAdministrationRole and ssm.amazonaws.com may assume the execution role`,
            ]);
        });
        it("fails an administration role of the same name in another account", async () => {
            const stranger = { Effect: "Allow", Principal: { AWS: adminArn.replace(CENTRAL, "999999999999") }, Action: "sts:AssumeRole" };
            assert.equal((await messages(iamExecutionRoleTrust, [provider, execution(stranger)])).length, 1);
        });
        it("leaves other roles alone", async () => assert.deepEqual(await messages(iamExecutionRoleTrust, [provider, role("other", [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }])]), []));
    });

    describe("iam-service-trust-confused-deputy", () => {
        const lambdaTrust = { Sid: "Lambda", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" };
        it("passes service trust with aws:SourceAccount", async () => {
            assert.deepEqual(await messages(iamServiceTrustConfusedDeputy, [provider, role("enforcer", [{ ...lambdaTrust, Condition: { StringEquals: { "aws:SourceAccount": MEMBER } } }])]), []);
        });
        it("fails service trust without source keys", async () => {
            assert.deepEqual(await messages(iamServiceTrustConfusedDeputy, [provider, role("enforcer", [lambdaTrust])]), [
                'enforcer-role: statement "Lambda" lets "lambda.amazonaws.com" assume the role without aws:SourceAccount or aws:SourceArn (confused deputy)',
            ]);
        });
        it("exempts EC2 (it sends no source keys) unless configured otherwise", async () => {
            const instanceRole = role("patching-managed-node", [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]);
            assert.deepEqual(await messages(iamServiceTrustConfusedDeputy, [provider, instanceRole]), []);
            assert.equal((await messages(iamServiceTrustConfusedDeputy, [provider, instanceRole], { exemptServices: [] })).length, 1);
        });
    });
});
