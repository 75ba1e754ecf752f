import type { RecordedResource } from "../mock/recorder";

/**
 * What the real Pulumi engine costs to run this stack, which the offline mock run cannot show:
 * every explicit provider resource (`pulumi:providers:<package>`) is its own plugin process
 * (issue 16). Figures per process:
 * - aws: ~300-430 MB resident per provider process (pulumi/pulumi-aws#5860: the provider's schema
 *   and metadata are loaded by every instance; pulumi/pulumi#19534 tracks sharing one process
 *   across provider instances).
 * - azure-native: no documented per-process figure; ASSUMED the same range as aws (it too embeds a
 *   large generated schema). Stated as an assumption in the output.
 * - anything else: unknown, counted but left out of the memory estimate.
 */

export interface ProcessMemory {
    readonly lowMb: number;
    readonly highMb: number;
    /** Where the figure comes from (an issue) or that it is an assumption. */
    readonly basis: string;
}

export const PROVIDER_PROCESS_MEMORY: Readonly<Record<string, ProcessMemory>> = {
    aws: { lowMb: 300, highMb: 430, basis: "pulumi/pulumi-aws#5860" },
    "azure-native": { lowMb: 300, highMb: 430, basis: "assumed (no documented figure): the aws range" },
};

/** Above either, a configured-accounts estate is better served by organization mode. */
export const ENGINE_COST_THRESHOLDS = { awsProviderProcesses: 10, estimatedHighMb: 4096 } as const;

export interface PackageCost {
    readonly package: string;
    readonly processes: number;
    /** Undefined when no per-process figure is known for the package. */
    readonly memoryMb?: { readonly low: number; readonly high: number; readonly basis: string };
}

export interface EngineCost {
    readonly providerProcesses: number;
    readonly byPackage: readonly PackageCost[];
    /** Sum over the packages with a figure. */
    readonly estimatedMemoryMb: { readonly low: number; readonly high: number };
    /** Packages whose processes are not in the estimate. */
    readonly unknownPackages: readonly string[];
    /**
     * The stack already deploys the member side as service-managed StackSets (organization mode):
     * recommending organization mode would be wrong; what remains are the configured accounts.
     */
    readonly organizationMode: boolean;
    /** The warning line when the thresholds are crossed (not an error). */
    readonly warning?: string;
}

const PROVIDER_PREFIX = "pulumi:providers:";

/** Organization mode registers its member side as SERVICE_MANAGED StackSets (components/organization/stackSets.ts). */
export function isOrganizationMode(resources: readonly RecordedResource[]): boolean {
    return resources.some((r) => r.type === "aws:cloudformation/stackSet:StackSet" && r.inputs["permissionModel"] === "SERVICE_MANAGED");
}

export function engineCost(resources: readonly RecordedResource[]): EngineCost {
    const counts = new Map<string, number>();
    for (const resource of resources) {
        if (resource.type.startsWith(PROVIDER_PREFIX)) {
            const pkg = resource.type.slice(PROVIDER_PREFIX.length);
            counts.set(pkg, (counts.get(pkg) ?? 0) + 1);
        }
    }
    const byPackage: PackageCost[] = [...counts.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([pkg, processes]) => {
            const figure = PROVIDER_PROCESS_MEMORY[pkg];
            return figure === undefined ? { package: pkg, processes } : { package: pkg, processes, memoryMb: { low: processes * figure.lowMb, high: processes * figure.highMb, basis: figure.basis } };
        });
    const estimatedMemoryMb = byPackage.reduce((sum, p) => ({ low: sum.low + (p.memoryMb?.low ?? 0), high: sum.high + (p.memoryMb?.high ?? 0) }), { low: 0, high: 0 });
    const cost = {
        providerProcesses: byPackage.reduce((sum, p) => sum + p.processes, 0),
        byPackage,
        estimatedMemoryMb,
        unknownPackages: byPackage.filter((p) => p.memoryMb === undefined).map((p) => p.package),
        organizationMode: isOrganizationMode(resources),
    };
    const warning = engineWarning(cost);
    return warning === undefined ? cost : { ...cost, warning };
}

function engineWarning(cost: Omit<EngineCost, "warning">): string | undefined {
    const aws = cost.byPackage.find((p) => p.package === "aws")?.processes ?? 0;
    if (aws <= ENGINE_COST_THRESHOLDS.awsProviderProcesses && cost.estimatedMemoryMb.high <= ENGINE_COST_THRESHOLDS.estimatedHighMb) {
        return undefined;
    }
    const processes = `${aws} AWS provider processes, ~${gb(cost.estimatedMemoryMb.low)}-${gb(cost.estimatedMemoryMb.high)} GB of provider memory under the real engine`;
    if (cost.organizationMode) {
        // Already organization mode: only the configured accounts beside it still cost a provider each.
        return (
            `warning: ${processes} although the stack is in organization mode: every configured account still has its own AWS provider; ` +
            `above ${ENGINE_COST_THRESHOLDS.awsProviderProcesses} accounts or ${gb(ENGINE_COST_THRESHOLDS.estimatedHighMb)} GB, move the configured accounts that belong to the organization into its targets (StackSets to their organizational units)`
        );
    }
    return (
        `warning: ${processes} (one AWS provider per configured account); ` +
        `above ${ENGINE_COST_THRESHOLDS.awsProviderProcesses} accounts or ${gb(ENGINE_COST_THRESHOLDS.estimatedHighMb)} GB, organization mode (the organization block: StackSets to organizational units) is the better fit`
    );
}

function gb(mb: number): string {
    return (mb / 1024).toFixed(1);
}

/** One line for the plan's stdout. */
export function renderEngineCost(cost: EngineCost): string {
    const parts = cost.byPackage.map((p) => (p.memoryMb === undefined ? `${p.package}×${p.processes} (memory unknown)` : `${p.package}×${p.processes} (${p.memoryMb.low}-${p.memoryMb.high} MB, ${p.memoryMb.basis})`));
    return `engine: ${cost.providerProcesses} provider processes under the real engine: ${parts.join(", ") || "none"}; estimated ${gb(cost.estimatedMemoryMb.low)}-${gb(cost.estimatedMemoryMb.high)} GB`;
}
