import { strict as assert } from "node:assert";
import type { ComplianceReportingArgs } from "../../../components/reporting/complianceReporting";
import { reportingQueries, reportingReaderPolicy } from "../../../components/reporting/reportingQueries";
import { INVENTORY_TABLE_IDS, INVENTORY_TABLES } from "../../../components/reporting/reportingTables";
import type { RetentionSpec } from "../../../catalog/s3";
import { mockArn } from "../../../tools/mock/mockState";
import { promiseOf } from "../../../tools/mock/promiseOf";
import type { RecordedResource, ResourceRecorder } from "../../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../../tools/mock/runtime";

const CENTRAL = "111111111111";
const DATA_BUCKET = `patching-inventory-sync-${CENTRAL}-eu-west-2`;
const RETENTION: RetentionSpec = { transitionAfterDays: 30, transitionStorageClass: "STANDARD_IA", expireAfterDays: 365, noncurrentVersionExpireAfterDays: 90 };
const BASE: ComplianceReportingArgs = {
    region: "eu-west-2",
    centralAccountId: CENTRAL,
    nameSuffix: "prod-eu",
    dataBucketName: DATA_BUCKET,
    dataSyncPrefix: "inventory",
    accountIds: ["333333333333", CENTRAL, "222222222222"],
    regions: ["us-east-1", "eu-west-2"],
    patchGroupTagKey: "Patch Group",
    retention: RETENTION,
    encryption: "SSE-S3",
};
const DATABASE = "patching_inventory_prod_eu";
const QUERIES = reportingQueries({ database: DATABASE, patchGroupTagKey: "Patch Group", notReportingDays: 7 });

