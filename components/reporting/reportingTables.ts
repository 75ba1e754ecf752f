/**
 * Glue table definitions over the central Resource Data Sync bucket, as plain data: the tables,
 * the named queries (reportingQueries.ts) and the tests all read these, so a column exists in a
 * query only if the table declares it.
 *
 * Layout (SSM user guide, "Walkthrough: Use resource data sync to aggregate inventory data"): a
 * sync with SyncFormat JsonSerDe writes one newline-delimited JSON file per node and type to
 * `s3://<bucket>/<sync prefix>/<TypeName>/accountid=<id>/region=<region>/resourcetype=ManagedInstanceInventory/<node>.json`.
 * Each account's sync prefix is `<prefix>/<accountId>` (issue 14, M4; catalog/naming.ts
 * dataSyncAccountPrefix), so the keys read `<prefix>/<accountId>/<TypeName>/accountid=<accountId>/…`.
 * Columns: the attributes in "Metadata collected by inventory" plus the `resourceid`,
 * `capturetime` and `schemaversion` keys every synced row carries (the names AWS's own patch
 * reporting sample, aws-samples/cloud-operations-best-practices patch-reporting.yaml, queries).
 */

/** Hive primitive types Athena reads from JSON. Inventory content is a string map (PutInventory). */
export type ColumnType = "string";

export interface ColumnDefinition {
    readonly name: string;
    readonly type: ColumnType;
    /** JSON key the OpenX SerDe reads, when it differs from the column name (`mapping.<column>`). */
    readonly jsonKey?: string;
}

export interface InventoryTableDefinition {
    /** The inventory type, which is also the S3 folder under the sync prefix. */
    readonly typeName: string;
    /** Lowercase and `_` only: Athena table names (the crawler's names, so AWS's sample SQL runs as is). */
    readonly tableName: string;
    readonly columns: readonly ColumnDefinition[];
}

/** Hive-style partition folders the sync writes, in path order. Never also a data column. */
export const PARTITION_KEYS = ["accountid", "region", "resourcetype"] as const;
export type PartitionKey = (typeof PARTITION_KEYS)[number];

/** `resourcetype=` values written for inventory and compliance of managed nodes (EC2 and hybrid). */
export const DATA_SYNC_RESOURCE_TYPES = ["ManagedInstanceInventory"] as const;

/** The SerDe the walkthrough's tables use for SyncFormat JsonSerDe. */
export const JSON_SERDE = "org.openx.data.jsonserde.JsonSerDe";

export const strings = (...names: string[]): ColumnDefinition[] => names.map((name) => ({ name, type: "string" as const }));
export const SYNC_COLUMNS = strings("resourceid", "capturetime", "schemaversion");

/**
 * Counts stay `string`: the agent writes them as strings (`str(len(...))` in the patch payload),
 * PutInventory content is a string map, and a Glue crawler types them STRING; queries TRY_CAST.
 * AWS:InstanceInformation's own `ResourceType` attribute (EC2Instance / ManagedInstance) is the
 * crawler's `resourcetype` column that collides with the partition key and breaks Athena; here it
 * is read into `nodetype` through the OpenX SerDe's column mapping instead.
 */
