import { strict as assert } from "node:assert";
import type { Policy, PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import { ResourceRecorder } from "../../tools/mock/recorder";
import { resolvePolicyConfig } from "../../tools/plan/policyConfig";
import { runPolicies, stackResources } from "../../tools/plan/policyRun";
import { awsProvider, idOf, resource } from "../policies/helpers";

const provider = awsProvider("hub", "111111111111");
const group = resource("aws:ec2/securityGroup:SecurityGroup", "endpoints", { vpcId: "vpc-1" }, { provider });
const other = resource("aws:ec2/securityGroup:SecurityGroup", "instances", { vpcId: "vpc-1" }, { provider });
const rule = resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "https", { securityGroupId: idOf(group), referencedSecurityGroupId: "[unknown]", fromPort: 443 }, { provider, dependsOn: [group, other], retainOnDelete: true });

function recorder() {
    const recorded = new ResourceRecorder();
    [provider, group, other, rule].forEach((r) => recorded.add(r));
    return recorded;
}

async function run(policy: Policy, level: string) {
    return runPolicies(recorder(), { config: resolvePolicyConfig([policy], { [policy.name]: level }, "test"), policies: [policy] });
}

describe("tools/plan/policyRun: the pack's args, offline", () => {
    it("attributes each dependency to the input naming its id, and unclaimed ones to unknown inputs", () => {
        const https = stackResources(recorder()).find((r) => r.name === "https") as PolicyResource;
        const names = Object.fromEntries(Object.entries(https.propertyDependencies).map(([key, deps]) => [key, deps.map((d) => d.name)]));
        assert.deepEqual(names, { securityGroupId: ["endpoints"], referencedSecurityGroupId: ["instances"] });
        assert.equal(https.provider?.name, "aws-hub");
        assert.deepEqual(https.dependencies.map((d) => d.name), ["endpoints", "instances"]);
    });

    it("passes retainOnDelete and protect in the options, and the provider's JSON-encoded inputs", async () => {
        const seen: unknown[] = [];
        const probe: Policy = {
            name: "probe",
            description: "records what a resource policy gets",
            validateResource: (args: ResourceValidationArgs) => {
                if (args.name === "https") {
                    seen.push((args.opts as { retainOnDelete?: boolean }).retainOnDelete, args.opts.protect, args.provider?.props["allowedAccountIds"]);
                }
            },
        } as Policy;
        await run(probe, "mandatory");
        assert.deepEqual(seen, [true, false, '["111111111111"]']);
    });

    it("turns a read of an unknown value into an advisory 'can't run during preview', like the SDK", async () => {
        const careless = { name: "careless", description: "reads an unknown value", validateResource: (args: ResourceValidationArgs) => void String(args.props["referencedSecurityGroupId"]) } as Policy;
        const found = await run(careless, "mandatory");
        assert.deepEqual(found.map((v) => [v.level, v.name, v.message]), [["advisory", "https", "can't run policy during preview: string value at .referencedSecurityGroupId can't be known during preview"]]);
    });

    it("skips disabled policies, reports remediate as mandatory, and ignores not-applicable", async () => {
        const always = { name: "always", description: "reports every security group", validateResource: (args: ResourceValidationArgs, report: (m: string) => void) => (args.type.includes("securityGroup:") ? report("x") : args.notApplicable()) } as Policy;
        assert.deepEqual(await run(always, "disabled"), []);
        assert.deepEqual((await run(always, "remediate")).map((v) => `${v.level} ${v.name}`), ["mandatory endpoints", "mandatory instances"]);
    });
});
