import { createHash } from "node:crypto";
import { REUSED_QUERY_KEYS, type QuickSightDataSetSpec } from "./quickSightDataSets";
import { cloudSplit, complianceOverTime, missingCriticalByNode, nodesNotReporting, patchAgeBySeverity, type JsonObject, type VisualSpec } from "./quickSightVisuals";

/**
 * The dashboard's definition, assembled from the visual builders: two sheets on a 36-column grid
 * (QuickSight GridLayoutElement: ColumnSpan 1-36), rendered as a QuickSight template definition
 * (CreateTemplate's TemplateVersionDefinition: data sets are placeholders with a column schema) and
 * as the CloudFormation stack that holds it.
 *
 * Why a template in CloudFormation: @pulumi/aws omits `definition` from aws.quicksight.Analysis,
 * Dashboard and Template (pulumi-aws provider/resources.go, "remove this field for now as it breaks
 * dotnet and java codegen", pulumi/pulumi-terraform-bridge#1118), so the only definition-bearing
 * resource reachable from this program is CloudFormation's AWS::QuickSight::Template. The analysis
 * and the dashboard are then ordinary aws.quicksight resources created from that template
 * (SourceEntity.SourceTemplate), with the data sets bound to its placeholders.
 */

export interface DashboardSheet {
    readonly id: string;
    readonly name: string;
    /** Visuals and their grid size (columns, rows), laid out left to right, top to bottom. */
    readonly visuals: readonly { readonly spec: VisualSpec; readonly columns: number; readonly rows: number }[];
}

/** The data set with this key (the builders only ever ask for the dashboard's own keys). */
export function dataSetByKey(dataSets: readonly QuickSightDataSetSpec[], key: string): QuickSightDataSetSpec {
    const found = dataSets.find((d) => d.key === key);
    if (found === undefined) {
        throw new Error(`quickSightDefinition: no data set "${key}" (have ${dataSets.map((d) => d.key).join(", ")})`);
    }
    return found;
}

/** The two sheets: compliance over time and by cloud; then the gaps to act on. */
export function dashboardSheets(dataSets: readonly QuickSightDataSetSpec[]): DashboardSheet[] {
    const nodes = dataSetByKey(dataSets, "node-compliance");
    const half = (spec: VisualSpec, rows = 8) => ({ spec, columns: 18, rows });
    return [
        {
            id: "compliance",
            name: "Compliance",
            visuals: [half(complianceOverTime(nodes, "account")), half(complianceOverTime(nodes, "region")), half(complianceOverTime(nodes, "patch-group")), half(cloudSplit(nodes))],
        },
        {
            id: "gaps",
            name: "Missing patches and silent nodes",
            visuals: [
                half(missingCriticalByNode(dataSetByKey(dataSets, REUSED_QUERY_KEYS.missingCritical)), 10),
                half(patchAgeBySeverity(dataSetByKey(dataSets, "patch-age")), 10),
                { spec: nodesNotReporting(dataSetByKey(dataSets, REUSED_QUERY_KEYS.notReporting)), columns: 36, rows: 10 },
            ],
        },
    ];
}

/** Grid elements in reading order: a row wraps when the next visual would pass column 36. */
export function gridElements(sheet: DashboardSheet): JsonObject[] {
    let column = 0;
    let row = 0;
    let rowHeight = 0;
    return sheet.visuals.map(({ spec, columns, rows }) => {
        if (column + columns > 36) {
            column = 0;
            row += rowHeight;
            rowHeight = 0;
        }
        const element = { ElementId: spec.id, ElementType: "VISUAL", ColumnIndex: column, ColumnSpan: columns, RowIndex: row, RowSpan: rows };
        column += columns;
        rowHeight = Math.max(rowHeight, rows);
        return element;
    });
}

/** SheetDefinition list (shared by the template and the equivalent dashboard definition). */
export function sheetDefinitions(dataSets: readonly QuickSightDataSetSpec[]): JsonObject[] {
    return dashboardSheets(dataSets).map((sheet) => ({
        SheetId: sheet.id,
        Name: sheet.name,
        Visuals: sheet.visuals.map((v) => v.spec.visual),
        Layouts: [{ Configuration: { GridLayout: { Elements: gridElements(sheet) } } }],
    }));
}

/** TemplateVersionDefinition: each data set is a placeholder named by its key, with its columns. */
export function templateDefinition(dataSets: readonly QuickSightDataSetSpec[]): JsonObject {
    return {
        DataSetConfigurations: dataSets.map((d) => ({ Placeholder: d.key, DataSetSchema: { ColumnSchemaList: d.columns.map((c) => ({ Name: c.name, DataType: c.type })) } })),
        Sheets: sheetDefinitions(dataSets),
    };
}

/** The same sheets as a DashboardVersionDefinition (data sets by ARN): what CreateDashboard would take directly. */
export function dashboardDefinition(dataSets: readonly QuickSightDataSetSpec[], dataSetArns: Readonly<Record<string, string>>): JsonObject {
    return {
        DataSetIdentifierDeclarations: dataSets.map((d) => ({ Identifier: d.key, DataSetArn: dataSetArns[d.key] })),
        Sheets: sheetDefinitions(dataSets),
    };
}

/** Short content hash: a new template version changes it, so the dashboard publishes the new version. */
export function definitionVersion(definition: JsonObject): string {
    return createHash("sha256").update(JSON.stringify(definition)).digest("hex").slice(0, 12);
}

export interface TemplateStackInput {
    readonly accountId: string;
    readonly templateId: string;
    readonly name: string;
    readonly definition: JsonObject;
    /** Owner of the template (the dashboard's owner). */
    readonly permissions: readonly { readonly principal: string; readonly actions: readonly string[] }[];
}

/** CloudFormation's TemplateBody limit (CreateStack, TemplateBody: at most 51,200 bytes). */
export const CLOUDFORMATION_TEMPLATE_BODY_MAX_BYTES = 51_200;

/** The logical id of the template in the stack. */
export const TEMPLATE_LOGICAL_ID = "ComplianceDashboardTemplate";

/** A one-resource CloudFormation template: AWS::QuickSight::Template with the definition. */
export function templateStackBody(input: TemplateStackInput): string {
    const body = {
        AWSTemplateFormatVersion: "2010-09-09",
        Description: "QuickSight template of the patch compliance dashboard (multicloud-patching)",
        Resources: {
            [TEMPLATE_LOGICAL_ID]: {
                Type: "AWS::QuickSight::Template",
                Properties: {
                    AwsAccountId: input.accountId,
                    TemplateId: input.templateId,
                    Name: input.name,
                    VersionDescription: definitionVersion(input.definition),
                    Definition: input.definition,
                    Permissions: input.permissions.map((p) => ({ Principal: p.principal, Actions: [...p.actions] })),
                },
            },
        },
        Outputs: { TemplateArn: { Value: { "Fn::GetAtt": [TEMPLATE_LOGICAL_ID, "Arn"] } } },
    };
    const text = JSON.stringify(body);
    if (Buffer.byteLength(text) > CLOUDFORMATION_TEMPLATE_BODY_MAX_BYTES) {
        throw new Error(`quickSightDefinition: the template stack body is ${Buffer.byteLength(text)} bytes, over CloudFormation's ${CLOUDFORMATION_TEMPLATE_BODY_MAX_BYTES}`);
    }
    return text;
}
