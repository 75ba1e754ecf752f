import type * as pulumi from "@pulumi/pulumi";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { ComplianceDigest } from "../components/reporting/complianceDigest";
import { ComplianceReporting, reportingNames } from "../components/reporting/complianceReporting";
import type { DigestException } from "../lambda/complianceDigest/settings";
import { QuickSightDashboard } from "../components/reporting/quickSightDashboard";
import { dashboardDataSets } from "../components/reporting/quickSightDataSets";
import type { AwsDataOutputs } from "./awsData";
import { hasAzureVms } from "./azureVms";
import type { AwsAccount, Estate } from "./config/estateModel";
import { estateExceptions } from "./exceptions";
import type { QuickSightDashboardSettings } from "./config/schemaQuickSight";

export interface AwsReportingOutputs {
    readonly databaseName: pulumi.Output<string>;
    readonly workgroupName: pulumi.Output<string>;
    readonly readerPolicyArn: pulumi.Output<string>;
    readonly namedQueryIds: Record<string, pulumi.Output<string>>;
}

/**
 * SPEC capability 12 in the central account and Region: Glue tables with partition projection
 * over the central inventory bucket, an Athena workgroup with enforced, encrypted results, and the
 * named compliance queries. The projection lists exactly the member accounts and their Regions.
 */
/** The central compliance topic (ComplianceAlerts: `patching-compliance-alerts`) the daily digest publishes to. */
export interface ComplianceTopic {
    readonly arn: pulumi.Input<string>;
    readonly kmsKeyArn?: pulumi.Input<string>;
}

export function buildAwsReporting(estate: Estate, providerOf: (account: AwsAccount) => AwsProvider, data: AwsDataOutputs, complianceTopic?: ComplianceTopic): AwsReportingOutputs {
    const central = estate.central;
    const regions = [...new Set(estate.members.flatMap((member) => member.regions))].sort();
    const reporting = new ComplianceReporting(
        `${central.account.alias}-reporting`,
        {
            region: central.region,
            centralAccountId: central.account.id,
            nameSuffix: estate.environment,
            dataBucketName: data.inventoryBucketName,
            dataSyncPrefix: estate.inventory.dataSyncPrefix,
            ...(data.inventoryKmsKeyArn === undefined ? {} : { dataKmsKeyArn: data.inventoryKmsKeyArn }),
            accountIds: estate.members.map((member) => member.id),
            regions,
            patchGroupTagKey: estate.patchGroupTagKey,
            notReportingDays: estate.reporting.notReportingDays,
            retention: estate.logStorage,
            encryption: estate.logStorage.encryption,
            protect: estate.environment === "prod",
            ...(estate.reporting.quickSightPrincipalArn === undefined ? {} : { quickSight: { principalArn: estate.reporting.quickSightPrincipalArn } }),
            azure: hasAzureVms(estate),
            sla: estate.compliance.sla,
        },
        { provider: providerOf(central.account) },
    );
    if (complianceTopic !== undefined) {
        buildComplianceDigest(estate, providerOf(central.account), data, reporting, complianceTopic);
    }
    buildQuickSightDashboard(estate, reporting, providerOf(central.account));
    return { databaseName: reporting.databaseName, workgroupName: reporting.workgroupName, readerPolicyArn: reporting.readerPolicyArn, namedQueryIds: reporting.namedQueryIds };
}

/** `reporting.quickSight` as the schema parses it (estateModel's reporting type does not name it yet). */
export function quickSightDashboardSettings(estate: Estate): QuickSightDashboardSettings | undefined {
    return estate.reporting.quickSight;
}

/**
 * Issue 19 item 3: the compliance dashboard when `reporting.quickSight.enabled` (the schema refuses
 * it without quickSightPrincipalArn, its owner). Its data sets query ComplianceReporting's Athena
 * data source, whose ARN follows from its id; dependsOn waits for that source and every table.
 */
function buildQuickSightDashboard(estate: Estate, reporting: ComplianceReporting, provider: AwsProvider): void {
    const settings = quickSightDashboardSettings(estate);
    const owner = estate.reporting.quickSightPrincipalArn;
    if (settings?.enabled !== true || owner === undefined) {
        return;
    }
    const { account, region } = estate.central;
    const names = reportingNames(estate.environment, account.id, region);
    const dataSets = dashboardDataSets({ database: names.database, patchGroupTagKey: estate.patchGroupTagKey, notReportingDays: estate.reporting.notReportingDays, azure: hasAzureVms(estate) });
    new QuickSightDashboard(
        `${account.alias}-reporting-dashboard`,
        { region, accountId: account.id, dataSourceArn: `arn:aws:quicksight:${region}:${account.id}:datasource/${names.quickSightDataSource}`, ownerArn: owner, readerArns: settings.readers, dataSets, nameSuffix: estate.environment },
        { provider, dependsOn: [reporting] },
    );
}

/**
 * Issue 19 items 2 and 4: the daily digest next to the reporting it queries (central account and
 * Region), publishing to the central compliance topic; the exceptions it announces a week before
 * they expire come from the estate (stacks/exceptions.ts).
 */
function buildComplianceDigest(estate: Estate, provider: AwsProvider, data: AwsDataOutputs, reporting: ComplianceReporting, topic: ComplianceTopic): ComplianceDigest {
    const { account, region } = estate.central;
    return new ComplianceDigest(
        `${account.alias}-compliance-digest`,
        {
            region,
            accountId: account.id,
            environment: estate.environment,
            workgroupName: reporting.workgroupName,
            databaseName: reportingNames(estate.environment, account.id, region).database,
            dataBucketName: data.inventoryBucketName,
            dataSyncPrefix: estate.inventory.dataSyncPrefix,
            ...(data.inventoryKmsKeyArn === undefined ? {} : { dataKmsKeyArn: data.inventoryKmsKeyArn }),
            resultsBucketName: reporting.resultsBucketName,
            ...(reporting.resultsKmsKeyArn === undefined ? {} : { resultsKmsKeyArn: reporting.resultsKmsKeyArn }),
            topic,
            sla: estate.compliance.sla,
            exceptions: digestExceptions(estate),
        },
        { provider, dependsOn: [reporting] },
    );
}

/** The dated exceptions as the digest lists them (undated ones never expire, so never show). */
export function digestExceptions(estate: Estate): DigestException[] {
    return estateExceptions(estate).flatMap((e): DigestException[] =>
        e.expires === undefined
            ? []
            : [{ kind: e.kind === "patch" ? "rejected-patch" : "excluded-node", group: e.patchGroup, id: e.id, ...(e.os === undefined ? {} : { os: e.os }), ...(e.reason === undefined ? {} : { reason: e.reason }), expires: e.expires }],
    );
}
