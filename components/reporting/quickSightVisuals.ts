import type { QuickSightDataSetSpec } from "./quickSightDataSets";

/**
 * One pure builder per dashboard visual, in the QuickSight API's own shape (PascalCase, as
 * CreateTemplate's Definition and CloudFormation's AWS::QuickSight::Template take it). Ids are
 * fixed strings (VisualId / FieldId: `[\w\-]+`), so a re-render is byte-identical and a plan shows
 * no change. Every column goes through {@link col}, which throws on a column the data set does not
 * declare.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A visual with the data set columns it reads (the test checks each against the data set). */
export interface VisualSpec {
    readonly id: string;
    /** `{ <VisualType>: {...} }` — one member of the API's Visual union. */
    readonly visual: JsonObject;
}

/** A column of a declared data set: `{DataSetIdentifier, ColumnName}` (ColumnIdentifier). */
export function col(dataSet: QuickSightDataSetSpec, name: string): JsonObject {
    if (!dataSet.columns.some((c) => c.name === name)) {
        throw new Error(`data set ${dataSet.key} has no column ${name}`);
    }
    return { DataSetIdentifier: dataSet.key, ColumnName: name };
}

const title = (text: string): JsonObject => ({ Visibility: "VISIBLE", FormatText: { PlainText: text } });
const dimension = (ds: QuickSightDataSetSpec, name: string, fieldId: string): JsonObject => ({ CategoricalDimensionField: { FieldId: fieldId, Column: col(ds, name) } });
const day = (ds: QuickSightDataSetSpec, name: string, fieldId: string): JsonObject => ({ DateDimensionField: { FieldId: fieldId, Column: col(ds, name), DateGranularity: "DAY" } });
const numeric = (ds: QuickSightDataSetSpec, name: string, fieldId: string, aggregation: "AVERAGE" | "MAX"): JsonObject => ({
    NumericalMeasureField: { FieldId: fieldId, Column: col(ds, name), AggregationFunction: { SimpleNumericalAggregation: aggregation } },
});
const distinct = (ds: QuickSightDataSetSpec, name: string, fieldId: string): JsonObject => ({ CategoricalMeasureField: { FieldId: fieldId, Column: col(ds, name), AggregationFunction: "DISTINCT_COUNT" } });

/** The groupings "compliance % over time" is drawn by (one line chart each). */
export const COMPLIANCE_GROUPINGS = { account: "accountid", region: "region", "patch-group": "patchgroup" } as const;
export type ComplianceGrouping = keyof typeof COMPLIANCE_GROUPINGS;

/** Compliance % (average of the 0/100 compliant_pct) per day of the latest scan, one line per account / Region / patch group. */
export function complianceOverTime(nodes: QuickSightDataSetSpec, grouping: ComplianceGrouping): VisualSpec {
    const id = `compliance-by-${grouping}`;
    const label = { account: "account", region: "Region", "patch-group": "patch group" }[grouping];
    return {
        id,
        visual: {
            LineChartVisual: {
                VisualId: id,
                Title: title(`Compliance % by ${label} (by day of latest scan)`),
                ChartConfiguration: {
                    FieldWells: {
                        LineChartAggregatedFieldWells: {
                            Category: [day(nodes, "scan_time", `${id}-day`)],
                            Values: [numeric(nodes, "compliant_pct", `${id}-pct`, "AVERAGE")],
                            Colors: [dimension(nodes, COMPLIANCE_GROUPINGS[grouping], `${id}-group`)],
                        },
                    },
                    Type: "LINE",
                },
            },
        },
    };
}

/** Missing or failed Critical / Security patches: distinct patches per node, stacked by classification. */
export function missingCriticalByNode(missing: QuickSightDataSetSpec): VisualSpec {
    const id = "missing-critical-by-node";
    return {
        id,
        visual: {
            BarChartVisual: {
                VisualId: id,
                Title: title("Missing Critical / Security patches by node"),
                ChartConfiguration: {
                    FieldWells: {
                        BarChartAggregatedFieldWells: {
                            Category: [dimension(missing, "resourceid", `${id}-node`)],
                            Values: [distinct(missing, "patch_id", `${id}-patches`)],
                            Colors: [dimension(missing, "classification", `${id}-classification`)],
                        },
                    },
                    Orientation: "HORIZONTAL",
                    BarsArrangement: "STACKED",
                },
            },
        },
    };
}

/** The nodes-not-reporting query's rows as a table (a list to act on, not a chart). */
export function nodesNotReporting(notReporting: QuickSightDataSetSpec): VisualSpec {
    const id = "nodes-not-reporting";
    const columns = ["accountid", "region", "resourceid", "computername", "platformname", "nodetype", "last_operation", "last_operation_end"];
    return {
        id,
        visual: {
            TableVisual: {
                VisualId: id,
                Title: title("Nodes not reporting patch state"),
                ChartConfiguration: { FieldWells: { TableUnaggregatedFieldWells: { Values: columns.map((name) => ({ FieldId: `${id}-${name}`, Column: col(notReporting, name) })) } } },
            },
        },
    };
}

/** Nodes per cloud (Azure, AWS, other hybrid), stacked by compliance status. */
export function cloudSplit(nodes: QuickSightDataSetSpec): VisualSpec {
    const id = "azure-vs-aws";
    return {
        id,
        visual: {
            BarChartVisual: {
                VisualId: id,
                Title: title("Azure vs AWS: nodes by compliance status"),
                ChartConfiguration: {
                    FieldWells: {
                        BarChartAggregatedFieldWells: {
                            Category: [dimension(nodes, "cloud", `${id}-cloud`)],
                            Values: [distinct(nodes, "resourceid", `${id}-nodes`)],
                            Colors: [dimension(nodes, "compliance_status", `${id}-status`)],
                        },
                    },
                    Orientation: "VERTICAL",
                    BarsArrangement: "STACKED",
                },
            },
        },
    };
}

/** Average and oldest age (days) of missing patches per severity. */
export function patchAgeBySeverity(age: QuickSightDataSetSpec): VisualSpec {
    const id = "patch-age-by-severity";
    return {
        id,
        visual: {
            BarChartVisual: {
                VisualId: id,
                Title: title("Missing patch age (days) by severity"),
                ChartConfiguration: {
                    FieldWells: {
                        BarChartAggregatedFieldWells: {
                            Category: [dimension(age, "severity", `${id}-severity`)],
                            Values: [numeric(age, "age_days", `${id}-average`, "AVERAGE"), numeric(age, "age_days", `${id}-oldest`, "MAX")],
                        },
                    },
                    Orientation: "VERTICAL",
                    BarsArrangement: "CLUSTERED",
                },
            },
        },
    };
}