describe("ComplianceReporting argument validation", () => {
    let validate: (args: ComplianceReportingArgs) => void;
    before(async () => ({ validateComplianceReportingArgs: validate } = await import("../../../components/reporting/complianceReporting")));

    const CASES: [string, Partial<ComplianceReportingArgs>, string][] = [
        ["no accounts", { accountIds: [] }, "accountIds is empty; list the accounts whose inventory the tables should project"],
        ["a short account id", { accountIds: [CENTRAL, "2222"] }, 'accountIds[1] "2222" is not a 12-digit AWS account id'],
        ["a repeated account", { accountIds: [CENTRAL, "222222222222", CENTRAL] }, `accountIds[2] "${CENTRAL}" duplicates accountIds[0]`],
        ["no Regions", { regions: [] }, "regions is empty; list the Regions whose inventory the tables should project"],
        ["a bad Region", { regions: ["eu-west-2", "Europe"] }, 'regions[1] "Europe" is not an AWS Region name (e.g. eu-west-2)'],
        ["notReportingDays 0", { notReportingDays: 0 }, "notReportingDays 0 is not a whole number of days from 1 to 365"],
        ["fractional notReportingDays", { notReportingDays: 1.5 }, "notReportingDays 1.5 is not a whole number of days from 1 to 365"],
        ["notReportingDays over a year", { notReportingDays: 400 }, "notReportingDays 400 is not a whole number of days from 1 to 365"],
        ["a prefix with a slash", { dataSyncPrefix: "inventory/x" }, 'dataSyncPrefix "inventory/x" is not 1-64 of letters, digits, _ and -'],
        ["an empty prefix", { dataSyncPrefix: "" }, 'dataSyncPrefix "" is not 1-64 of letters, digits, _ and -'],
        ["a bad central account", { centralAccountId: "1" }, 'centralAccountId "1" is not a 12-digit AWS account id'],
        ["an unknown patch group tag", { patchGroupTagKey: "patch-group" }, 'patchGroupTagKey "patch-group" is not "Patch Group" or "PatchGroup"'],
        ["an uppercase database", { databaseName: "Patching" }, 'databaseName "Patching" is not an Athena database name (lowercase letters, digits and _, starting with a letter, at most 255)'],
        ["a tiny scan cutoff", { bytesScannedCutoffPerQuery: 1000 }, "bytesScannedCutoffPerQuery 1000 is below Athena's minimum of 10485760 bytes"],
        ["bad retention", { retention: { ...RETENTION, expireAfterDays: 10 } }, "retention.expireAfterDays 10 must be greater than transitionAfterDays (30)"],
        ["a QuickSight IAM ARN", { quickSight: { principalArn: `arn:aws:iam::${CENTRAL}:user/alice` } }, `quickSight.principalArn "arn:aws:iam::${CENTRAL}:user/alice" is not a QuickSight user or group ARN (arn:aws:quicksight:<region>:<account>:user/<namespace>/<name>)`],
    ];
    for (const [description, change, message] of CASES) {
        it(`rejects ${description}`, () => {
            assert.throws(() => validate({ ...BASE, ...change }), (error: Error) => (assert.equal(error.message, `ComplianceReporting: ${message}`), true));
        });
    }

    it("names per stack (Glue wants lowercase and _, the rest dashes); the results bucket per account and Region", async () => {
        const { reportingNames } = await import("../../../components/reporting/complianceReporting");
        assert.deepEqual(reportingNames("Prod.EU", CENTRAL, "eu-west-2"), {
            database: "patching_inventory_prod_eu",
            workgroup: "patching-reporting-prod-eu",
            resultsBucket: `patching-athena-results-${CENTRAL}-eu-west-2`,
            readerPolicy: "patching-reporting-reader-prod-eu",
            quickSightRole: "patching-reporting-quicksight-prod-eu",
            quickSightDataSource: "patching-reporting-prod-eu",
            quickSightDataSet: "patching-non-compliant-nodes-prod-eu",
        });
    });

    it("ReportingQuickSight refuses an owner that is not a QuickSight principal", async () => {
        const { validateReportingQuickSightArgs } = await import("../../../components/reporting/reportingQuickSight");
        const args = { region: "eu-west-2", accountId: CENTRAL, workgroupName: "wg", readerPolicyArn: "arn", query: QUERIES[0], names: { role: "r", dataSource: "s", dataSet: "d" } };
        assert.throws(() => validateReportingQuickSightArgs({ ...args, principalArn: "alice" }), /^Error: ReportingQuickSight: principalArn "alice" is not a QuickSight user or group ARN/);
        validateReportingQuickSightArgs({ ...args, principalArn: QUICKSIGHT_USER });
    });

    it("accepts the base case, the defaults' bounds and a QuickSight user", () => {
        validate(BASE);
        validate({ ...BASE, notReportingDays: 1, bytesScannedCutoffPerQuery: 10485760, databaseName: "reports_1" });
        validate({ ...BASE, notReportingDays: 365, quickSight: { principalArn: `arn:aws:quicksight:us-east-1:${CENTRAL}:user/default/alice` } });
    });
});

const QUICKSIGHT_USER = `arn:aws:quicksight:us-east-1:${CENTRAL}:group/default/patching-admins`;
const DATA_KEY = `arn:aws:kms:eu-central-1:${CENTRAL}:key/data`;

/** Two estates' reporting under one central provider each: SSE-S3 without QuickSight, SSE-KMS with it. */
async function runComponents(preview: boolean) {
    const recorder = await startMockRuntime({ project: "multicloud-patching", stack: "prod-eu", config: {}, preview });
    const pulumi = await import("@pulumi/pulumi");
    const { ComplianceReporting } = await import("../../../components/reporting/complianceReporting");
    const { Provider } = await import("@pulumi/aws/provider");
    const west = new Provider("aws-central", { region: "eu-west-2", allowedAccountIds: [CENTRAL] });
    const frankfurt = new Provider("aws-central-fra", { region: "eu-central-1", allowedAccountIds: [CENTRAL] });
    const plain = new ComplianceReporting("reporting", BASE, { provider: west });
    const kms = new ComplianceReporting(
        "reporting-kms",
        {
            ...BASE,
            region: "eu-central-1",
            dataBucketName: pulumi.output(`patching-inventory-sync-${CENTRAL}-eu-central-1`),
            dataKmsKeyArn: pulumi.output(DATA_KEY),
            encryption: "SSE-KMS",
            databaseName: "reports",
            notReportingDays: 14,
            protect: true,
            quickSight: { principalArn: QUICKSIGHT_USER },
        },
        { provider: frankfurt },
    );
    await settle();
    return { recorder, plain, kms };
}

