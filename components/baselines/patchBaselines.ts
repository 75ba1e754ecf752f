import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { approvalRules, ruleProblems } from "./baselineRules";
import { MAX_APPROVE_AFTER_DAYS, type BaselineOptions } from "../../catalog/patchBaselines";
import { baselineName } from "../../catalog/naming";
import { OPERATING_SYSTEMS, type OperatingSystem } from "../../catalog/operatingSystems";

/** One patch group as this component needs it (a subset of the estate's PatchGroup). */
export interface BaselinePatchGroup {
    readonly name: string;
    readonly operatingSystems: readonly OperatingSystem[];
    /** Delay for the stack's environment, 0-360. */
    readonly approveAfterDays: number;
    readonly baselines?: Readonly<Partial<Record<OperatingSystem, BaselineOptions>>>;
}

export interface PatchBaselinesArgs {
    /** Region the baselines and registrations live in. */
    readonly region: string;
    readonly patchGroups: readonly BaselinePatchGroup[];
}

export function validatePatchBaselinesArgs(args: PatchBaselinesArgs): void {
    for (const group of args.patchGroups) {
        if (group.operatingSystems.length === 0) {
            throw new Error(`PatchBaselines: patch group ${group.name} has no operatingSystems`);
        }
        if (!Number.isInteger(group.approveAfterDays) || group.approveAfterDays < 0 || group.approveAfterDays > MAX_APPROVE_AFTER_DAYS) {
            throw new Error(`PatchBaselines: patch group ${group.name} approveAfterDays ${group.approveAfterDays} is not an integer from 0 to ${MAX_APPROVE_AFTER_DAYS}`);
        }
        for (const os of group.operatingSystems) {
            const problems = ruleProblems(os, rulesFor(group, os));
            if (problems.length > 0) {
                throw new Error(`PatchBaselines: patch group ${group.name}: ${problems[0]}`);
            }
        }
    }
}

function rulesFor(group: BaselinePatchGroup, os: OperatingSystem) {
    const options = group.baselines?.[os] ?? {};
    return approvalRules(os, {
        approveAfterDays: group.approveAfterDays,
        ...(options.complianceLevel ? { complianceLevel: options.complianceLevel } : {}),
        ...(options.approvalRules ? { customRules: options.approvalRules } : {}),
    });
}

/** The CreatePatchBaseline inputs for one (patch group, OS), as plain data. */
export function baselineInputs(group: BaselinePatchGroup, os: OperatingSystem, region: string): aws.ssm.PatchBaselineArgs {
    const options = group.baselines?.[os] ?? {};
    const family = OPERATING_SYSTEMS[os].family;
    const hasApproved = (options.approvedPatches?.length ?? 0) > 0;
    return {
        region,
        name: baselineName(group.name, os),
        operatingSystem: os,
        description: `${OPERATING_SYSTEMS[os].displayName} baseline for patch group ${group.name} (multicloud-patching)`,
        approvalRules: rulesFor(group, os).map((rule) => ({
            ...rule,
            patchFilters: rule.patchFilters.map((filter) => ({ key: filter.key, values: [...filter.values] })),
        })),
        ...(hasApproved
            ? {
                  approvedPatches: [...(options.approvedPatches ?? [])],
                  approvedPatchesComplianceLevel: options.complianceLevel ?? "HIGH",
                  // Only Linux baselines accept ApprovedPatchesEnableNonSecurity.
                  ...(family === "windows" ? {} : { approvedPatchesEnableNonSecurity: false }),
              }
            : {}),
        ...((options.rejectedPatches?.length ?? 0) > 0
            ? { rejectedPatches: [...(options.rejectedPatches ?? [])], rejectedPatchesAction: options.rejectedPatchesAction ?? "BLOCK" }
            : {}),
    };
}

/**
 * Patch baselines for one (account, Region): one per (patch group, OS), each registered to its
 * patch group, optionally the Region's default for its OS.
 */
export class PatchBaselines extends pulumi.ComponentResource {
    /** Baseline id per `<patch group>/<OS>`. */
    readonly baselineIds: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: PatchBaselinesArgs, opts?: pulumi.ComponentResourceOptions) {
        validatePatchBaselinesArgs(args);
        super("patching:patching:PatchBaselines", name, {}, opts);
        for (const group of args.patchGroups) {
            for (const os of group.operatingSystems) {
                const child = `${name}-${group.name}-${os}`;
                const baseline = new aws.ssm.PatchBaseline(child, baselineInputs(group, os, args.region), { parent: this });
                new aws.ssm.PatchGroup(`${child}-registration`, { region: args.region, baselineId: baseline.id, patchGroup: group.name }, { parent: this });
                if (group.baselines?.[os]?.setAsDefault === true) {
                    new aws.ssm.DefaultPatchBaseline(`${child}-default`, { region: args.region, baselineId: baseline.id, operatingSystem: os }, { parent: this });
                }
                this.baselineIds[`${group.name}/${os}`] = baseline.id;
            }
        }
        this.registerOutputs({ baselineIds: this.baselineIds });
    }
}
