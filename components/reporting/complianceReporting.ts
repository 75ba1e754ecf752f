import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BucketKey } from "../storage/bucketKey";
import { AzureReporting } from "./azureReporting";
import { reportingQueries, reportingReaderPolicy } from "./reportingQueries";
import { QUICKSIGHT_PRINCIPAL, ReportingQuickSight } from "./reportingQuickSight";
import { inventoryCatalogTable } from "./inventoryCatalogTable";
import { ATHENA_NAME, INVENTORY_TABLE_IDS, INVENTORY_TABLES } from "./reportingTables";
import { SLA_HISTORY_TABLE, slaDaysProblem, slaHistoryTableInput, slaQueries, type SlaDays } from "./slaQueries";
import { SecureBucket } from "../storage/secureBucket";
import { bucketKeyPolicy } from "../storage/storageDocuments";
import { describeRetentionProblems, type RetentionSpec } from "../../catalog/s3";

export interface ComplianceReportingArgs {
    /** The central Region: the data-sync bucket's, and where Glue, Athena and the results live. */
    readonly region: string;
    readonly centralAccountId: string;
    /** Distinguishes the database, workgroup and IAM names (the environment, e.g. "prod"). */
    readonly nameSuffix: string;
    /** The central Resource Data Sync bucket. */
    readonly dataBucketName: pulumi.Input<string>;
    /** The prefix every Resource Data Sync writes under (`<prefix>/<TypeName>/accountid=…`). */
    readonly dataSyncPrefix: string;
    /**
     * The data bucket's KMS key, when it is SSE-KMS: readers need kms:Decrypt on it.
     * @default - SSE-S3 data bucket, no key grant
     */
    readonly dataKmsKeyArn?: pulumi.Input<string>;
    /** Accounts whose syncs write to the bucket: the `accountid` projection values. */
    readonly accountIds: readonly string[];
    /** Regions with a sync: the `region` projection values. */
    readonly regions: readonly string[];
    /** The tag Patch Manager reads for the patch group: `Patch Group` or `PatchGroup`. */
    readonly patchGroupTagKey: string;
    /** @default COMPLIANCE_REPORTING_DEFAULTS.notReportingDays */
    readonly notReportingDays?: number;
    /** Retention of query results in the results bucket. */
    readonly retention: RetentionSpec;
    /** Results bucket and query results: SSE-S3, or SSE-KMS with a key created here. */
    readonly encryption: "SSE-S3" | "SSE-KMS";
    /**
     * Glue database name (lowercase, digits, `_`).
     * @default - `patching_inventory_<nameSuffix>` (reportingNames)
     */
    readonly databaseName?: string;
    /**
     * Per-query scan limit in bytes (Athena minimum 10 MB): a runaway query fails instead of billing.
     * @default COMPLIANCE_REPORTING_DEFAULTS.bytesScannedCutoffPerQuery
     */
    readonly bytesScannedCutoffPerQuery?: number;
    /** Mark the results bucket and key `protect`. @default false */
    readonly protect?: boolean;
    /**
     * A QuickSight data source on the workgroup (running as a role created here) and a data set
     * over the non-compliant-nodes query, owned by this QuickSight user or group.
     * @default - no QuickSight resources
     */
    readonly quickSight?: { readonly principalArn: string };
    /**
     * The estate has Azure VMs: add the Custom:AzureVm table, its compliance view and named query (AzureReporting).
     * @default false
     */
    readonly azure?: boolean;
    /**
     * Patch SLAs (compliance.sla): adds the `patch_first_missing` history table in the results
     * bucket and the patch-SLA and compliance-digest named queries (slaQueries.ts).
     * @default - no SLA table or queries
     */
    readonly sla?: SlaDays;
}

export const COMPLIANCE_REPORTING_DEFAULTS = {
    notReportingDays: 7,
    /** 10 GiB, $0.05 at Athena's $5/TB: far above a full scan of inventory for thousands of nodes. */
    bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
    /** Pinned so the named queries' Trino SQL is what runs (Athena "Engine versioning"). */
    engineVersion: "Athena engine version 3",
    resultsKeyAlias: "alias/patching-athena-results",
} as const;

