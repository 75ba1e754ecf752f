import * as pulumi from "@pulumi/pulumi";
import { PolicyGroup } from "@pulumi/pulumiservice/policyGroup";
import { PolicyPack } from "@pulumi/pulumiservice/policyPack";

export interface PolicyEnforcementArgs {
    readonly organization: string;
    /** The main project: the routing project of every stack reference. */
    readonly project: string;
    /** The CrossGuard pack: its name (as policies/index.ts constructs it) and the version to enforce. */
    readonly pack: {
        readonly name: string;
        readonly versionTag: string;
        /**
         * Publish the pack from this directory (relative to the program's working directory).
         * @default - not published here: `pulumi policy publish` must have published versionTag
         */
        readonly sourcePath?: string;
    };
    /** One group per environment: its stacks and the pack config (policies/config.<env>.json). */
    readonly groups: readonly { readonly environment: string; readonly stacks: readonly string[]; readonly config: Record<string, unknown> }[];
}

/** Preventative: a mandatory violation stops the preview/update (audit would only report it). */
export const POLICY_GROUP_MODE = "preventative";

export function policyGroupName(project: string, environment: string): string {
    return `${project}-${environment}`;
}

/**
 * Server-side enforcement of the project's CrossGuard pack: optionally publishes a version of it,
 * and puts each environment's stacks in a preventative policy group with that environment's
 * enforcement config — so every `pulumi preview`/`up` of those stacks runs the pack, from a
 * laptop, GitHub Actions or Deployments alike.
 */
export class PolicyEnforcement extends pulumi.ComponentResource {
    public readonly groups: readonly PolicyGroup[];

    constructor(name: string, args: PolicyEnforcementArgs, opts?: pulumi.ComponentResourceOptions) {
        super("patching:deployment:PolicyEnforcement", name, {}, opts);
        const pack =
            args.pack.sourcePath === undefined
                ? undefined
                : new PolicyPack(`${name}-pack`, { organization: args.organization, name: args.pack.name, versionTag: args.pack.versionTag, sourcePath: args.pack.sourcePath }, { parent: this });

        this.groups = args.groups.map(
            (group) =>
                new PolicyGroup(
                    `${name}-${group.environment}`,
                    {
                        organizationName: args.organization,
                        name: policyGroupName(args.project, group.environment),
                        entityType: "stacks",
                        mode: POLICY_GROUP_MODE,
                        policyPacks: [{ name: args.pack.name, versionTag: args.pack.versionTag, config: group.config }],
                        stacks: [...group.stacks].sort().map((stack) => ({ name: stack, routingProject: args.project })),
                    },
                    // A group naming an unpublished version is rejected.
                    { parent: this, dependsOn: pack === undefined ? [] : [pack] },
                ),
        );
        this.registerOutputs({ groups: this.groups.map((group) => group.name) });
    }
}
