import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { permissionsBoundaryArn } from "../../catalog/naming";
import { documentNameProblem, renderDocument } from "../runbooks/patchAutomationDocuments";
import { changeCalendarContent } from "./changeCalendar";
import { cutoffDocument } from "./cutoffDocument";
import { gateDocument } from "./gateDocument";
import { cutoffRolePolicy, gateRolePolicy, rolloutRoleTrust } from "./rolloutDocuments";

/** The rollout role: one per environment and central Region (IAM is global; two stacks may share an account). */
export const rolloutRoleName = (environment: string, region: string): string => `patching-rollout-${environment}-${region}`;
import { ROLLOUT_DOCUMENT_NAMES, type RolloutCalendar } from "./rolloutPlan";

export interface RolloutControlsArgs {
    /** Central Region: the gate and cutoff run here, next to the schedules. */
    readonly region: string;
    readonly accountId: string;
    /** Names the role `patching-rollout-<environment>-<region>`. */
    readonly environment: string;
    /** Passed by the gate as the patch run's AutomationAssumeRole. */
    readonly administrationRoleArn: pulumi.Input<string>;
    /** The patch runbooks the gate may start (both: a group's runbook may change). */
    readonly patchDocumentNames: readonly string[];
    /** Change Calendars (rolloutPlan); empty: none. */
    readonly calendars: readonly RolloutCalendar[];
}

export function validateRolloutControlsArgs(args: RolloutControlsArgs): void {
    const problems = [
        ...args.calendars.flatMap((c) => documentNameProblem(c.name) ?? []),
        ...(args.patchDocumentNames.length === 0 ? ["patchDocumentNames is empty; the gate must be allowed to start the patch runbooks"] : []),
    ];
    // The content builder throws one line per bad blackout.
    args.calendars.forEach((c) => changeCalendarContent(c.name, c.blackouts));
    if (problems.length > 0) {
        throw new Error(`RolloutControls: ${problems.join("; ")}`);
    }
}

/**
 * Safe rollout (issue 17) in the central account and Region: the gate and window-cutoff runbooks,
 * one Change Calendar per calendar, and the rollout role both run as (program permissions
 * boundary; trust and inline policies from rolloutDocuments.ts). Created only when some patch
 * group uses a safety setting; the schedules then start the gate (PatchSchedules).
 */
export class RolloutControls extends pulumi.ComponentResource {
    readonly gateDocumentName: pulumi.Output<string>;
    readonly cutoffDocumentName: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
    /** Calendar document ARN per calendar name. */
    readonly calendarArns: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: RolloutControlsArgs, opts?: pulumi.ComponentResourceOptions) {
        validateRolloutControlsArgs(args);
        super("patching:rollout:RolloutControls", name, {}, opts);
        const { region, accountId } = args;
        const runbook = (role: string, documentName: string, content: string) =>
            new aws.ssm.Document(`${name}-${role}`, { region, name: documentName, documentType: "Automation", documentFormat: "YAML", content }, { parent: this });
        const gate = runbook("gate", ROLLOUT_DOCUMENT_NAMES.gate, renderDocument(gateDocument()));
        const cutoff = runbook("cutoff", ROLLOUT_DOCUMENT_NAMES.cutoff, renderDocument(cutoffDocument()));
        for (const calendar of args.calendars) {
            // ChangeCalendar documents are TEXT (iCalendar); DEFAULT_OPEN is in the content.
            const document = new aws.ssm.Document(
                `${name}-calendar-${calendar.name}`,
                { region, name: calendar.name, documentType: "ChangeCalendar", documentFormat: "TEXT", content: changeCalendarContent(`Patching blackouts: ${calendar.blackouts.map((b) => b.name).join(", ")}`, calendar.blackouts) },
                { parent: this },
            );
            this.calendarArns[calendar.name] = document.arn;
        }
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: rolloutRoleName(args.environment, region),
                permissionsBoundary: permissionsBoundaryArn(accountId),
                description: "Safe-rollout gate and window cutoff runbooks (multicloud-patching)",
                assumeRolePolicy: JSON.stringify(rolloutRoleTrust(accountId, region)),
            },
            { parent: this },
        );
        const gatePolicy = new aws.iam.RolePolicy(
            `${name}-gate-policy`,
            {
                role: role.name,
                name: "rollout-gate",
                policy: pulumi
                    .output(args.administrationRoleArn)
                    .apply((administrationRoleArn) =>
                        JSON.stringify(gateRolePolicy({ accountId, region, patchDocumentNames: args.patchDocumentNames, administrationRoleArn, calendarNames: args.calendars.map((c) => c.name) })),
                    ),
            },
            { parent: this },
        );
        const cutoffPolicy = new aws.iam.RolePolicy(`${name}-cutoff-policy`, { role: role.name, name: "window-cutoff", policy: JSON.stringify(cutoffRolePolicy({ accountId, region })) }, { parent: this });
        this.gateDocumentName = gate.name;
        this.cutoffDocumentName = cutoff.name;
        // Consumers (the schedules) get the ARN only once the role carries its policies.
        this.roleArn = pulumi.all([role.arn, gatePolicy.id, cutoffPolicy.id]).apply(([arn]) => arn);
        this.registerOutputs({ gateDocumentName: this.gateDocumentName, cutoffDocumentName: this.cutoffDocumentName, roleArn: this.roleArn, calendarArns: this.calendarArns });
    }
}
