import { endpointAzHoursPerMonth, HOURS_PER_MONTH } from "../../catalog/vpcEndpoints";
import type { RecordedResource } from "../mock/recorder";
import type { Scope } from "./scopes";
import { renderFittedTable, type FitOptions } from "./fitTable";
import { DEFAULT_COLUMNS } from "./terminal";

/** Terminal width and `--wide`; the colour comes separately. */
export type Layout = Omit<FitOptions, "color">;

/** Without a terminal to fit (a caller that passes no layout): every cell whole. */
export const UNFITTED: Layout = { columns: DEFAULT_COLUMNS, wide: true };

/** One row of the plan table: a scope and what lands there. */
export interface ScopeSummary {
    readonly scope: Scope;
    readonly resources: number;
    readonly components: number;
    readonly byType: ReadonlyMap<string, number>;
}

export function summarise(resources: readonly RecordedResource[], scopes: ReadonlyMap<string, Scope>): ScopeSummary[] {
    const rows = new Map<string, { scope: Scope; resources: number; components: number; byType: Map<string, number> }>();
    for (const resource of resources) {
        const scope = scopes.get(resource.urn);
        if (scope === undefined) {
            continue;
        }
        const row = rows.get(scope.key) ?? { scope, resources: 0, components: 0, byType: new Map<string, number>() };
        rows.set(scope.key, row);
        if (resource.custom) {
            row.resources += 1;
            row.byType.set(resource.type, (row.byType.get(resource.type) ?? 0) + 1);
        } else {
            row.components += 1;
        }
    }
    return [...rows.values()].sort((a, b) => order(a.scope).localeCompare(order(b.scope)));
}

function order(scope: Scope): string {
    const cloud = { estate: "0", aws: "1", azure: "2" }[scope.cloud];
    return `${cloud} ${scope.accountName ?? ""} ${scope.region === "global" ? "" : (scope.region ?? "")}`;
}

/** `aws:iam/role:Role` → `iam.Role` */
export function shortType(type: string): string {
    if (type.startsWith("pulumi:providers:")) {
        return `provider:${type.slice("pulumi:providers:".length)}`;
    }
    const [pkg, module = "", kind = type] = type.split(":");
    const area = module.split("/")[0];
    return pkg === "aws" || pkg === "azure-native" ? `${area}.${kind}` : `${pkg}:${area}.${kind}`;
}

/** The plan table, fitted to the terminal (long cells wrap or are cut with "…"; `wide` prints them whole). */
export function renderTable(rows: readonly ScopeSummary[], color: boolean, layout: Layout = UNFITTED): string {
    const body = rows.map((row) => {
        const what = [...row.byType.entries()]
            .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
            .map(([type, count]) => `${shortType(type)}×${count}`)
            .join(", ");
        const account = row.scope.account === undefined ? "(whole estate)" : `${row.scope.accountName} ${row.scope.account}`;
        return [row.scope.cloud, account, row.scope.region ?? "", row.resources, row.components, what || "—"];
    });
    const total = rows.reduce((sum, row) => sum + row.resources, 0);
    const components = rows.reduce((sum, row) => sum + row.components, 0);
    body.push(["total", `${rows.length} scopes`, "", total, components, ""]);
    return renderFittedTable(["Cloud", "Account / subscription", "Region", ["Resources", "Res."], ["Components", "Comp."], "What"], body, { ...layout, color });
}

/** Interface endpoints planned in one (account, Region) and what they are billed for. */
export interface EndpointAzHoursRow {
    readonly scope: Scope;
    readonly interfaceEndpoints: number;
    /** Sum over the endpoints of their subnets (= AZs, one subnet per AZ). */
    readonly endpointAzs: number;
    /** Endpoints whose subnet list is unknown at plan time (not counted in endpointAzs). */
    readonly unknownAzs: number;
    readonly azHoursPerMonth: number;
}

export const VPC_ENDPOINT_TYPE = "aws:ec2/vpcEndpoint:VpcEndpoint";

/**
 * AWS bills an interface endpoint per AZ-hour, so this counts what the program really registered:
 * every VpcEndpoint of type Interface, times its subnetIds, per (account, Region) scope.
 */
export function interfaceEndpointAzHours(resources: readonly RecordedResource[], scopes: ReadonlyMap<string, Scope>): EndpointAzHoursRow[] {
    const rows = new Map<string, { scope: Scope; interfaceEndpoints: number; endpointAzs: number; unknownAzs: number }>();
    for (const resource of resources) {
        const scope = scopes.get(resource.urn);
        if (resource.type !== VPC_ENDPOINT_TYPE || resource.inputs["vpcEndpointType"] !== "Interface" || scope === undefined) {
            continue;
        }
        const row = rows.get(scope.key) ?? { scope, interfaceEndpoints: 0, endpointAzs: 0, unknownAzs: 0 };
        rows.set(scope.key, row);
        const subnets = resource.inputs["subnetIds"];
        row.interfaceEndpoints += 1;
        if (Array.isArray(subnets)) {
            row.endpointAzs += subnets.length;
        } else {
            row.unknownAzs += 1;
        }
    }
    return [...rows.values()]
        .map((row) => ({ ...row, azHoursPerMonth: endpointAzHoursPerMonth(1, row.endpointAzs) }))
        .sort((a, b) => order(a.scope).localeCompare(order(b.scope)));
}

export function renderEndpointAzHours(rows: readonly EndpointAzHoursRow[], color: boolean, layout: Layout = UNFITTED): string {
    const body: (string | number)[][] = rows.map((row) => {
        const unknown = row.unknownAzs > 0 ? ` + ${row.unknownAzs} unknown` : "";
        return [`${row.scope.accountName ?? ""} ${row.scope.account ?? ""}`.trim() || "(whole estate)", row.scope.region ?? "", row.interfaceEndpoints, `${row.endpointAzs}${unknown}`, row.azHoursPerMonth];
    });
    const total = rows.reduce((sum, row) => sum + row.azHoursPerMonth, 0);
    body.push(["total", "", rows.reduce((sum, row) => sum + row.interfaceEndpoints, 0), rows.reduce((sum, row) => sum + row.endpointAzs, 0), total]);
    return renderFittedTable(["Account", "Region", ["Interface endpoints", "Endpoints"], ["Endpoint-AZs", "AZs"], [`AZ-hours/month (×${HOURS_PER_MONTH})`, "AZ-hours/mo"]], body, { ...layout, color });
}
