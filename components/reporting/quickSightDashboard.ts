import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { QuickSightDataSetSpec } from "./quickSightDataSets";
import { definitionVersion, templateDefinition, templateStackBody } from "./quickSightDefinition";
import { DASHBOARD_ACTIONS, dashboardPermissions, permissionProblem } from "./quickSightPermissions";

export interface QuickSightDashboardArgs {
    /** The central Region (the data source's and the data sets'). */
    readonly region: string;
    readonly accountId: string;
    /** The Athena data source the data sets query (ReportingQuickSight's). */
    readonly dataSourceArn: pulumi.Input<string>;
    /** Owner of every asset here: the reporting QuickSight user or group (reporting.quickSightPrincipalArn). */
    readonly ownerArn: string;
    /**
     * QuickSight users or groups that may view the dashboard.
     * @default - none (only the owner)
     */
    readonly readerArns?: readonly string[];
    /** The data sets, in order (dashboardDataSets). */
    readonly dataSets: readonly QuickSightDataSetSpec[];
    /** The environment: part of every physical id. */
    readonly nameSuffix: string;
}

/** Physical ids, all under the program prefix the deployer's boundary allows (`patching-`). */
export function quickSightDashboardNames(nameSuffix: string) {
    const dashed = nameSuffix.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    return {
        dataSet: (key: string) => `patching-dashboard-${key}-${dashed}`,
        /** Template, analysis and dashboard share the id (each type has its own id space). */
        asset: `patching-compliance-${dashed}`,
        stack: `patching-quicksight-template-${dashed}`,
    };
}

/** Throws on the first problem, naming the argument, the value and what is allowed. */
export function validateQuickSightDashboardArgs(args: QuickSightDashboardArgs): void {
    const problem = permissionProblem(args.accountId, args.ownerArn, args.readerArns ?? []);
    if (problem !== undefined) {
        throw new Error(`QuickSightDashboard: ${problem}`);
    }
}

/**
 * Issue 19 item 3: the compliance dashboard. DIRECT_QUERY data sets over the reporting tables (no
 * SPICE capacity used; each view runs the Athena query), a QuickSight template holding the
 * definition (in a CloudFormation stack: see quickSightDefinition.ts for why), and the analysis and
 * dashboard created from it with the data sets bound to its placeholders. The QuickSight account
 * subscription (Enterprise) is outside this program.
 */
export class QuickSightDashboard extends pulumi.ComponentResource {
    readonly dashboardArn: pulumi.Output<string>;
    readonly analysisArn: pulumi.Output<string>;
    readonly dataSetArns: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: QuickSightDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
        validateQuickSightDashboardArgs(args);
        super("patching:reporting:QuickSightDashboard", name, {}, opts);
        const { region, accountId, ownerArn: owner } = args;
        const names = quickSightDashboardNames(args.nameSuffix);
        const references = args.dataSets.map((spec) => {
            const dataSet = new aws.quicksight.DataSet(
                `${name}-${spec.key}`,
                {
                    region,
                    awsAccountId: accountId,
                    dataSetId: names.dataSet(spec.key),
                    name: spec.name,
                    importMode: "DIRECT_QUERY",
                    physicalTableMaps: [{ physicalTableMapId: spec.key, customSql: { dataSourceArn: args.dataSourceArn, name: spec.name, sqlQuery: spec.sql, columns: [...spec.columns] } }],
                    permissions: [{ principal: owner, actions: [...DASHBOARD_ACTIONS.dataSet] }],
                },
                { parent: this },
            );
            this.dataSetArns[spec.key] = dataSet.arn;
            return { dataSetPlaceholder: spec.key, dataSetArn: dataSet.arn };
        });

        const definition = templateDefinition(args.dataSets);
        const templateBody = templateStackBody({ accountId, templateId: names.asset, name: "Patch compliance", definition, permissions: [{ principal: owner, actions: DASHBOARD_ACTIONS.template }] });
        const stack = new aws.cloudformation.Stack(`${name}-template`, { region, name: names.stack, templateBody }, { parent: this });
        // The template's ARN is fixed by its id; dependsOn orders the analysis and dashboard after the stack.
        const sourceEntity = { sourceTemplate: { arn: `arn:aws:quicksight:${region}:${accountId}:template/${names.asset}`, dataSetReferences: references } };
        const analysis = new aws.quicksight.Analysis(
            `${name}-analysis`,
            { region, awsAccountId: accountId, analysisId: names.asset, name: "Patch compliance", sourceEntity, permissions: [{ principal: owner, actions: [...DASHBOARD_ACTIONS.analysis] }] },
            { parent: this, dependsOn: [stack] },
        );
        const dashboard = new aws.quicksight.Dashboard(
            `${name}-dashboard`,
            {
                region,
                awsAccountId: accountId,
                dashboardId: names.asset,
                name: "Patch compliance",
                // A changed definition is a new template version; a changed description makes the
                // provider call UpdateDashboard, which publishes from the template's latest version.
                versionDescription: `template ${definitionVersion(definition)}`,
                sourceEntity,
                permissions: dashboardPermissions(owner, args.readerArns ?? []),
                dashboardPublishOptions: { adHocFilteringOption: { availabilityStatus: "ENABLED" }, exportToCsvOption: { availabilityStatus: "ENABLED" } },
            },
            { parent: this, dependsOn: [stack] },
        );
        this.analysisArn = analysis.arn;
        this.dashboardArn = dashboard.arn;
        this.registerOutputs({ analysisArn: this.analysisArn, dashboardArn: this.dashboardArn, dataSetArns: this.dataSetArns });
    }
}