export const INVENTORY_TABLES = {
    complianceItem: {
        typeName: "AWS:ComplianceItem",
        tableName: "aws_complianceitem",
        columns: [
            ...strings("compliancetype", "executionid", "executiontype", "executiontime", "id", "title", "status", "severity"),
            ...strings("documentname", "documentversion", "classification", "patchbaselineid", "patchseverity", "patchstate", "patchgroup", "installedtime"),
            ...SYNC_COLUMNS,
        ],
    },
    complianceSummary: {
        typeName: "AWS:ComplianceSummary",
        tableName: "aws_compliancesummary",
        columns: [
            ...strings("compliancetype", "patchgroup", "patchbaselineid", "status", "overallseverity", "executionid", "executiontype", "executiontime"),
            ...strings("compliantcriticalcount", "complianthighcount", "compliantmediumcount", "compliantlowcount", "compliantinformationalcount", "compliantunspecifiedcount"),
            ...strings("noncompliantcriticalcount", "noncomplianthighcount", "noncompliantmediumcount", "noncompliantlowcount", "noncompliantinformationalcount"),
            ...strings("noncompliantunspecifiedcount", "lastcompliancestatemodifiedtime"),
            ...SYNC_COLUMNS,
        ],
    },
    instanceInformation: {
        typeName: "AWS:InstanceInformation",
        tableName: "aws_instanceinformation",
        columns: [
            ...strings("agenttype", "agentversion", "computername", "iamrole", "instanceid", "instancestatus", "ipaddress", "platformname", "platformtype", "platformversion"),
            // The OpenX SerDe lowercases JSON keys by default (case.insensitive), so the mapping names the lowercase key.
            { name: "nodetype", type: "string", jsonKey: "resourcetype" },
            ...SYNC_COLUMNS,
        ],
    },
    application: {
        typeName: "AWS:Application",
        tableName: "aws_application",
        columns: [...strings("name", "applicationtype", "publisher", "version", "installedtime", "architecture", "url", "summary", "packageid", "release", "epoch"), ...SYNC_COLUMNS],
    },
    patchSummary: {
        typeName: "AWS:PatchSummary",
        tableName: "aws_patchsummary",
        columns: [
            ...strings("patchgroup", "baselineid", "snapshotid", "executionid", "ownerinformation", "operationtype", "operationstarttime", "operationendtime", "rebootoption"),
            ...strings("installedcount", "installedothercount", "installedrejectedcount", "installedpendingrebootcount", "notapplicablecount", "missingcount", "failedcount"),
            ...strings("criticalnoncompliantcount", "securitynoncompliantcount", "othernoncompliantcount", "lastnorebootinstalloperationtime"),
            ...SYNC_COLUMNS,
        ],
    },
    tag: { typeName: "AWS:Tag", tableName: "aws_tag", columns: [...strings("key", "value"), ...SYNC_COLUMNS] },
} as const satisfies Record<string, InventoryTableDefinition>;

export type InventoryTableId = keyof typeof INVENTORY_TABLES;
export const INVENTORY_TABLE_IDS = Object.keys(INVENTORY_TABLES) as InventoryTableId[];

/** The declared column, or an error naming the table: a query can only use what a table declares. */
export function column(table: InventoryTableId, name: string): string {
    return declaredColumn(INVENTORY_TABLES[table], name);
}

/** {@link column} for any table definition (e.g. the Azure inventory table, azureReportingTables.ts). */
export function declaredColumn(definition: InventoryTableDefinition, name: string): string {
    if (!definition.columns.some((c) => c.name === name) && !(PARTITION_KEYS as readonly string[]).includes(name)) {
        throw new Error(`${definition.tableName} has no column ${name}`);
    }
    return name;
}

/**
 * `s3://<bucket>/<prefix>/`: the table's LOCATION, the folder every account's sync writes below.
 * With partition projection Athena reads only the folders `storage.location.template` resolves to
 * (Athena user guide, "Partition projection"), so the shared LOCATION never mixes types.
 */
export function tableLocation(bucket: string, prefix: string): string {
    return `s3://${bucket}/${prefix}/`;
}

/**
 * Where Athena reads one partition: the account's own folder, then the layout SSM writes below it.
 * `${accountid}` appears twice on purpose — Athena substitutes every occurrence (a template may
 * repeat a column, AWS re:Post "Athena INVALID_TABLE_PROPERTY … storage.location.template") — so
 * partition accountid=B is read only under `<prefix>/B/…/accountid=B/`: a folder only B's sync may
 * write, and never a key another account wrote under its own folder, whatever `accountid=` it
 * claims there.
 */
export function partitionLocationTemplate(bucket: string, prefix: string, typeName: string): string {
    return `${tableLocation(bucket, prefix)}\${accountid}/${typeName}/${PARTITION_KEYS.map((key) => `${key}=\${${key}}`).join("/")}/`;
}

