import { strict as assert } from "node:assert";
import type { RecordedResource } from "../../tools/mock/recorder";
import { evaluatedStack } from "../fixtures/programEvaluations";
import type { Evaluation } from "../../tools/plan/evaluate";
import { remediationRateControl } from "../../stacks/awsCompliance";
import { REMEDIATION_ATTEMPT_MAX_SECONDS } from "../../stacks/config/crossChecks";
import { patchComplianceRemediationDocument, remediationAttemptMaxSeconds } from "../../components/compliance/complianceDocuments";
import { AUTOMATION_DOCUMENT_NAMES } from "../../components/runbooks/patchAutomationDocuments";
import type { PatchGroup, RateControl } from "../../stacks/config/estateModel";

const json = (value: unknown) => JSON.parse(String(value));

describe("compliance, notifications and the SSM-role enforcer wired into the estates", () => {
    const evaluations: Record<string, Evaluation> = {};
    const providerName = (stack: string, r: RecordedResource) => evaluations[stack].recorder.providerOf(r)?.name;

    before(async () => {
        for (const stack of ["dev", "prod"]) {
            evaluations[stack] = await evaluatedStack(stack);
        }
    });

    it("prod: every member location gets the three Config rules, no topic of its own (issue 19: one central compliance topic), and no recorder", () => {
        const { recorder } = evaluations.prod;
        for (const alias of ["security", "shared-services", "application"]) {
            for (const region of ["us-west-2", "eu-west-2"]) {
                const scope = `${alias}-${region}`;
                const rules = recorder.find("aws:cfg/rule:Rule").filter((r) => r.name.startsWith(`${scope}-compliance-`));
                assert.deepEqual(rules.map((r) => (r.inputs.source as { sourceIdentifier: string }).sourceIdentifier).sort(), [
                    "EC2_INSTANCE_MANAGED_BY_SSM",
                    "EC2_MANAGEDINSTANCE_ASSOCIATION_COMPLIANCE_STATUS_CHECK",
                    "EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK",
                ]);
                assert.ok(rules.every((r) => providerName("prod", r) === `aws-${alias}` && r.inputs.region === region));
                assert.deepEqual(recorder.find("aws:sns/topic:Topic").filter((t) => t.name.startsWith(`${scope}-compliance-`)), []);
            }
        }
        assert.equal(recorder.find("aws:cfg/recorder:Recorder").length, 0);
        assert.equal(recorder.find("aws:cfg/remediationConfiguration:RemediationConfiguration").length, 0);
    });

    it("dev: a Config recorder delivering into the inventory-log bucket, which lets Config write there", () => {
        const { recorder } = evaluations.dev;
        const channel = recorder.get("aws:cfg/deliveryChannel:DeliveryChannel", "dev-apps-eu-west-2-compliance-delivery-channel");
        assert.equal(channel.inputs.s3BucketName, "patching-inventory-logs-555555555555-eu-west-2");
        assert.equal(channel.inputs.s3KeyPrefix, "config");
        const policy = json(recorder.get("aws:s3/bucketPolicy:BucketPolicy", "dev-apps-eu-west-2-log-buckets-inventory-policy").inputs.policy);
        const delivery = policy.Statement.find((s: { Sid: string }) => s.Sid === "AWSConfigBucketDelivery");
        assert.equal(delivery.Resource, "arn:aws:s3:::patching-inventory-logs-555555555555-eu-west-2/config/AWSLogs/555555555555/Config/*");
        const bucketPolicy = recorder.get("aws:s3/bucketPolicy:BucketPolicy", "dev-apps-eu-west-2-log-buckets-inventory-policy");
        assert.ok(channel.options.dependsOn.includes(bucketPolicy.urn), "the channel waits for the bucket policy");
        assert.equal(recorder.find("aws:cfg/recorder:Recorder").length, 3, "one per member location");
        // Config delivers into a same-account bucket as the recorder's own role.
        const rolePolicy = recorder.get("aws:iam/rolePolicy:RolePolicy", "dev-apps-eu-west-2-compliance-recorder-delivery");
        assert.equal(json(rolePolicy.inputs.policy).Statement[0].Resource, "arn:aws:s3:::patching-inventory-logs-555555555555-eu-west-2/config/AWSLogs/555555555555/*");
        assert.ok(channel.options.dependsOn.includes(rolePolicy.urn), "the channel waits for the role's delivery permissions");
    });

    it("dev: automatic remediation installs with RebootIfNeeded under the account's execution role, bounded, at the groups' rate", () => {
        const { recorder } = evaluations.dev;
        const remediation = recorder.get("aws:cfg/remediationConfiguration:RemediationConfiguration", "dev-apps-us-west-2-compliance-remediation");
        const parameters = remediation.inputs.parameters as { name: string; staticValue?: string }[];
        assert.deepEqual(Object.fromEntries(parameters.filter((p) => p.staticValue !== undefined).map((p) => [p.name, p.staticValue])), {
            AutomationAssumeRole: "arn:aws:iam::555555555555:role/AWS-SystemsManager-AutomationExecutionRole",
            Operation: "Install",
            RebootOption: "RebootIfNeeded",
        });
        assert.equal(remediation.inputs.automatic, true);
        // 3 attempts of up to 7560 s each fit in a day: Config adds a remediation exception instead of looping.
        assert.deepEqual([remediation.inputs.maximumAutomaticAttempts, remediation.inputs.retryAttemptSeconds], [3, 86400]);
        // Dev's groups use the default 10% / 10%.
        assert.deepEqual(remediation.inputs.executionControls, { ssmControls: { concurrentExecutionRatePercentage: 10, errorPercentage: 10 } });
    });

    it("checks the configured remediation window against the wrapper runbook the program deploys", () => {
        assert.equal(REMEDIATION_ATTEMPT_MAX_SECONDS, remediationAttemptMaxSeconds(patchComplianceRemediationDocument(AUTOMATION_DOCUMENT_NAMES.runPatchBaseline)));
    });

    it("takes remediation's rate control from the strictest patch group where it translates to a share", () => {
        const group = (maxConcurrency: string, maxErrors: string) => ({ rateControl: { maxConcurrency, maxErrors } as RateControl }) as PatchGroup;
        assert.deepEqual(remediationRateControl([group("10%", "5%"), group("25%", "10%")]), { concurrentExecutionRatePercentage: 10, errorPercentage: 5 });
        // prod AppA: one node at a time, no error tolerated → the strictest Config accepts (1).
        assert.deepEqual(remediationRateControl([group("10%", "5%"), group("1", "0")]), { concurrentExecutionRatePercentage: 1, errorPercentage: 1 });
        assert.deepEqual(remediationRateControl([group("0%", "0%")]), { concurrentExecutionRatePercentage: 1, errorPercentage: 1 });
        // Absolute counts other than serial have no share equivalent: the component defaults apply.
        assert.deepEqual(remediationRateControl([group("5", "2")]), {});
        assert.deepEqual(remediationRateControl([]), {});
    });

    for (const stack of ["dev", "prod"]) {
        it(`${stack}: an SSM-role enforcer in every member location that hands out the managed-node profile`, () => {
            const { recorder } = evaluations[stack];
            const functions = recorder.find("aws:lambda/function:Function").filter((f) => f.inputs.name === "patching-ssm-role-enforcer");
            const locations = recorder.find("aws:ssm/association:Association").filter((a) => a.inputs.name === "AWS-GatherSoftwareInventory").map((a) => `${providerName(stack, a)} ${a.inputs.region}`).sort();
            assert.deepEqual(functions.map((f) => `${providerName(stack, f)} ${f.inputs.region}`).sort(), locations);
            for (const fn of functions) {
                const variables = (fn.inputs.environment as { variables: Record<string, string> }).variables;
                assert.equal(Object.values(variables).includes("patching-managed-node"), true);
                const profile = recorder.find("aws:iam/instanceProfile:InstanceProfile").find((p) => providerName(stack, p) === providerName(stack, fn));
                assert.ok(profile && fn.options.dependsOn.includes(profile.urn), "the function waits for the profile it hands out");
                assert.match(JSON.stringify(fn.inputs.code), /"\$asset":"file","bytes":\d+,"sha256":"[0-9a-f]{64}"/, "the bundled handler (a file asset of the cached bundle), summarised in the plan");
            }
        });
    }
});
