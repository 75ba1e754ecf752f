import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policy, trustStatement, type PolicyDocument } from "../identity/iamDocuments";
import type { NamedQuerySpec } from "./reportingQueries";
import { permissionsBoundaryArn } from "../../catalog/naming";

export interface ReportingQuickSightArgs {
    readonly region: string;
    readonly accountId: string;
    /** The Athena workgroup the data source runs in (its enforced results location and encryption apply). */
    readonly workgroupName: pulumi.Input<string>;
    /** The policy that runs the reports; attached to the data source's run-as role. */
    readonly readerPolicyArn: pulumi.Input<string>;
    /** QuickSight user or group that owns the data source and the data set. */
    readonly principalArn: string;
    /** The query the data set runs as custom SQL (database-qualified, so no default database is needed). */
    readonly query: NamedQuerySpec;
    /** Physical ids: role name, data source id, data set id. */
    readonly names: { readonly role: string; readonly dataSource: string; readonly dataSet: string };
}

/** A QuickSight user or group ARN (`arn:aws:quicksight:<region>:<account>:user/<namespace>/<name>`). */
export const QUICKSIGHT_PRINCIPAL = /^arn:aws[a-z-]*:quicksight:[a-z0-9-]+:\d{12}:(user|group)\/[^/]+\/.+$/;

export function validateReportingQuickSightArgs(args: ReportingQuickSightArgs): void {
    if (!QUICKSIGHT_PRINCIPAL.test(args.principalArn)) {
        throw new Error(`ReportingQuickSight: principalArn "${args.principalArn}" is not a QuickSight user or group ARN (arn:aws:quicksight:<region>:<account>:user/<namespace>/<name>)`);
    }
}

/** Owner actions on a QuickSight data source and data set (QuickSight API, "Resource permissions"). */
export const QUICKSIGHT_OWNER_ACTIONS = {
    dataSource: ["DeleteDataSource", "DescribeDataSource", "DescribeDataSourcePermissions", "PassDataSource", "UpdateDataSource", "UpdateDataSourcePermissions"].map((a) => `quicksight:${a}`),
    dataSet: ["CancelIngestion", "CreateIngestion", "DeleteDataSet", "DescribeDataSet", "DescribeDataSetPermissions", "DescribeIngestion", "ListIngestions", "PassDataSet", "UpdateDataSet", "UpdateDataSetPermissions"].map(
        (a) => `quicksight:${a}`,
    ),
} as const;

/**
 * The run-as role's trust: quicksight.amazonaws.com, acting for this account only. QuickSight's
 * guide ("Running queries as an IAM role", "Passing IAM roles to QuickSight") shows the bare
 * service trust and documents no aws:SourceArn form for a data source's role; the IAM user guide's
 * confused-deputy advice (confused-deputy.html#cross-service-confused-deputy-prevention) is then
 * aws:SourceAccount = the role's own account, which AWS sets on every service-to-service call made
 * for a resource owner. An aws:SourceArn the service does not send would lock QuickSight out.
 */
export function quickSightRunAsTrust(accountId: string): PolicyDocument {
    return policy(trustStatement("QuickSightRunAsRole", { Service: "quicksight.amazonaws.com" }, { StringEquals: { "aws:SourceAccount": accountId } }));
}

/**
 * An Athena data source that runs as its own IAM role (QuickSight user guide, "Running queries as
 * an IAM role": the role trusts quicksight.amazonaws.com and overrides the account-wide QuickSight
 * role for this source only), and a DIRECT_QUERY data set over one named query. The QuickSight
 * account subscription itself is outside this program.
 */
export class ReportingQuickSight extends pulumi.ComponentResource {
    readonly dataSourceArn: pulumi.Output<string>;
    readonly dataSetArn: pulumi.Output<string>;

    constructor(name: string, args: ReportingQuickSightArgs, opts?: pulumi.ComponentResourceOptions) {
        validateReportingQuickSightArgs(args);
        super("patching:reporting:ReportingQuickSight", name, {}, opts);
        const { region, accountId, principalArn: principal, query } = args;
        const trust = quickSightRunAsTrust(accountId);
        const role = new aws.iam.Role(`${name}-role`, { name: args.names.role, permissionsBoundary: permissionsBoundaryArn(args.accountId), assumeRolePolicy: JSON.stringify(trust) }, { parent: this });
        const grant = new aws.iam.RolePolicyAttachment(`${name}-reader`, { role: role.name, policyArn: args.readerPolicyArn }, { parent: this });
        const source = new aws.quicksight.DataSource(
            `${name}-source`,
            {
                region,
                awsAccountId: accountId,
                dataSourceId: args.names.dataSource,
                name: "Patching reports (Athena)",
                type: "ATHENA",
                parameters: { athena: { workGroup: args.workgroupName, roleArn: role.arn } },
                permissions: [{ principal, actions: [...QUICKSIGHT_OWNER_ACTIONS.dataSource] }],
            },
            // QuickSight tests the connection on create, so the role's permissions come first.
            { parent: this, dependsOn: [grant] },
        );
        const dataSet = new aws.quicksight.DataSet(
            `${name}-dataset`,
            {
                region,
                awsAccountId: accountId,
                dataSetId: args.names.dataSet,
                name: query.name,
                importMode: "DIRECT_QUERY",
                physicalTableMaps: [{ physicalTableMapId: query.key, customSql: { dataSourceArn: source.arn, name: query.name, sqlQuery: query.sql, columns: [...query.outputColumns] } }],
                permissions: [{ principal, actions: [...QUICKSIGHT_OWNER_ACTIONS.dataSet] }],
            },
            { parent: this },
        );
        this.dataSourceArn = source.arn;
        this.dataSetArn = dataSet.arn;
        this.registerOutputs({ dataSourceArn: this.dataSourceArn, dataSetArn: this.dataSetArn });
    }
}
