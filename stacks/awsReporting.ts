import type * as pulumi from "@pulumi/pulumi";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { ComplianceReporting } from "../components/reporting/complianceReporting";
import type { AwsDataOutputs } from "./awsData";
import { hasAzureVms } from "./azureVms";
import type { AwsAccount, Estate } from "./config/estateModel";

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
export function buildAwsReporting(estate: Estate, providerOf: (account: AwsAccount) => AwsProvider, data: AwsDataOutputs): AwsReportingOutputs {
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
        },
        { provider: providerOf(central.account) },
    );
    return { databaseName: reporting.databaseName, workgroupName: reporting.workgroupName, readerPolicyArn: reporting.readerPolicyArn, namedQueryIds: reporting.namedQueryIds };
}
