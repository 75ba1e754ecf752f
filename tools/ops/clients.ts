import {
    AthenaClient,
    GetQueryExecutionCommand,
    GetQueryResultsCommand,
    StartQueryExecutionCommand,
    type GetQueryExecutionCommandInput,
    type GetQueryExecutionCommandOutput,
    type GetQueryResultsCommandInput,
    type GetQueryResultsCommandOutput,
    type StartQueryExecutionCommandInput,
    type StartQueryExecutionCommandOutput,
} from "@aws-sdk/client-athena";
import {
    DescribeAutomationExecutionsCommand,
    DescribeAutomationStepExecutionsCommand,
    GetAutomationExecutionCommand,
    GetCalendarStateCommand,
    SSMClient,
    StartAutomationExecutionCommand,
    type DescribeAutomationExecutionsCommandInput,
    type DescribeAutomationExecutionsCommandOutput,
    type DescribeAutomationStepExecutionsCommandInput,
    type DescribeAutomationStepExecutionsCommandOutput,
    type GetAutomationExecutionCommandInput,
    type GetAutomationExecutionCommandOutput,
    type GetCalendarStateCommandInput,
    type GetCalendarStateCommandOutput,
    type SSMClientConfig,
    type StartAutomationExecutionCommandInput,
    type StartAutomationExecutionCommandOutput,
} from "@aws-sdk/client-ssm";

/**
 * The few AWS calls the ops CLI makes, behind interfaces so tests can swap the transport (a
 * recording HTTP handler, or moto_server) while the real SDK clients still serialise the requests.
 */
export interface SsmApi {
    startAutomationExecution(input: StartAutomationExecutionCommandInput): Promise<StartAutomationExecutionCommandOutput>;
    getAutomationExecution(input: GetAutomationExecutionCommandInput): Promise<GetAutomationExecutionCommandOutput>;
    describeAutomationExecutions(input: DescribeAutomationExecutionsCommandInput): Promise<DescribeAutomationExecutionsCommandOutput>;
    describeAutomationStepExecutions(input: DescribeAutomationStepExecutionsCommandInput): Promise<DescribeAutomationStepExecutionsCommandOutput>;
    /** Change Calendar state (OPEN / CLOSED): patch-now refuses a gated install during a blackout. */
    getCalendarState(input: GetCalendarStateCommandInput): Promise<GetCalendarStateCommandOutput>;
}

export interface AthenaApi {
    startQueryExecution(input: StartQueryExecutionCommandInput): Promise<StartQueryExecutionCommandOutput>;
    getQueryExecution(input: GetQueryExecutionCommandInput): Promise<GetQueryExecutionCommandOutput>;
    getQueryResults(input: GetQueryResultsCommandInput): Promise<GetQueryResultsCommandOutput>;
}

/** Where and as whom to call. Credentials come from the SDK's default chain unless given. */
export interface ClientOptions {
    readonly region?: string;
    /** A profile of ~/.aws/config (it may assume a role: role_arn + source_profile). */
    readonly profile?: string;
    /** Tests only: an emulator endpoint, fixed credentials, or a replacement HTTP handler. */
    readonly endpoint?: string;
    readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
    readonly requestHandler?: SSMClientConfig["requestHandler"];
}

export function clientConfig(options: ClientOptions) {
    return {
        ...(options.region === undefined ? {} : { region: options.region }),
        ...(options.profile === undefined ? {} : { profile: options.profile }),
        ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        ...(options.credentials === undefined ? {} : { credentials: { ...options.credentials } }),
        ...(options.requestHandler === undefined ? {} : { requestHandler: options.requestHandler }),
    };
}

export function sdkSsm(options: ClientOptions): SsmApi {
    const client = new SSMClient(clientConfig(options));
    return {
        startAutomationExecution: (input) => client.send(new StartAutomationExecutionCommand(input)),
        getAutomationExecution: (input) => client.send(new GetAutomationExecutionCommand(input)),
        describeAutomationExecutions: (input) => client.send(new DescribeAutomationExecutionsCommand(input)),
        describeAutomationStepExecutions: (input) => client.send(new DescribeAutomationStepExecutionsCommand(input)),
        getCalendarState: (input) => client.send(new GetCalendarStateCommand(input)),
    };
}

export function sdkAthena(options: ClientOptions): AthenaApi {
    const client = new AthenaClient(clientConfig(options));
    return {
        startQueryExecution: (input) => client.send(new StartQueryExecutionCommand(input)),
        getQueryExecution: (input) => client.send(new GetQueryExecutionCommand(input)),
        getQueryResults: (input) => client.send(new GetQueryResultsCommand(input)),
    };
}

/** What a command needs from its surroundings; `defaultDeps` is the real process. */
export interface OpsDeps {
    /** Folder holding Pulumi.yaml and the Pulumi.<stack>.yaml files. */
    readonly directory: string;
    readonly ssm: (options: ClientOptions) => SsmApi;
    readonly athena: (options: ClientOptions) => AthenaApi;
    readonly stdout: Output;
    readonly stderr: Output;
    readonly sleep: (ms: number) => Promise<void>;
    readonly now: () => Date;
}

export interface Output {
    write(text: string): unknown;
    readonly isTTY?: boolean;
}

export function defaultDeps(directory: string): OpsDeps {
    return {
        directory,
        ssm: sdkSsm,
        athena: sdkAthena,
        stdout: process.stdout,
        stderr: process.stderr,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        now: () => new Date(),
    };
}
