import * as pulumi from "@pulumi/pulumi";
import { DeploymentSchedule } from "@pulumi/pulumiservice/deploymentSchedule";
import { DeploymentSettings } from "@pulumi/pulumiservice/deploymentSettings";
import { DriftSchedule } from "@pulumi/pulumiservice/driftSchedule";
import { Environment } from "@pulumi/pulumiservice/environment";
import { TeamEnvironmentPermission } from "@pulumi/pulumiservice/teamEnvironmentPermission";
import { TeamStackPermission } from "@pulumi/pulumiservice/teamStackPermission";
import { Webhook } from "@pulumi/pulumiservice/webhook";
import { CI_ENVIRONMENT_PERMISSION, CI_STACK_PERMISSION } from "../ciAccess";

export interface StackDeploymentArgs {
    /** Pulumi Cloud organization. */
    readonly organization: string;
    /** The main project (multicloud-patching). */
    readonly project: string;
    /** The main stack these settings belong to (dev, prod). */
    readonly stack: string;
    /** The stack's credential environment: ESC project, name and the rendered definition. */
    readonly esc: { readonly project: string; readonly name: string; readonly yaml: string };
    /** What Deployments clones: GitHub URL, branch (without refs/heads/) and `owner/repo`. */
    readonly repository: { readonly url: string; readonly branch: string; readonly gitHub: string };
    /**
     * Deployments' own triggers through the Pulumi GitHub app.
     * @default - none: no preview on pull requests, no deploy on push
     */
    readonly triggers?: { readonly previewPullRequests: boolean; readonly deployOnPush: boolean; readonly paths: readonly string[] };
    /** Non-secret variables for every operation. */
    readonly environmentVariables: Readonly<Record<string, string>>;
    /**
     * @default - Pulumi's default executor image
     */
    readonly executorImage?: string;
    /** Drift detection: 5-field cron (UTC) and whether a drift run may `pulumi up` to fix it. */
    readonly drift: { readonly schedule: string; readonly autoRemediate: boolean };
    /** Weekly (or other) `pulumi refresh`: 5-field cron (UTC). */
    readonly refreshSchedule: string;
    /**
     * Where drift and failed deployments are posted.
     * @default - no webhook; drift shows in Pulumi Cloud only
     */
    readonly webhook?: { readonly url: pulumi.Input<string>; readonly format: "slack" | "ms_teams" | "raw" };
    /**
     * The CI team of the stack's environment (deployment/ciAccess.ts): it alone gets `open` on the
     * stack's ESC environment and write on the stack, and every Deployments run of the stack uses
     * its token. `production` marks the prod team: its stacks may never preview pull requests.
     */
    readonly ciTeam: { readonly name: pulumi.Input<string>; readonly production: boolean; readonly deploymentsToken: pulumi.Input<string> };
}

/** Set by the component from `ciTeam`; an operator-supplied value would bypass the team split. */
export const ACCESS_TOKEN_VARIABLE = "PULUMI_ACCESS_TOKEN";

/** Refuses settings that would hand production credentials to pull-request code. */
export function validateStackDeploymentArgs(args: StackDeploymentArgs): void {
    if (args.ciTeam.production && args.triggers?.previewPullRequests === true) {
        throw new Error(
            `StackDeployment: stack ${args.stack} runs with the production team token, so previewPullRequests must be false; a pull-request preview runs the pull request's code with the stack's credentials (preview prod from deploy-prod.yml)`,
        );
    }
    if (ACCESS_TOKEN_VARIABLE in args.environmentVariables) {
        throw new Error(`StackDeployment: environmentVariables.${ACCESS_TOKEN_VARIABLE} is set by the component from the stack's CI team; remove it`);
    }
}

/** Install exactly the lockfile, as `.ci/run` does; Deployments' own install step is skipped for it. */
export const PRE_RUN_COMMANDS = ["npm ci --no-audit --no-fund"] as const;

/** Events worth a message: drift found, a drift or remediation run failing, a deployment failing. */
export const WEBHOOK_FILTERS = ["drift_detected", "drift_detection_failed", "drift_remediation_failed", "deployment_failed"] as const;

/**
 * Pulumi Deployments for one main stack, as code: its ESC credential environment, the deployment
 * settings (git source, install, variables, triggers), a drift detection schedule and a refresh
 * schedule, and optionally a webhook for drift. Cloud credentials come only from the ESC
 * environment the stack file imports, which only the stack's CI team may open; the one secret set
 * here is that team's token, so Deployments' runs can open it.
 */
