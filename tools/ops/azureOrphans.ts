import {
    DeregisterManagedInstanceCommand,
    DescribeInstanceInformationCommand,
    GetInventoryCommand,
    ListTagsForResourceCommand,
    SSMClient,
    type DeregisterManagedInstanceCommandInput,
    type DeregisterManagedInstanceCommandOutput,
    type DescribeInstanceInformationCommandInput,
    type DescribeInstanceInformationCommandOutput,
    type GetInventoryCommandInput,
    type GetInventoryCommandOutput,
    type InstanceInformation,
    type ListTagsForResourceCommandInput,
    type ListTagsForResourceCommandOutput,
} from "@aws-sdk/client-ssm";
import Table from "cli-table3";
import { AZURE_VM_INVENTORY } from "../../components/inventory/azureVmInventoryDocument";
import { hasAzureVms } from "../../stacks/azureVms";
import { clientConfig, type ClientOptions, type OpsDeps } from "./clients";
import { loadEstate, UsageError } from "./estate";

/** The SSM calls `azure-orphans` makes in the hybrid home (moto has none of them: tests replay the wire). */
export interface HybridNodesApi {
    describeInstanceInformation(input: DescribeInstanceInformationCommandInput): Promise<DescribeInstanceInformationCommandOutput>;
    getInventory(input: GetInventoryCommandInput): Promise<GetInventoryCommandOutput>;
    listTagsForResource(input: ListTagsForResourceCommandInput): Promise<ListTagsForResourceCommandOutput>;
    deregisterManagedInstance(input: DeregisterManagedInstanceCommandInput): Promise<DeregisterManagedInstanceCommandOutput>;
}

export function sdkHybridNodes(options: ClientOptions): HybridNodesApi {
    const client = new SSMClient(clientConfig(options));
    return {
        describeInstanceInformation: (input) => client.send(new DescribeInstanceInformationCommand(input)),
        getInventory: (input) => client.send(new GetInventoryCommand(input)),
        listTagsForResource: (input) => client.send(new ListTagsForResourceCommand(input)),
        deregisterManagedInstance: (input) => client.send(new DeregisterManagedInstanceCommand(input)),
    };
}

/** OpsDeps plus, in tests, a replacement for the hybrid-nodes client. */
export type AzureOrphansDeps = OpsDeps & { readonly hybridNodes?: (options: ClientOptions) => HybridNodesApi };

export interface AzureOrphansOptions {
    readonly stack: string;
    readonly deregisterSuperseded: boolean;
    readonly format: "table" | "json";
    readonly profile?: string;
}

/** One live hybrid node with its latest Custom:AzureVm content and its SSM patch-group tag. */
export interface AzureNode {
    readonly nodeId: string;
    readonly registered?: Date;
    readonly vmId: string;
    readonly vmName: string;
    readonly resourceGroup: string;
    /** The Azure patch-group tag as the VM reported it ("" = removed). */
    readonly azureTag: string;
    /** The node's SSM patch-group tag (undefined = none). */
    readonly ssmTag?: string;
}

export interface Finding {
    readonly kind: "tag-removed" | "tag-differs" | "superseded";
    readonly node: AzureNode;
    readonly detail: string;
}

/**
 * (a) Nodes whose VM's Azure tag was removed or differs from the node's SSM tag (the tag is what
 * Patch Manager reads, so such a node is patched as a group it no longer belongs to); (b) for a VM
 * registered more than once (a group move re-registers it with a new `mi-` id), every node but
 * the newest registration.
 */
export function findOrphans(nodes: readonly AzureNode[]): Finding[] {
    const findings: Finding[] = [];
    const byVm = new Map<string, AzureNode[]>();
    for (const node of nodes) {
        byVm.set(node.vmId, [...(byVm.get(node.vmId) ?? []), node]);
    }
    const superseded = new Set<string>();
    for (const group of byVm.values()) {
        const newestFirst = [...group].sort((a, b) => (b.registered?.getTime() ?? 0) - (a.registered?.getTime() ?? 0));
        for (const old of newestFirst.slice(1)) {
            superseded.add(old.nodeId);
            findings.push({ kind: "superseded", node: old, detail: `VM ${old.vmId} is registered again as ${newestFirst[0].nodeId} (${newestFirst[0].registered?.toISOString() ?? "unknown date"})` });
        }
    }
    for (const node of nodes) {
        if (superseded.has(node.nodeId)) {
            continue;
        }
        if (node.azureTag === "") {
            findings.push({ kind: "tag-removed", node, detail: `the Azure patch-group tag was removed; the node is still tagged ${node.ssmTag ?? "(none)"}` });
        } else if (node.azureTag !== node.ssmTag) {
            findings.push({ kind: "tag-differs", node, detail: `Azure says ${node.azureTag}, the node is tagged ${node.ssmTag ?? "(none)"}` });
        }
    }
    return findings;
}

