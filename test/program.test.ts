import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { permissionsBoundaryArn } from "../catalog/naming";
import { isProvider } from "../tools/mock/recorder";
import { factsOf } from "../tools/mock/runtime";
import { evaluateProgram, type Evaluation } from "../tools/plan/evaluate";

const ROOT = path.resolve(__dirname, "..");
const PROGRAM = path.join(ROOT, "index.ts");

function stackFile(stack: string): { config: Record<string, unknown> } {
    return parse(readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"));
}

/** Parent-qualified identity: the engine rejects two resources with the same one. */
function identity(resource: { type: string; name: string; parent?: string }): string {
    return `${resource.type}::${resource.name}::${resource.parent ?? "(root)"}`;
}

for (const stack of ["dev", "prod", "org"]) {
    for (const preview of [false, true]) {
        describe(`the whole program, stack ${stack}${preview ? " (preview)" : ""}`, () => {
            let evaluation: Evaluation;
            const config = stackFile(stack).config;
            const accounts = config["multicloud-patching:accounts"] as { alias: string; id: string }[];
            const subscriptions = (config["multicloud-patching:azureSubscriptions"] ?? []) as { alias: string }[];

            before(async () => {
                evaluation = await evaluateProgram({ directory: ROOT, stack, program: PROGRAM, preview });
            });

            it("disables default providers in the stack file", () => {
                assert.deepEqual(config["pulumi:disable-default-providers"], ["*"]);
            });

            it("registers every (type, name, parent) once across the whole estate", () => {
                const seen = new Set<string>();
                const duplicates = evaluation.recorder.resources.map(identity).filter((id) => seen.size === seen.add(id).size);
                assert.deepEqual(duplicates, []);
            });

            it("gives every cloud resource an explicit provider", () => {
                const orphans = evaluation.recorder.resources.filter((r) => r.custom && !isProvider(r) && r.provider === undefined);
                assert.deepEqual(orphans.map((r) => r.urn), []);
            });

            it("bounds every IAM role with the program boundary of the role's own account", () => {
                const roles = evaluation.recorder.find("aws:iam/role:Role");
                assert.ok(roles.length > 0);
                for (const role of roles) {
                    const provider = evaluation.recorder.providerOf(role);
                    assert.ok(provider !== undefined, role.urn);
                    assert.equal(role.inputs.permissionsBoundary, permissionsBoundaryArn(factsOf(provider).accountId!), role.urn);
                }
            });

            it("creates one AWS provider per configured account (plus one per other member Region for the Config aggregation authorizations) and one Azure provider per subscription", () => {
                // pulumi-aws v7 manages an AggregateAuthorization in its provider's Region (its `region` input is the
                // authorized Region), so each member Region other than the account provider's own needs a provider.
                const central = config["multicloud-patching:centralAccount"] as string;
                const centralRegion = config["multicloud-patching:centralRegion"] as string;
                const organizationMode = config["multicloud-patching:organization"] !== undefined;
                const members = accounts as unknown as { alias: string; regions: string[]; member?: boolean }[];
                const own = (a: { alias: string; regions: string[] }) => (a.alias === central ? centralRegion : a.regions[0]);
                const regional = organizationMode ? [] : members.filter((a) => a.member !== false).flatMap((a) => a.regions.filter((r) => r !== own(a)).map((r) => `aws-${a.alias}-${r}`));
                assert.deepEqual(evaluation.recorder.find("pulumi:providers:aws").map((p) => p.name).sort(), [...accounts.map((a) => `aws-${a.alias}`), ...regional].sort());
                assert.deepEqual(evaluation.recorder.find("pulumi:providers:azure-native").map((p) => p.name).sort(), subscriptions.map((s) => `azure-${s.alias}`).sort());
            });

            it("gives every baseline rule the stack environment's approval delay (none for Debian/Ubuntu)", () => {
                const environment = config["multicloud-patching:environment"] as "dev" | "prod";
                const groups = config["multicloud-patching:patchGroups"] as { name: string; approveAfterDays?: Record<string, number> }[];
                const baselines = evaluation.recorder.find("aws:ssm/patchBaseline:PatchBaseline");
                assert.ok(baselines.length > 0);
                for (const baseline of baselines) {
                    const group = groups.find((g) => (baseline.inputs.name as string).startsWith(`patching-${g.name}-`));
                    const expected = ["UBUNTU", "DEBIAN"].includes(baseline.inputs.operatingSystem as string) ? undefined : (group?.approveAfterDays?.[environment] ?? { dev: 0, prod: 7 }[environment]);
                    for (const rule of baseline.inputs.approvalRules as { approveAfterDays?: number }[]) {
                        assert.equal(rule.approveAfterDays, expected, `${baseline.name}`);
                    }
                }
            });

            it("exports the estate's accounts and central account", () => {
                const central = accounts.find((a) => a.alias === config["multicloud-patching:centralAccount"]);
                assert.equal(evaluation.outputs.centralAccountId, central?.id);
                assert.deepEqual(Object.keys(evaluation.outputs.accounts as object).sort(), accounts.map((a) => a.alias).sort());
            });
        });
    }
}
