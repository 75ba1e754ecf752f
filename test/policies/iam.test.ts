import { strict as assert } from "node:assert";
import { PERMISSIONS_BOUNDARY_NAME } from "../../catalog/naming";
import { BOUNDARY_DEFAULTS, iamAwsManagedPolicyAllowed, iamNoDeprecatedSsmPolicy, iamNoWildcardActionOnAllResources, iamRolePermissionsBoundary } from "../../policies/iam";
import { eventBusPolicyPrincipalCondition, iamAccountPrincipalConditioned, iamExecutionRoleTrust, iamNoPublicPrincipal, iamServiceTrustConfusedDeputy } from "../../policies/principals";
import type { RecordedResource } from "../../tools/mock/recorder";
import { awsProvider, CENTRAL, MEMBER, messages, packMessages, resource, useStackConfig } from "./helpers";
import { validRawConfig } from "../fixtures/estateConfig";

const provider = awsProvider("apps", MEMBER);
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const role = (name: string, trust: object[], extra: Record<string, unknown> = {}) =>
    resource("aws:iam/role:Role", `${name}-role`, { name, assumeRolePolicy: doc(...trust), ...extra }, { provider });
const ssmTrust = { Effect: "Allow", Principal: { Service: "ssm.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": MEMBER } } };
const ec2Trust = { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" };
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
        it("exempts the Default Host Management role's documented SSM trust, for that role name and SSM only", async () => {
            const bare = { Sid: "Dhmc", Effect: "Allow", Principal: { Service: "ssm.amazonaws.com" }, Action: "sts:AssumeRole" };
            assert.deepEqual(await messages(iamServiceTrustConfusedDeputy, [provider, role("patching-default-host-management", [bare])]), []);
            assert.equal((await messages(iamServiceTrustConfusedDeputy, [provider, role("patching-other", [bare])])).length, 1);
            assert.equal((await messages(iamServiceTrustConfusedDeputy, [provider, role("patching-default-host-management", [{ ...bare, Principal: { Service: "lambda.amazonaws.com" } }])])).length, 1);
            assert.equal((await messages(iamServiceTrustConfusedDeputy, [provider, role("patching-default-host-management", [bare])], { exemptRoles: [] })).length, 1);
        });
        it("exempts EC2 (it sends no source keys) unless configured otherwise", async () => {
            const instanceRole = role("patching-managed-node", [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]);
            assert.deepEqual(await messages(iamServiceTrustConfusedDeputy, [provider, instanceRole]), []);
            assert.equal((await messages(iamServiceTrustConfusedDeputy, [provider, instanceRole], { exemptServices: [] })).length, 1);
        });
    });
    describe("endpoint policies as a data perimeter", () => {
        const endpoint = (Condition?: object) =>
            resource("aws:ec2/vpcEndpoint:VpcEndpoint", "ssm", { vpcEndpointType: "Interface", policy: doc({ Sid: "EstatePrincipalsOnly", Effect: "Allow", Principal: "*", Action: "*", Resource: "*", ...(Condition ? { Condition } : {}) }) }, { provider });
        const estateOnly = { StringEquals: { "aws:PrincipalAccount": [CENTRAL, MEMBER] } };
        it('passes "*" on "*" through an interface endpoint for the estate\'s accounts only, not without the condition (AWS\'s default full-access policy)', async () => {
            assert.deepEqual(await messages(iamNoPublicPrincipal, [provider, endpoint(estateOnly)]), []);
            assert.deepEqual(await messages(iamNoWildcardActionOnAllResources, [provider, endpoint(estateOnly)]), []);
            assert.equal((await messages(iamNoPublicPrincipal, [provider, endpoint()])).length, 1);
            assert.deepEqual(await messages(iamNoWildcardActionOnAllResources, [provider, endpoint()]), ['ssm: statement "EstatePrincipalsOnly" allows every action on every resource']);
        });
    });

    describe("iam-role-permissions-boundary", () => {
        const boundary = (account: string, name = PERMISSIONS_BOUNDARY_NAME) => `arn:aws:iam::${account}:policy/${name}`;
        const bounded = (permissionsBoundary?: string) => role("patching-managed-node", [ec2Trust], permissionsBoundary === undefined ? {} : { permissionsBoundary });
        it("defaults to the program's boundary, catalog/naming.ts PERMISSIONS_BOUNDARY_NAME (the pack cannot import it)", () => {
            assert.equal(BOUNDARY_DEFAULTS.boundaryPolicyName, PERMISSIONS_BOUNDARY_NAME);
            assert.equal((iamRolePermissionsBoundary.configSchema?.properties?.["boundaryPolicyName"] as { default?: unknown }).default, PERMISSIONS_BOUNDARY_NAME);
        });
        it("passes a role with the boundary of its own account", async () => assert.deepEqual(await messages(iamRolePermissionsBoundary, [provider, bounded(boundary(MEMBER))]), []));
        it("fails a role without a boundary", async () => {
            assert.deepEqual(await messages(iamRolePermissionsBoundary, [provider, bounded()]), [`role patching-managed-node has no permissions boundary; every program role must carry ${boundary(MEMBER)}`]);
        });
        it("fails the boundary of another account (whose owner could widen it)", async () => {
            assert.deepEqual(await messages(iamRolePermissionsBoundary, [provider, bounded(boundary(CENTRAL))]), [
                `role patching-managed-node has permissions boundary ${boundary(CENTRAL)}; every program role must carry ${boundary(MEMBER)}`,
            ]);
        });
        it("fails another policy as boundary, and follows boundaryPolicyName", async () => {
            assert.equal((await messages(iamRolePermissionsBoundary, [provider, bounded(boundary(MEMBER, "PowerUserBoundary"))])).length, 1);
            assert.deepEqual(await messages(iamRolePermissionsBoundary, [provider, bounded(boundary(MEMBER, "PowerUserBoundary"))], { boundaryPolicyName: "PowerUserBoundary" }), []);
        });
    });

    describe("iam-aws-managed-policy-allowed", () => {
        const managed = (name: string) => `arn:aws:iam::aws:policy/${name}`;
        const attach = (target: RecordedResource, name: string): RecordedResource => ({
            ...resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", `${target.name}-attach`, { role: target.inputs["name"], policyArn: managed(name) }, { provider }),
            propertyDependencies: { role: [target.urn] },
        });
        const instanceRole = role("patching-managed-node", [ec2Trust]);
        const recorderRole = role("patching-config-recorder", [{ Effect: "Allow", Principal: { Service: "config.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": MEMBER } } }]);
        it("passes AmazonSSMManagedInstanceCore on an EC2 instance role and AWS_ConfigRole on the Config recorder's role", async () => {
            assert.deepEqual(await messages(iamAwsManagedPolicyAllowed, [provider, instanceRole, attach(instanceRole, "AmazonSSMManagedInstanceCore"), recorderRole, attach(recorderRole, "service-role/AWS_ConfigRole")]), []);
        });
        it("fails AmazonSSMAutomationRole on the execution role (ssm:* and CloudFormation stacks on *)", async () => {
            const execution = role("AWS-SystemsManager-AutomationExecutionRole", [ssmTrust]);
            assert.deepEqual(await messages(iamAwsManagedPolicyAllowed, [provider, execution, attach(execution, "service-role/AmazonSSMAutomationRole")]), [
                'AWS-SystemsManager-AutomationExecutionRole-role-attach attaches AWS managed policy service-role/AmazonSSMAutomationRole to role AWS-SystemsManager-AutomationExecutionRole: allowed are only "AmazonSSMManagedInstanceCore", "service-role/AWS_ConfigRole", "AmazonSSMManagedEC2InstanceDefaultPolicy"; grant what the role needs with an inline policy scoped to the program\'s resources',
            ]);
        });
        it("passes AmazonSSMManagedEC2InstanceDefaultPolicy on the Default Host Management role (trusted by ssm.amazonaws.com alone), fails it on the EC2 instance role", async () => {
            const dhmcRole = role("patching-default-host-management", [{ Effect: "Allow", Principal: { Service: "ssm.amazonaws.com" }, Action: "sts:AssumeRole" }]);
            assert.deepEqual(await messages(iamAwsManagedPolicyAllowed, [provider, dhmcRole, attach(dhmcRole, "AmazonSSMManagedEC2InstanceDefaultPolicy")]), []);
            assert.deepEqual(await messages(iamAwsManagedPolicyAllowed, [provider, instanceRole, attach(instanceRole, "AmazonSSMManagedEC2InstanceDefaultPolicy")]), [
                'patching-managed-node-role-attach attaches AWS managed policy AmazonSSMManagedEC2InstanceDefaultPolicy to role patching-managed-node, which trusts "Service ec2.amazonaws.com": AmazonSSMManagedEC2InstanceDefaultPolicy is allowed only on roles trusted by "ssm.amazonaws.com" alone',
            ]);
        });
        it("fails an allowed policy on a role of the wrong kind (AWS_ConfigRole on the instance role)", async () => {
            assert.deepEqual(await messages(iamAwsManagedPolicyAllowed, [provider, instanceRole, attach(instanceRole, "service-role/AWS_ConfigRole")]), [
                'patching-managed-node-role-attach attaches AWS managed policy service-role/AWS_ConfigRole to role patching-managed-node, which trusts "Service ec2.amazonaws.com": service-role/AWS_ConfigRole is allowed only on roles trusted by "config.amazonaws.com" alone',
            ]);
        });
        it("fails PowerUserAccess in a role's managedPolicyArns, and on a user", async () => {
            const inline = role("deployer", [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${CENTRAL}:role/ci` }, Action: "sts:AssumeRole" }], { managedPolicyArns: [managed("PowerUserAccess")] });
            assert.equal((await messages(iamAwsManagedPolicyAllowed, [provider, inline])).length, 1);
            const user = resource("aws:iam/userPolicyAttachment:UserPolicyAttachment", "ci-user-core", { user: "ci", policyArn: managed("AmazonSSMManagedInstanceCore") }, { provider });
            assert.deepEqual(await messages(iamAwsManagedPolicyAllowed, [provider, user]), [
                'ci-user-core attaches AWS managed policy AmazonSSMManagedInstanceCore to user ci: AmazonSSMManagedInstanceCore is allowed only on roles trusted by "ec2.amazonaws.com", "ssm.amazonaws.com"',
            ]);
        });
        it("leaves customer managed policies to the document policies", async () => {
            const custom = resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "reader", { role: "r", policyArn: `arn:aws:iam::${MEMBER}:policy/patching-reporting-reader` }, { provider });
            assert.deepEqual(await messages(iamAwsManagedPolicyAllowed, [provider, custom]), []);
        });
        it("follows allowedPolicies", async () => {
            const execution = role("AWS-SystemsManager-AutomationExecutionRole", [ssmTrust]);
            const knobs = { allowedPolicies: [{ policy: "service-role/AmazonSSMAutomationRole" }] };
            assert.deepEqual(await messages(iamAwsManagedPolicyAllowed, [provider, execution, attach(execution, "service-role/AmazonSSMAutomationRole")], knobs), []);
        });
    });

    describe("iam-account-principal-conditioned", () => {
        const root = (account: string) => `arn:aws:iam::${account}:root`;
        const crossAccount = (Principal: unknown, Condition?: object) => role("patching-reader", [{ Sid: "Central", Effect: "Allow", Principal, Action: "sts:AssumeRole", ...(Condition ? { Condition } : {}) }]);
        it("passes an account root narrowed by aws:PrincipalArn", async () => {
            const narrowed = crossAccount({ AWS: root(CENTRAL) }, { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${CENTRAL}:role/patching-ops` } });
            assert.deepEqual(await messages(iamAccountPrincipalConditioned, [provider, narrowed]), []);
        });
        it("fails an account root trusted without a condition", async () => {
            assert.deepEqual(await messages(iamAccountPrincipalConditioned, [provider, crossAccount({ AWS: root(CENTRAL) })]), [
                `patching-reader-role: statement "Central" grants to every principal of account ${CENTRAL} without a condition naming which (aws:PrincipalArn, aws:PrincipalTag/…, aws:userid, aws:username)`,
            ]);
        });
        it("fails a bare account id, and conditions that every principal of the account meets", async () => {
            assert.equal((await messages(iamAccountPrincipalConditioned, [provider, crossAccount({ AWS: CENTRAL })])).length, 1);
            assert.equal((await messages(iamAccountPrincipalConditioned, [provider, crossAccount({ AWS: root(CENTRAL) }, { StringEquals: { "aws:PrincipalAccount": CENTRAL } })])).length, 1);
            assert.equal((await messages(iamAccountPrincipalConditioned, [provider, crossAccount({ AWS: root(CENTRAL) }, { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${CENTRAL}:*` } })])).length, 1);
            assert.equal((await messages(iamAccountPrincipalConditioned, [provider, crossAccount({ AWS: root(CENTRAL) }, { ArnNotEquals: { "aws:PrincipalArn": `arn:aws:iam::${CENTRAL}:role/x` } })])).length, 1);
        });
        it("checks bucket, topic, queue and event-bus policies too", async () => {
            const grant = { Sid: "Members", Effect: "Allow", Principal: { AWS: [root(MEMBER)] }, Action: "*", Resource: "*" };
            for (const [type, extra] of [
                ["aws:s3/bucketPolicy:BucketPolicy", { bucket: "b" }],
                ["aws:sns/topicPolicy:TopicPolicy", { arn: "t" }],
                ["aws:sqs/queuePolicy:QueuePolicy", { queueUrl: "q" }],
                ["aws:cloudwatch/eventBusPolicy:EventBusPolicy", { eventBusName: "b" }],
            ] as const) {
                assert.equal((await messages(iamAccountPrincipalConditioned, [provider, resource(type, "p", { ...extra, policy: doc(grant) }, { provider })])).length, 1, type);
            }
        });
        it("exempts a KMS key policy's grant to the key's own account (AWS's default statement), not to another account", async () => {
            const key = (account: string) =>
                resource("aws:kms/key:Key", "topic-key", { policy: doc({ Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: root(account) }, Action: "kms:*", Resource: "*" }) }, { provider });
            assert.deepEqual(await messages(iamAccountPrincipalConditioned, [provider, key(MEMBER)]), []);
            assert.equal((await messages(iamAccountPrincipalConditioned, [provider, key(CENTRAL)])).length, 1);
        });
        it("is reported by the prod pack for the forwarding bus policy as it was (member roots, no condition)", async () => {
            const bus = resource("aws:cloudwatch/eventBusPolicy:EventBusPolicy", "bus-policy", { eventBusName: "default", policy: doc({ Sid: "Forward", Effect: "Allow", Principal: { AWS: [root(MEMBER)] }, Action: "events:PutEvents", Resource: "*" }) }, { provider });
            const found = await packMessages([provider, bus], "prod");
            assert.deepEqual(found.filter((m) => /^(iam-account-principal-conditioned|event-bus-policy-principal-condition):/.test(m)).length, 2, found.join("\n"));
        });
    });

    describe("event-bus-policy-principal-condition", () => {
        const busPolicy = (Condition?: object, Principal: unknown = { AWS: [`arn:aws:iam::${MEMBER}:root`] }) =>
            resource(
                "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
                "bus-policy",
                { eventBusName: "patching-patch-runs", policy: doc({ Sid: "Forwarders", Effect: "Allow", Principal, Action: "events:PutEvents", Resource: "*", ...(Condition ? { Condition } : {}) }) },
                { provider },
            );
        const forwarders = { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/patching-patch-run-forwarder-*" } };
        it("passes PutEvents limited to the forwarder roles by aws:PrincipalArn", async () => assert.deepEqual(await messages(eventBusPolicyPrincipalCondition, [provider, busPolicy(forwarders)]), []));
        it("fails PutEvents from member accounts without a principal condition", async () => {
            assert.deepEqual(await messages(eventBusPolicyPrincipalCondition, [provider, busPolicy()]), [
                'bus-policy: statement "Forwarders" allows "events:PutEvents" without a principal condition (aws:PrincipalArn, aws:PrincipalOrgID, aws:PrincipalAccount); name the sending roles with aws:PrincipalArn',
            ]);
        });
        it("fails a condition only on the event (events:source), which any principal can meet", async () => {
            assert.equal((await messages(eventBusPolicyPrincipalCondition, [provider, busPolicy({ StringEquals: { "events:source": "aws.ssm" } })])).length, 1);
        });
        it("ignores Deny statements", async () => {
            const deny = resource("aws:cloudwatch/eventBusPolicy:EventBusPolicy", "bus-policy", { eventBusName: "b", policy: doc({ Effect: "Deny", Principal: { AWS: "*" }, Action: "events:PutEvents", Resource: "*" }) }, { provider });
            assert.deepEqual(await messages(eventBusPolicyPrincipalCondition, [provider, deny]), []);
        });
        it("fails an EventPermission without a condition, passes one for the organization", async () => {
            const permission = (extra: object) => resource("aws:cloudwatch/eventPermission:EventPermission", "member", { principal: MEMBER, statementId: "member", ...extra }, { provider });
            assert.deepEqual(await messages(eventBusPolicyPrincipalCondition, [provider, permission({})]), [
                `member lets ${MEMBER} put events without a principal condition; use an EventBusPolicy with aws:PrincipalArn naming the sending roles`,
            ]);
            assert.deepEqual(await messages(eventBusPolicyPrincipalCondition, [provider, permission({ principal: "*", condition: { key: "aws:PrincipalOrgID", type: "StringEquals", value: "o-abc123" } })]), []);
        });
    });
});