describe("ComplianceReporting under the mock runtime", () => {
    let run: Awaited<ReturnType<typeof runComponents>>;
    let recorder: ResourceRecorder;
    const inputsOf = (type: string, name: string) => recorder.get(type, name).inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const providerName = (resource: RecordedResource) => recorder.providerOf(resource)?.name;

    before(async () => {
        run = await runComponents(false);
        recorder = run.recorder;
    });

    it("creates the database (named after the stack unless given) and one projected JSON table per type, in the central account", async () => {
        assert.equal(inputsOf("aws:glue/catalogDatabase:CatalogDatabase", "reporting-database").name, DATABASE);
        assert.equal(inputsOf("aws:glue/catalogDatabase:CatalogDatabase", "reporting-kms-database").name, "reports");
        for (const id of INVENTORY_TABLE_IDS) {
            const definition = INVENTORY_TABLES[id];
            const table = recorder.get("aws:glue/catalogTable:CatalogTable", `reporting-${definition.tableName}`);
            const { databaseName, name, tableType, region, parameters, partitionKeys, storageDescriptor } = table.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
            assert.deepEqual([databaseName, name, tableType, region], [DATABASE, definition.tableName, "EXTERNAL_TABLE", "eu-west-2"]);
            const location = `s3://${DATA_BUCKET}/inventory/`;
            assert.equal(storageDescriptor.location, location);
            assert.equal(storageDescriptor.serDeInfo.serializationLibrary, "org.openx.data.jsonserde.JsonSerDe");
            assert.deepEqual(storageDescriptor.columns, definition.columns.map((c) => ({ name: c.name, type: "string" })));
            assert.deepEqual(partitionKeys, [{ name: "accountid", type: "string" }, { name: "region", type: "string" }, { name: "resourcetype", type: "string" }]);
            assert.equal(parameters["projection.enabled"], "true");
            // Each account's partition is read from its own folder only (issue 14, M4).
            assert.equal(parameters["storage.location.template"], `${location}\${accountid}/${definition.typeName}/accountid=\${accountid}/region=\${region}/resourcetype=\${resourcetype}/`);
            assert.equal(parameters["projection.accountid.values"], "111111111111,222222222222,333333333333");
            assert.equal(providerName(table), "aws-central");
        }
        assert.equal(recorder.find("aws:glue/catalogTable:CatalogTable").length, 2 * INVENTORY_TABLE_IDS.length);
        assert.deepEqual(Object.keys(run.plain.tableNames).sort(), INVENTORY_TABLE_IDS.map((id) => INVENTORY_TABLES[id].tableName).sort());
        assert.equal(await promiseOf(run.kms.tableNames["aws_tag"]), "aws_tag");
    });

    it("creates no crawler and no Glue resource other than the database and tables", () => {
        const glue = new Set(recorder.resources.filter((r) => r.type.startsWith("aws:glue/")).map((r) => r.type));
        assert.deepEqual([...glue].sort(), ["aws:glue/catalogDatabase:CatalogDatabase", "aws:glue/catalogTable:CatalogTable"]);
        assert.deepEqual(recorder.resources.filter((r) => /crawler/i.test(r.type)), []);
    });

    it("keeps results in a retained, versioned SecureBucket with the log lifecycle", () => {
        const bucket = recorder.get("aws:s3/bucket:Bucket", "reporting-results-bucket");
        assert.equal(bucket.inputs.bucket, `patching-athena-results-${CENTRAL}-eu-west-2`);
        assert.equal(bucket.options.retainOnDelete, true);
        assert.equal(bucket.options.protect, false);
        assert.equal(recorder.get("aws:s3/bucket:Bucket", "reporting-kms-results-bucket").options.protect, true);
        assert.equal(inputsOf("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "reporting-results-lifecycle").rules[0].id, "archive-then-expire");
        assert.deepEqual(inputsOf("aws:s3/bucketVersioning:BucketVersioning", "reporting-results-versioning").versioningConfiguration, { status: "Enabled" });
        assert.equal(recorder.get("patching:storage:SecureBucket", "reporting-results").parent, recorder.get("patching:reporting:ComplianceReporting", "reporting").urn);
    });

    it("enforces an encrypted results location in an engine-3 workgroup that is never force-destroyed", async () => {
        const plain = inputsOf("aws:athena/workgroup:Workgroup", "reporting-workgroup");
        assert.deepEqual(
            { name: plain.name, forceDestroy: plain.forceDestroy, state: plain.state, ...plain.configuration },
            {
                name: "patching-reporting-prod-eu",
                forceDestroy: false,
                state: "ENABLED",
                enforceWorkgroupConfiguration: true,
                publishCloudwatchMetricsEnabled: true,
                bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
                engineVersion: { selectedEngineVersion: "Athena engine version 3" },
                resultConfiguration: { outputLocation: `s3://patching-athena-results-${CENTRAL}-eu-west-2/`, expectedBucketOwner: CENTRAL, encryptionConfiguration: { encryptionOption: "SSE_S3" } },
            },
        );
        assert.ok(run.kms.resultsKmsKeyArn);
        const keyArn = await promiseOf(run.kms.resultsKmsKeyArn);
        assert.match(keyArn, /^arn:aws:kms:eu-central-1:111111111111:key\//);
        assert.deepEqual(inputsOf("aws:athena/workgroup:Workgroup", "reporting-kms-workgroup").configuration.resultConfiguration.encryptionConfiguration, { encryptionOption: "SSE_KMS", kmsKeyArn: keyArn });
        const bucketEncryption = inputsOf("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "reporting-kms-results-encryption");
        assert.equal(bucketEncryption.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId, keyArn);
        assert.equal(run.plain.resultsKmsKeyArn, undefined);
        assert.equal(recorder.find("aws:kms/key:Key").length, 1, "a key only for SSE-KMS");
    });

    it("saves the four named queries in the workgroup, against the database", async () => {
        for (const query of QUERIES) {
            const named = inputsOf("aws:athena/namedQuery:NamedQuery", `reporting-${query.key}`);
            assert.deepEqual(
                [named.name, named.workgroup, named.database, named.query, named.region],
                [query.name, "patching-reporting-prod-eu", DATABASE, query.sql, "eu-west-2"],
            );
        }
        const kmsNotReporting = inputsOf("aws:athena/namedQuery:NamedQuery", "reporting-kms-nodes-not-reporting");
        assert.match(kmsNotReporting.query, /FROM reports\.aws_instanceinformation ii[\s\S]*INTERVAL '14' DAY/);
        assert.deepEqual(Object.keys(run.plain.namedQueryIds), QUERIES.map((q) => q.key));
        assert.equal(await promiseOf(run.plain.namedQueryIds["nodes-not-reporting"]), "patching-nodes-not-reporting-id");
    });

    it("publishes a reader policy for exactly these resources, with the data key when there is one", () => {
        const plain = JSON.parse(inputsOf("aws:iam/policy:Policy", "reporting-reader").policy as string);
        const expected = { accountId: CENTRAL, region: "eu-west-2", database: DATABASE, workgroup: "patching-reporting-prod-eu", dataBucket: DATA_BUCKET, dataPrefix: "inventory" };
        assert.deepEqual(plain, reportingReaderPolicy({ ...expected, resultsBucket: `patching-athena-results-${CENTRAL}-eu-west-2` }));
        const kms = JSON.parse(inputsOf("aws:iam/policy:Policy", "reporting-kms-reader").policy as string) as { Statement: { Sid: string; Resource: unknown }[] };
        assert.equal(kms.Statement.find((s) => s.Sid === "DecryptInventory")?.Resource, DATA_KEY);
        assert.ok(kms.Statement.some((s) => s.Sid === "EncryptResults"));
    });

    it("adds QuickSight only when asked: an Athena source running as its own role, and a data set over the non-compliant query", async () => {
        assert.equal(recorder.find("patching:reporting:ReportingQuickSight").length, 1);
        assert.equal(run.plain.quickSightDataSetArn, undefined);
        const role = inputsOf("aws:iam/role:Role", "reporting-kms-quicksight-role");
        assert.deepEqual(JSON.parse(role.assumeRolePolicy).Statement, [
            // Issue 19: QuickSight acting for this account only (confused deputy).
            { Sid: "QuickSightRunAsRole", Effect: "Allow", Principal: { Service: "quicksight.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": CENTRAL } } },
        ]);
        const source = recorder.get("aws:quicksight/dataSource:DataSource", "reporting-kms-quicksight-source");
        assert.equal(source.inputs.type, "ATHENA");
        assert.deepEqual((source.inputs.parameters as Record<string, unknown>).athena, { workGroup: "patching-reporting-prod-eu", roleArn: "arn:aws:iam::111111111111:role/patching-reporting-quicksight-prod-eu" });
        assert.ok(source.options.dependsOn.includes(recorder.get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "reporting-kms-quicksight-reader").urn));
        const dataSet = inputsOf("aws:quicksight/dataSet:DataSet", "reporting-kms-quicksight-dataset");
        const [nonCompliant] = reportingQueries({ database: "reports", patchGroupTagKey: "Patch Group", notReportingDays: 14 });
        assert.equal(dataSet.importMode, "DIRECT_QUERY");
        const sourceArn = mockArn("aws:quicksight/dataSource:DataSource", "Patching reports (Athena)", CENTRAL, "eu-central-1");
        assert.deepEqual(dataSet.physicalTableMaps[0].customSql, { dataSourceArn: sourceArn, name: nonCompliant.name, sqlQuery: nonCompliant.sql, columns: nonCompliant.outputColumns });
        assert.deepEqual(dataSet.permissions.map((p: { principal: string }) => p.principal), [QUICKSIGHT_USER]);
        assert.equal(providerName(source), "aws-central-fra");
    });

    it("registers every (type, name, parent) once and lands every cloud resource on its estate's central provider", () => {
        const keys = recorder.resources.map((r) => `${r.type} ${r.name} ${r.parent ?? ""}`);
        assert.deepEqual(keys.filter((key, index) => keys.indexOf(key) !== index), []);
        const custom = recorder.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
        assert.deepEqual(custom.filter((r) => providerName(r) !== (r.name.startsWith("reporting-kms-") ? "aws-central-fra" : "aws-central")).map((r) => r.name), []);
    });
});

describe("ComplianceReporting in preview mode", () => {
    it("evaluates both variants without errors", async () => {
        const failures: unknown[] = [];
        const onRejection = (reason: unknown) => failures.push(reason);
        process.on("unhandledRejection", onRejection);
        try {
            const { recorder } = await runComponents(true);
            assert.equal(recorder.find("aws:athena/namedQuery:NamedQuery").length, 8);
            assert.equal(recorder.find("aws:quicksight/dataSet:DataSet").length, 1);
            assert.deepEqual([recorder.invokeFailures, failures], [[], []]);
        } finally {
            process.off("unhandledRejection", onRejection);
        }
    });
});
