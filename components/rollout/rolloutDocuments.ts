import { policy, ssmServiceTrust, type PolicyDocument, type PolicyStatement } from "../identity/iamDocuments";

/**
 * IAM documents of the rollout role: the role the gate and cutoff runbooks run as
 * (AutomationAssumeRole) in the central account. Pure builders; the lead wires them to a role
 * under the program's permissions boundary. Actions and resource types per the Service
 * Authorization Reference for Systems Manager; each statement says why it is needed.
 */

export interface GateRoleArgs {
    readonly accountId: string;
    readonly region: string;
    /** The patch runbooks the gate may start. */
    readonly patchDocumentNames: readonly string[];
    /** Passed as the patch run's AutomationAssumeRole (the multi-account administration role). */
    readonly administrationRoleArn: string;
    /** Change Calendar documents the gate reads (none: no statement). */
    readonly calendarNames: readonly string[];
}

const ssmArn = (args: { accountId: string; region: string }, resource: string) => `arn:aws:ssm:${args.region}:${args.accountId}:${resource}`;

/** ssm.amazonaws.com for this account's Automation executions only (confused-deputy conditions). */
export function rolloutRoleTrust(accountId: string, region: string): PolicyDocument {
    return ssmServiceTrust("SystemsManagerAutomationRunsRollout", accountId, `arn:aws:ssm:${region}:${accountId}:automation-execution/*`);
}

/** Finding runs: DescribeAutomationExecutions supports no resource-level permission (Resource "*"). */
const FIND_RUNS: PolicyStatement = { Sid: "FindPatchRuns", Effect: "Allow", Action: "ssm:DescribeAutomationExecutions", Resource: "*" };

function readRuns(args: { accountId: string; region: string }, actions: string[]): PolicyStatement {
    return { Sid: "ReadPatchRuns", Effect: "Allow", Action: actions, Resource: ssmArn(args, "automation-execution/*") };
}

/** Gate: read the calendar, find and read the previous ring's runs, start (and tag) exactly the patch runbooks. */
export function gateRolePolicy(args: GateRoleArgs): PolicyDocument {
    const documents = [...args.patchDocumentNames].sort();
    const calendars = [...args.calendarNames].sort();
    return policy(
        ...(calendars.length === 0 ? [] : [{ Sid: "ReadChangeCalendars", Effect: "Allow" as const, Action: "ssm:GetCalendarState", Resource: calendars.map((name) => ssmArn(args, `document/${name}`)) }]),
        FIND_RUNS,
        // Tags of a candidate run, and ProgressCounters for a compliance requirement.
        readRuns(args, ["ssm:GetAutomationExecution", "ssm:ListTagsForResource"]),
        {
            // Same resources as the scheduler's StartPatchRunbooks: the document, its versions, the new execution.
            Sid: "StartPatchRunbooks",
            Effect: "Allow",
            Action: "ssm:StartAutomationExecution",
            Resource: [...documents.flatMap((name) => [ssmArn(args, `automation-definition/${name}:*`), ssmArn(args, `document/${name}`)]), ssmArn(args, "automation-execution/*")],
        },
        {
            // Tags given on StartAutomationExecution: granted on executions only, in case SSM
            // authorizes tag-on-create as AddTagsToResource (the SSM guide does not say).
            Sid: "TagPatchRunsOnStart",
            Effect: "Allow",
            Action: "ssm:AddTagsToResource",
            Resource: ssmArn(args, "automation-execution/*"),
        },
        {
            Sid: "PassAdministrationRoleToSystemsManager",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: args.administrationRoleArn,
            Condition: { StringEquals: { "iam:PassedToService": "ssm.amazonaws.com" } },
        },
    );
}

/** Cutoff: find runs, read their tags, cancel only runs that carry the gate's group tag. */
export function cutoffRolePolicy(args: { accountId: string; region: string }): PolicyDocument {
    return policy(FIND_RUNS, readRuns(args, ["ssm:ListTagsForResource"]), {
        // IAM refuses to stop an execution without the group tag, whatever the script does.
        Sid: "CancelGatedPatchRuns",
        Effect: "Allow",
        Action: "ssm:StopAutomationExecution",
        Resource: ssmArn(args, "automation-execution/*"),
        Condition: { Null: { "aws:ResourceTag/patching:group": "false" } },
    });
}
