import Table from "cli-table3";
import type { RecordedResource } from "../mock/recorder";
import type { Scope } from "./scopes";

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

export function renderTable(rows: readonly ScopeSummary[], color: boolean): string {
    const table = new Table({
        head: ["Cloud", "Account / subscription", "Region", "Resources", "Components", "What"],
        style: { head: color ? ["cyan"] : [], border: color ? ["grey"] : [] },
        wordWrap: true,
        colWidths: [8, 34, 11, 11, 12, 60],
    });
    for (const row of rows) {
        const what = [...row.byType.entries()]
            .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
            .map(([type, count]) => `${shortType(type)}×${count}`)
            .join(", ");
        const account = row.scope.account === undefined ? "(whole estate)" : `${row.scope.accountName} ${row.scope.account}`;
        table.push([row.scope.cloud, account, row.scope.region ?? "", row.resources, row.components, what || "—"]);
    }
    const total = rows.reduce((sum, row) => sum + row.resources, 0);
    const components = rows.reduce((sum, row) => sum + row.components, 0);
    table.push(["total", `${rows.length} scopes`, "", total, components, ""]);
    return table.toString();
}
