import type { AutomationDocument, Step } from "../../../components/runbooks/documentModel";

/**
 * The AWS API calls an Automation runbook makes as its assume role, read from the document itself:
 * per step action (Automation actions reference), the executeAwsApi Service/Api pairs and the boto3
 * calls in executeScript sources. An action or client this file does not know throws, so a runbook
 * change that adds a call cannot pass the permission tests until the call is mapped and granted.
 */
export interface RunbookCall {
    readonly runbook: string;
    readonly step: string;
    /** IAM action, e.g. `ssm:SendCommand`. */
    readonly action: string;
    /** The document or runbook the call names (SendCommand, StartAutomationExecution). */
    readonly documentName?: string;
}

/** boto3 client name → IAM service prefix (only the clients the runbooks use). */
const BOTO3_SERVICES: Readonly<Record<string, string>> = { ec2: "ec2", ssm: "ssm" };

/** executeAwsApi Service values are the SDK's service names; IAM prefixes are the same for these. */
const API_SERVICES: Readonly<Record<string, string>> = { ec2: "ec2", ssm: "ssm", kms: "kms" };

/** `describe_instance_information` → `DescribeInstanceInformation` (boto3 method → API / IAM action name). */
function pascal(snake: string): string {
    return snake.split("_").map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("");
}

/** The boto3 calls of an aws:executeScript source: `x = boto3.client('ec2')` … `x.start_instances(`, paginators, inline clients. */
export function scriptCalls(source: string): string[] {
    const clients = new Map<string, string>();
    for (const m of source.matchAll(/(\w+)\s*=\s*boto3\.client\(\s*'([\w-]+)'\s*\)/g)) {
        clients.set(m[1], m[2]);
    }
    const prefix = (client: string) => {
        const service = BOTO3_SERVICES[client];
        if (service === undefined) {
            throw new Error(`executeScript uses boto3 client '${client}', which runbookCalls.ts does not map to an IAM service`);
        }
        return service;
    };
    const calls: string[] = [];
    for (const m of source.matchAll(/(\w+)\.get_paginator\(\s*'(\w+)'\s*\)/g)) {
        calls.push(`${prefix(clients.get(m[1]) ?? m[1])}:${pascal(m[2])}`);
    }
    for (const m of source.matchAll(/(\w+)\.(\w+)\(/g)) {
        if (clients.has(m[1]) && m[2] !== "get_paginator") {
            calls.push(`${prefix(clients.get(m[1]) as string)}:${pascal(m[2])}`);
        }
    }
    for (const m of source.matchAll(/boto3\.client\(\s*'([\w-]+)'\s*\)\.(\w+)\(/g)) {
        calls.push(`${prefix(m[1])}:${pascal(m[2])}`);
    }
    if (/boto3\.(resource|session)/.test(source)) {
        throw new Error("executeScript uses a boto3 resource/session, which runbookCalls.ts cannot read");
    }
    return [...new Set(calls)];
}

function stepCalls(step: Step): Omit<RunbookCall, "runbook" | "step">[] {
    const inputs = step.inputs;
    switch (step.action) {
        case "aws:branch":
        case "aws:sleep":
        case "aws:pause":
            return [];
        case "aws:runCommand":
            // SendCommand, then the command is followed until it ends and cancelled on timeout or
            // when the execution is cancelled.
            return [
                { action: "ssm:SendCommand", documentName: inputs.DocumentName as string },
                ...["ssm:ListCommands", "ssm:ListCommandInvocations", "ssm:GetCommandInvocation", "ssm:CancelCommand"].map((action) => ({ action })),
            ];
        case "aws:changeInstanceState": {
            const checks = [{ action: "ec2:DescribeInstanceStatus" }, { action: "ec2:DescribeInstances" }];
            if (inputs.CheckStateOnly === true) {
                return checks;
            }
            const change = { running: "ec2:StartInstances", stopped: "ec2:StopInstances", terminated: "ec2:TerminateInstances" }[inputs.DesiredState as string];
            if (change === undefined) {
                throw new Error(`aws:changeInstanceState DesiredState ${String(inputs.DesiredState)} is not mapped in runbookCalls.ts`);
            }
            return [...checks, { action: change }];
        }
        case "aws:executeScript":
            return scriptCalls(inputs.Script as string).map((action) => ({ action }));
        case "aws:executeAwsApi": {
            const service = API_SERVICES[String(inputs.Service)];
            if (service === undefined) {
                throw new Error(`aws:executeAwsApi Service ${String(inputs.Service)} is not mapped in runbookCalls.ts`);
            }
            return [{ action: `${service}:${String(inputs.Api)}` }];
        }
        case "aws:executeAutomation": {
            const runtime = (inputs.RuntimeParameters ?? {}) as Record<string, unknown>;
            return [
                { action: "ssm:StartAutomationExecution", documentName: inputs.DocumentName as string },
                { action: "ssm:GetAutomationExecution" },
                { action: "ssm:StopAutomationExecution" },
                // The child runs as the AutomationAssumeRole it is given: passing it is the caller's call.
                ...(runtime.AutomationAssumeRole === undefined ? [] : [{ action: "iam:PassRole" }]),
            ];
        }
        default:
            throw new Error(`step ${step.name}: action ${step.action} is not mapped in runbookCalls.ts`);
    }
}

/** Every call of every step (onCancel / onFailure targets included: they are steps too). */
export function runbookCalls(runbook: string, document: AutomationDocument): RunbookCall[] {
    return document.mainSteps.flatMap((step) => stepCalls(step).map((call) => ({ runbook, step: step.name, ...call })));
}
