import type { AutomationExecutionFilter, AutomationExecutionMetadata, StepExecution } from "@aws-sdk/client-ssm";
import type { SsmApi } from "./clients";

/** Every page of DescribeAutomationStepExecutions (at most 50 a page). */
export async function allSteps(ssm: SsmApi, executionId: string): Promise<StepExecution[]> {
    const steps: StepExecution[] = [];
    let token: string | undefined;
    do {
        const page = await ssm.describeAutomationStepExecutions({ AutomationExecutionId: executionId, MaxResults: 50, ...(token ? { NextToken: token } : {}) });
        steps.push(...(page.StepExecutions ?? []));
        token = page.NextToken;
    } while (token);
    return steps;
}

/** Every page of DescribeAutomationExecutions (at most 50 a page). */
export async function allExecutions(ssm: SsmApi, filters: AutomationExecutionFilter[]): Promise<AutomationExecutionMetadata[]> {
    const executions: AutomationExecutionMetadata[] = [];
    let token: string | undefined;
    do {
        const page = await ssm.describeAutomationExecutions({ Filters: filters, MaxResults: 50, ...(token ? { NextToken: token } : {}) });
        executions.push(...(page.AutomationExecutionMetadataList ?? []));
        token = page.NextToken;
    } while (token);
    return executions;
}

/** Newest first (ExecutionStartTime). */
export const newestFirst = (a: AutomationExecutionMetadata, b: AutomationExecutionMetadata): number => (b.ExecutionStartTime?.getTime() ?? 0) - (a.ExecutionStartTime?.getTime() ?? 0);
