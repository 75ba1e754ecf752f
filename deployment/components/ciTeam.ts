import * as pulumi from "@pulumi/pulumi";
import { Team } from "@pulumi/pulumiservice/team";
import { TeamAccessToken } from "@pulumi/pulumiservice/teamAccessToken";

export interface CiTeamArgs {
    readonly organization: string;
    /** The team's name (its slug: what `scope: team:<name>` and the OIDC policies name). */
    readonly teamName: string;
    /** Which environment's stacks the team runs (for the description). */
    readonly environment: string;
}

/**
 * A Pulumi Cloud team with no human members that CI acts as for one environment: GitHub Actions
 * gets short-lived tokens of it through OIDC, and Pulumi Deployments runs with a team access token
 * of it (PULUMI_ACCESS_TOKEN in the stack's deployment settings), because a Deployments run
 * started by a push, pull request or schedule otherwise uses a stack token that can open only
 * what the organization's default environment permission allows — nothing, once that is none
 * (https://www.pulumi.com/docs/deployments/operations/permissions/). Rotate the token with
 * `pulumi up --replace <its urn>`.
 */
export class CiTeam extends pulumi.ComponentResource {
    public readonly teamName: pulumi.Output<string>;
    /** The Deployments token (secret). */
    public readonly deploymentsToken: pulumi.Output<string>;
    public readonly token: TeamAccessToken;

    constructor(name: string, args: CiTeamArgs, opts?: pulumi.ComponentResourceOptions) {
        super("patching:deployment:CiTeam", name, {}, opts);
        const team = new Team(
            `${name}-team`,
            {
                organizationName: args.organization,
                teamType: "pulumi",
                name: args.teamName,
                displayName: args.teamName,
                description: `CI of the ${args.environment} stacks (no human members): opens only the ${args.environment} ESC environments`,
                members: [],
            },
            { parent: this },
        );
        this.token = new TeamAccessToken(
            `${name}-deployments-token`,
            { organizationName: args.organization, teamName: team.name.apply((teamName) => teamName ?? args.teamName), name: `${args.teamName}-deployments`, description: `Pulumi Deployments runs of the ${args.environment} stacks` },
            // Token names are unique in the organization: the old token goes before its replacement.
            { parent: this, additionalSecretOutputs: ["value"], deleteBeforeReplace: true },
        );
        this.teamName = team.name.apply((teamName) => teamName ?? args.teamName);
        this.deploymentsToken = pulumi.secret(this.token.value);
        this.registerOutputs({ teamName: this.teamName });
    }
}