export class StackDeployment extends pulumi.ComponentResource {
    /** `<escProject>/<name>`: what the main stack file imports. */
    public readonly escReference: string;
    public readonly settings: DeploymentSettings;
    public readonly driftSchedule: DriftSchedule;
    public readonly refreshSchedule: DeploymentSchedule;

    constructor(name: string, args: StackDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
        validateStackDeploymentArgs(args);
        super("patching:deployment:StackDeployment", name, {}, opts);
        const target = { organization: args.organization, project: args.project, stack: args.stack };
        this.escReference = `${args.esc.project}/${args.esc.name}`;

        const environment = new Environment(
            `${name}-esc`,
            { organization: args.organization, project: args.esc.project, name: args.esc.name, yaml: new pulumi.asset.StringAsset(args.esc.yaml) },
            { parent: this },
        );
        // With the organization's default environment permission at none, this grant is the only
        // way to open the stack's credentials (besides org admins).
        new TeamEnvironmentPermission(
            `${name}-esc-access`,
            { organization: args.organization, project: args.esc.project, environment: args.esc.name, team: args.ciTeam.name, permission: CI_ENVIRONMENT_PERMISSION },
            { parent: this, dependsOn: [environment] },
        );
        new TeamStackPermission(`${name}-stack-access`, { organization: args.organization, project: args.project, stack: args.stack, team: args.ciTeam.name, permission: CI_STACK_PERMISSION }, { parent: this });

        const triggers = args.triggers ?? { previewPullRequests: false, deployOnPush: false, paths: [] };
        this.settings = new DeploymentSettings(
            `${name}-settings`,
            {
                ...target,
                sourceContext: {
                    // repoDir is left out: the main Pulumi.yaml is at the repository root.
                    git: { repoUrl: args.repository.url, branch: `refs/heads/${args.repository.branch}` },
                },
                // The Pulumi GitHub app clones private repositories and reports on pull requests. The
                // provider defaults both triggers to true when this block exists, so both are explicit.
                vcs: {
                    provider: "github",
                    repository: args.repository.gitHub,
                    previewPullRequests: triggers.previewPullRequests,
                    deployCommits: triggers.deployOnPush,
                    pullRequestTemplate: false,
                    ...(triggers.deployOnPush || triggers.previewPullRequests ? { paths: [...triggers.paths] } : {}),
                },
                operationContext: {
                    // `npm ci` needs no cloud credentials, so it is not wrapped in `pulumi env run`:
                    // ESC values reach the Pulumi operation itself through the stack's `environment:`.
                    preRunCommands: [...PRE_RUN_COMMANDS],
                    environmentVariables: { ...args.environmentVariables, [ACCESS_TOKEN_VARIABLE]: pulumi.secret(args.ciTeam.deploymentsToken) },
                    options: {
                        skipInstallDependencies: true,
                        // Queued runs of the same kind collapse into the newest: only the latest commit
                        // matters, and two `up`s of one estate back to back gain nothing.
                        skipIntermediateDeployments: true,
                    },
                },
                ...(args.executorImage ? { executorContext: { executorImage: args.executorImage } } : {}),
            },
            // Settings that point at a missing credential environment would fail every run.
            { parent: this, dependsOn: [environment] },
        );

        // Schedules run deployments with the settings above; without them Pulumi Cloud rejects them.
        this.driftSchedule = new DriftSchedule(`${name}-drift`, { ...target, scheduleCron: args.drift.schedule, autoRemediate: args.drift.autoRemediate }, { parent: this, dependsOn: [this.settings] });
        this.refreshSchedule = new DeploymentSchedule(`${name}-refresh`, { ...target, pulumiOperation: "refresh", scheduleCron: args.refreshSchedule }, { parent: this, dependsOn: [this.settings] });

        if (args.webhook !== undefined) {
            new Webhook(
                `${name}-drift-webhook`,
                {
                    organizationName: args.organization,
                    projectName: args.project,
                    stackName: args.stack,
                    displayName: `${args.project}/${args.stack} drift and failed deployments`,
                    payloadUrl: pulumi.secret(args.webhook.url),
                    format: args.webhook.format,
                    filters: [...WEBHOOK_FILTERS],
                    active: true,
                },
                { parent: this },
            );
        }

        this.registerOutputs({ escReference: this.escReference, settings: this.settings.id });
    }
}