export interface ProjectionScope {
    readonly accountIds: readonly string[];
    readonly regions: readonly string[];
}

/** Enum values as Athena reads them: comma-separated, white space counts, so none; sorted and unique. */
const enumValues = (values: readonly string[]): string => [...new Set(values)].sort().join(",");

/**
 * Table parameters for partition projection (Athena user guide, "Partition projection": enum
 * type, `storage.location.template` with a `${column}` for every partition key, from
 * {@link partitionLocationTemplate}). Athena computes the partitions from these, so no crawler and
 * no MSCK REPAIR: a new account or Region is a config change, and there is never a crawler-made
 * `resourcetype` column.
 */
export function projectionParameters(locationTemplate: string, scope: ProjectionScope): Record<string, string> {
    const values: Record<PartitionKey, string> = {
        accountid: enumValues(scope.accountIds),
        region: enumValues(scope.regions),
        resourcetype: enumValues(DATA_SYNC_RESOURCE_TYPES),
    };
    const parameters: Record<string, string> = { EXTERNAL: "TRUE", classification: "json", "projection.enabled": "true" };
    for (const key of PARTITION_KEYS) {
        parameters[`projection.${key}.type`] = "enum";
        parameters[`projection.${key}.values`] = values[key];
    }
    parameters["storage.location.template"] = locationTemplate;
    return parameters;
}

/** OpenX SerDe parameters: the walkthrough's `serialization.format`, plus each column mapping. */
export function serdeParameters(definition: InventoryTableDefinition): Record<string, string> {
    const parameters: Record<string, string> = { "serialization.format": "1" };
    for (const c of definition.columns) {
        if (c.jsonKey !== undefined) {
            parameters[`mapping.${c.name}`] = c.jsonKey;
        }
    }
    return parameters;
}

/**
 * Everything of an `aws.glue.CatalogTable` but its database: an EXTERNAL_TABLE over the sync
 * prefix, read with the OpenX JSON SerDe (text input, one JSON object per line), the three
 * partition keys as strings, and partition projection into each account's folder of the type.
 */
export function glueTableInput(definition: InventoryTableDefinition, bucket: string, prefix: string, scope: ProjectionScope) {
    const location = tableLocation(bucket, prefix);
    return {
        name: definition.tableName,
        description: `${definition.typeName} from the central Resource Data Sync bucket`,
        tableType: "EXTERNAL_TABLE",
        parameters: projectionParameters(partitionLocationTemplate(bucket, prefix, definition.typeName), scope),
        partitionKeys: PARTITION_KEYS.map((key) => ({ name: key, type: "string" })),
        storageDescriptor: {
            location,
            inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
            outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
            serDeInfo: { name: "JsonSerDe", serializationLibrary: JSON_SERDE, parameters: serdeParameters(definition) },
            columns: definition.columns.map((c) => ({ name: c.name, type: c.type })),
        },
    };
}

/**
 * Athena names: lowercase letters, digits and `_`, starting with a letter, at most 255 (Athena
 * user guide, "Name databases, tables, and columns"); Glue stores names lowercase anyway.
 */
export const ATHENA_NAME = /^[a-z][a-z0-9_]{0,254}$/;

/** Reserved keywords in Athena SELECT statements (Athena user guide, "Escape reserved keywords"). */
export const ATHENA_SELECT_RESERVED_WORDS: ReadonlySet<string> = new Set(
    (
        "alter and as between by case cast constraint create cross cube current_catalog current_date current_path current_role current_schema " +
        "current_time current_timestamp current_user deallocate delete describe distinct drop else end escape except execute exists extract " +
        "false first for from full group grouping having in inner insert intersect into is join json_array json_exists json_object json_query " +
        "json_table json_value last left like listagg localtime localtimestamp natural normalize not null of on or order outer prepare " +
        "recursive right rollup select skip table then trim true uescape union unnest using values when where with"
    ).split(" "),
);