/** Athena BytesScannedCutoffPerQuery minimum (WorkGroupConfiguration). */
export const MIN_BYTES_SCANNED_CUTOFF = 10 * 1024 * 1024;

/** Physical names; one reporting stack per central account and Region (the bucket name is global). */
export function reportingNames(nameSuffix: string, centralAccountId: string, region: string) {
    const safe = nameSuffix.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
    const dashed = safe.replace(/_/g, "-");
    return {
        database: `patching_inventory_${safe}`,
        workgroup: `patching-reporting-${dashed}`,
        resultsBucket: `patching-athena-results-${centralAccountId}-${region}`,
        readerPolicy: `patching-reporting-reader-${dashed}`,
        quickSightRole: `patching-reporting-quicksight-${dashed}`,
        quickSightDataSource: `patching-reporting-${dashed}`,
        quickSightDataSet: `patching-non-compliant-nodes-${dashed}`,
    };
}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The first bad entry of a projection list (empty, malformed or repeated), or undefined. */
function listProblem(field: string, values: readonly string[], pattern: RegExp, plural: string, what: string): string | undefined {
    if (values.length === 0) {
        return `${field} is empty; list the ${plural} whose inventory the tables should project`;
    }
    const bad = values.findIndex((value, index) => !pattern.test(value) || values.indexOf(value) !== index);
    if (bad < 0) {
        return undefined;
    }
    const first = values.indexOf(values[bad]);
    return first === bad ? `${field}[${bad}] "${values[bad]}" is not ${what}` : `${field}[${bad}] "${values[bad]}" duplicates ${field}[${first}]`;
}

/** Throws on the first problem, naming the argument, the value and what is allowed. */
export function validateComplianceReportingArgs(args: ComplianceReportingArgs): void {
    const days = args.notReportingDays ?? COMPLIANCE_REPORTING_DEFAULTS.notReportingDays;
    const cutoff = args.bytesScannedCutoffPerQuery ?? COMPLIANCE_REPORTING_DEFAULTS.bytesScannedCutoffPerQuery;
    const principal = args.quickSight?.principalArn;
    const problem = [
        ACCOUNT_ID.test(args.centralAccountId) ? undefined : `centralAccountId "${args.centralAccountId}" is not a 12-digit AWS account id`,
        REGION.test(args.region) ? undefined : `region "${args.region}" is not an AWS Region name (e.g. eu-west-2)`,
        // The prefix is part of every table LOCATION and of the reader policy's S3 ARNs.
        /^[a-zA-Z0-9_-]{1,64}$/.test(args.dataSyncPrefix) ? undefined : `dataSyncPrefix "${args.dataSyncPrefix}" is not 1-64 of letters, digits, _ and -`,
        listProblem("accountIds", args.accountIds, ACCOUNT_ID, "accounts", "a 12-digit AWS account id"),
        listProblem("regions", args.regions, REGION, "Regions", "an AWS Region name (e.g. eu-west-2)"),
        ["Patch Group", "PatchGroup"].includes(args.patchGroupTagKey) ? undefined : `patchGroupTagKey "${args.patchGroupTagKey}" is not "Patch Group" or "PatchGroup"`,
        Number.isInteger(days) && days >= 1 && days <= 365 ? undefined : `notReportingDays ${days} is not a whole number of days from 1 to 365`,
        args.databaseName === undefined || ATHENA_NAME.test(args.databaseName)
            ? undefined
            : `databaseName "${args.databaseName}" is not an Athena database name (lowercase letters, digits and _, starting with a letter, at most 255)`,
        Number.isInteger(cutoff) && cutoff >= MIN_BYTES_SCANNED_CUTOFF ? undefined : `bytesScannedCutoffPerQuery ${cutoff} is below Athena's minimum of ${MIN_BYTES_SCANNED_CUTOFF} bytes`,
        describeRetentionProblems(args.retention),
        args.sla === undefined ? undefined : slaDaysProblem(args.sla),
        principal === undefined || QUICKSIGHT_PRINCIPAL.test(principal)
            ? undefined
            : `quickSight.principalArn "${principal}" is not a QuickSight user or group ARN (arn:aws:quicksight:<region>:<account>:user/<namespace>/<name>)`,
    ].find((message) => message !== undefined);
    if (problem !== undefined) {
        throw new Error(`ComplianceReporting: ${problem}`);
    }

}