async function allHybridNodes(api: HybridNodesApi): Promise<InstanceInformation[]> {
    const nodes: InstanceInformation[] = [];
    let token: string | undefined;
    do {
        // ResourceType ManagedInstance: hybrid (mi-) nodes only; 50 a page at most.
        const page = await api.describeInstanceInformation({ Filters: [{ Key: "ResourceType", Values: ["ManagedInstance"] }], MaxResults: 50, ...(token ? { NextToken: token } : {}) });
        nodes.push(...(page.InstanceInformationList ?? []));
        token = page.NextToken;
    } while (token);
    return nodes;
}

async function azureContent(api: HybridNodesApi): Promise<Map<string, Record<string, string>>> {
    const content = new Map<string, Record<string, string>>();
    let token: string | undefined;
    do {
        // GetInventory: one result type per call (ResultAttributes 1 item), 100 entities a page at most.
        const page = await api.getInventory({ ResultAttributes: [{ TypeName: AZURE_VM_INVENTORY.typeName }], MaxResults: 100, ...(token ? { NextToken: token } : {}) });
        for (const entity of page.Entities ?? []) {
            const item = entity.Data?.[AZURE_VM_INVENTORY.typeName]?.Content?.[0];
            if (entity.Id !== undefined && item !== undefined) {
                content.set(entity.Id, item);
            }
        }
        token = page.NextToken;
    } while (token);
    return content;
}

function render(findings: readonly Finding[], format: AzureOrphansOptions["format"], context: { stack: string; region: string; nodes: number }): string {
    if (format === "json") {
        return `${JSON.stringify({ ...context, findings: findings.map((f) => ({ kind: f.kind, ...f.node, registered: f.node.registered?.toISOString(), detail: f.detail })) }, null, 2)}\n`;
    }
    const title = `Azure hybrid nodes in ${context.region}: ${context.nodes} with ${AZURE_VM_INVENTORY.typeName} inventory, ${findings.length} finding${findings.length === 1 ? "" : "s"}`;
    if (findings.length === 0) {
        return `${title}\n`;
    }
    const table = new Table({ head: ["kind", "node", "vm", "resource group", "detail"], style: { head: [], border: [] } });
    table.push(...findings.map((f) => [f.kind, f.node.nodeId, f.node.vmName, f.node.resourceGroup, f.detail]));
    return `${title}\n${table.toString()}\n`;
}

/** `azure-orphans`: report orphaned and superseded Azure nodes; deregister the superseded on request. */
export async function azureOrphans(options: AzureOrphansOptions, deps: AzureOrphansDeps): Promise<number> {
    const estate = loadEstate(deps.directory, options.stack);
    if (!hasAzureVms(estate)) {
        throw new UsageError(`--stack: stack "${options.stack}" has no Azure VMs (neither azure subscriptions with VMs nor azure.autoRegister)`);
    }
    const region = estate.hybrid.region;
    const api = (deps.hybridNodes ?? sdkHybridNodes)({ region, ...(options.profile === undefined ? {} : { profile: options.profile }) });
    const [registered, content] = [await allHybridNodes(api), await azureContent(api)];
    const nodes: AzureNode[] = [];
    for (const info of registered) {
        const item = info.InstanceId === undefined ? undefined : content.get(info.InstanceId);
        if (item === undefined || info.InstanceId === undefined) {
            continue;
        }
        const tags = (await api.listTagsForResource({ ResourceType: "ManagedInstance", ResourceId: info.InstanceId })).TagList ?? [];
        nodes.push({
            nodeId: info.InstanceId,
            registered: info.RegistrationDate,
            vmId: item.VmId ?? "",
            vmName: item.VmName ?? "",
            resourceGroup: item.ResourceGroup ?? "",
            azureTag: item.PatchGroupTag ?? "",
            ssmTag: tags.find((tag) => tag.Key === estate.patchGroupTagKey)?.Value,
        });
    }
    const findings = findOrphans(nodes);
    deps.stdout.write(render(findings, options.format, { stack: options.stack, region, nodes: nodes.length }));
    let failed = 0;
    for (const finding of findings.filter((f) => f.kind === "superseded")) {
        if (!options.deregisterSuperseded) {
            deps.stdout.write(`dry run: would deregister ${finding.node.nodeId} (add --deregister-superseded)\n`);
            continue;
        }
        try {
            await api.deregisterManagedInstance({ InstanceId: finding.node.nodeId });
            deps.stdout.write(`deregistered ${finding.node.nodeId}\n`);
        } catch (error) {
            failed++;
            deps.stderr.write(`ops: could not deregister ${finding.node.nodeId}: ${(error as Error).name}: ${(error as Error).message}\n`);
        }
    }
    return failed > 0 ? 1 : 0;
}