/**
 * SPEC capability 12: Glue tables over the central Resource Data Sync bucket with partition
 * projection (no crawler, so no crawler-made `resourcetype` column colliding with the partition
 * key), an Athena workgroup that enforces its encrypted results location, the reporting named
 * queries, a reader policy to run them, and optionally a QuickSight data source and data set.
 */
export class ComplianceReporting extends pulumi.ComponentResource {
    readonly databaseName: pulumi.Output<string>;
    readonly tableNames: Record<string, pulumi.Output<string>> = {};
    readonly workgroupName: pulumi.Output<string>;
    readonly resultsBucketName: pulumi.Output<string>;
    readonly resultsKmsKeyArn?: pulumi.Output<string>;
    /** Named query ids by query key (reportingQueries). */
    readonly namedQueryIds: Record<string, pulumi.Output<string>> = {};
    /** Attach to whoever runs the reports (people, QuickSight's role is already covered). */
    readonly readerPolicyArn: pulumi.Output<string>;
    readonly quickSightDataSetArn?: pulumi.Output<string>;

    constructor(name: string, args: ComplianceReportingArgs, opts?: pulumi.ComponentResourceOptions) {
        validateComplianceReportingArgs(args);
        super("patching:reporting:ComplianceReporting", name, {}, opts);
        const region = args.region;
        const names = reportingNames(args.nameSuffix, args.centralAccountId, region);
        const databaseName = args.databaseName ?? names.database;

        const description = "Systems Manager inventory and patch compliance from every account and Region (Resource Data Sync)";
        const database = new aws.glue.CatalogDatabase(`${name}-database`, { region, name: databaseName, description }, { parent: this });
        for (const id of INVENTORY_TABLE_IDS) {
            const definition = INVENTORY_TABLES[id];
            const table = inventoryCatalogTable(name, definition, { ...args, region, databaseName: database.name }, this);
            this.tableNames[definition.tableName] = table.name;
        }

        if (args.encryption === "SSE-KMS") {
            const key = new BucketKey(
                `${name}-results-key`,
                { region, alias: COMPLIANCE_REPORTING_DEFAULTS.resultsKeyAlias, description: "Athena query results (multicloud-patching)", policy: bucketKeyPolicy(args.centralAccountId), protect: args.protect },
                { parent: this },
            );
            this.resultsKmsKeyArn = key.keyArn;
        }
        const results = new SecureBucket(
            `${name}-results`,
            { region, bucketName: names.resultsBucket, retention: args.retention, lifecycle: "logs", kmsKeyArn: this.resultsKmsKeyArn, protect: args.protect },
            { parent: this },
        );
        const workgroup = new aws.athena.Workgroup(
            `${name}-workgroup`,
            {
                region,
                name: names.workgroup,
                description: "Patch compliance and inventory reporting (multicloud-patching)",
                state: "ENABLED",
                // Named queries live in the workgroup; deleting it must not take them (or a history) silently.
                forceDestroy: false,
                configuration: {
                    // Clients cannot point results elsewhere or switch encryption off (Athena "Workgroup settings override client-side settings").
                    enforceWorkgroupConfiguration: true,
                    publishCloudwatchMetricsEnabled: true,
                    bytesScannedCutoffPerQuery: args.bytesScannedCutoffPerQuery ?? COMPLIANCE_REPORTING_DEFAULTS.bytesScannedCutoffPerQuery,
                    engineVersion: { selectedEngineVersion: COMPLIANCE_REPORTING_DEFAULTS.engineVersion },
                    resultConfiguration: {
                        outputLocation: pulumi.interpolate`s3://${results.bucketName}/`,
                        expectedBucketOwner: args.centralAccountId,
                        encryptionConfiguration:
                            this.resultsKmsKeyArn === undefined ? { encryptionOption: "SSE_S3" } : { encryptionOption: "SSE_KMS", kmsKeyArn: this.resultsKmsKeyArn },
                    },
                },
            },
            { parent: this },
        );

        const queries = reportingQueries({ database: databaseName, patchGroupTagKey: args.patchGroupTagKey, notReportingDays: args.notReportingDays ?? COMPLIANCE_REPORTING_DEFAULTS.notReportingDays });
        for (const query of queries) {
            const named = new aws.athena.NamedQuery(
                `${name}-${query.key}`,
                { region, name: query.name, description: query.description, workgroup: workgroup.name, database: database.name, query: query.sql },
                { parent: this },
            );
            this.namedQueryIds[query.key] = named.id;
        }
        if (args.sla !== undefined) {
            this.addSlaReporting(name, args.sla, { region, databaseName, database: database.name, workgroup: workgroup.name, resultsBucketName: results.bucketName });
        }
        if (args.azure === true) {
            const azure = new AzureReporting(
                `${name}-azure`,
                { region, databaseName, database: database.name, workgroup: workgroup.name, dataBucketName: args.dataBucketName, dataSyncPrefix: args.dataSyncPrefix, accountIds: args.accountIds, regions: args.regions },
                { parent: this },
            );
            Object.assign(this.namedQueryIds, azure.namedQueryIds);
        }

        const readerDocument = pulumi
            .all([args.dataBucketName, results.bucketName, args.dataKmsKeyArn, this.resultsKmsKeyArn, workgroup.name, database.name])
            .apply(([dataBucket, resultsBucket, dataKmsKeyArn, resultsKmsKeyArn, workgroupName, database]) =>
                JSON.stringify(
                    reportingReaderPolicy({ accountId: args.centralAccountId, region, database, workgroup: workgroupName, dataBucket, dataPrefix: args.dataSyncPrefix, resultsBucket, dataKmsKeyArn, resultsKmsKeyArn }),
                ),
            );
        const reader = new aws.iam.Policy(`${name}-reader`, { name: names.readerPolicy, description: "Run the patching reports in Athena", policy: readerDocument }, { parent: this });

        if (args.quickSight !== undefined) {
            this.quickSightDataSetArn = new ReportingQuickSight(
                `${name}-quicksight`,
                {
                    region,
                    accountId: args.centralAccountId,
                    workgroupName: workgroup.name,
                    readerPolicyArn: reader.arn,
                    principalArn: args.quickSight.principalArn,
                    query: queries[0],
                    names: { role: names.quickSightRole, dataSource: names.quickSightDataSource, dataSet: names.quickSightDataSet },
                },
                { parent: this },
            ).dataSetArn;
        }

        this.databaseName = database.name;
        this.workgroupName = workgroup.name;
        this.resultsBucketName = results.bucketName;
        this.readerPolicyArn = reader.arn;
        this.registerOutputs({
            databaseName: this.databaseName,
            tableNames: this.tableNames,
            workgroupName: this.workgroupName,
            resultsBucketName: this.resultsBucketName,
            resultsKmsKeyArn: this.resultsKmsKeyArn,
            namedQueryIds: this.namedQueryIds,
            readerPolicyArn: this.readerPolicyArn,
            quickSightDataSetArn: this.quickSightDataSetArn,
        });
    }

    /** The SLA history table (written by the digest, read by the SLA queries) and the SLA named queries. */
    private addSlaReporting(name: string, sla: SlaDays, at: { region: string; databaseName: string; database: pulumi.Output<string>; workgroup: pulumi.Output<string>; resultsBucketName: pulumi.Output<string> }): void {
        const input = at.resultsBucketName.apply((bucket) => slaHistoryTableInput(bucket));
        const table = new aws.glue.CatalogTable(
            `${name}-${SLA_HISTORY_TABLE.tableName}`,
            { region: at.region, databaseName: at.database, name: SLA_HISTORY_TABLE.tableName, description: input.description, tableType: "EXTERNAL_TABLE", parameters: input.parameters, storageDescriptor: input.storageDescriptor },
            { parent: this },
        );
        this.tableNames[SLA_HISTORY_TABLE.tableName] = table.name;
        for (const query of slaQueries(at.databaseName, sla)) {
            const named = new aws.athena.NamedQuery(`${name}-${query.key}`, { region: at.region, name: query.name, description: query.description, workgroup: at.workgroup, database: at.database, query: query.sql }, { parent: this });
            this.namedQueryIds[query.key] = named.id;
        }
    }
}
