import * as pulumi from "@pulumi/pulumi";
import { crossCheck } from "./crossChecks";
import { hybridHome, resolveAzureAutoRegistration } from "./crossChecksAzure";
import { groupOrganizationTargets, organizationIdOf } from "./crossChecksOrganization";
import { resolveBlackouts, resolveInstall, resolveRollout } from "./crossChecksRollout";
import { ConfigError, problemsFromIssues } from "./errors";
import { unknownNamespaceProblems, type ProviderCheck } from "./configNamespaces";
import { estateConfigSchema, STRUCTURED_CONFIG_KEYS, type ParsedEstateConfig } from "./schema";
import { standardTags, type AwsAccount, type Estate, type PatchGroup } from "./estateModel";
import type { OperatingSystem } from "../../catalog/operatingSystems";

export { ConfigError } from "./errors";

/**
 * Reads this stack's configuration once and returns the validated, frozen estate. The only
 * function in the program that touches `pulumi.Config`.
 */
export function loadEstateConfig(): Estate {
    return estateFromConfigValues(pulumi.runtime.allConfig(), { project: new pulumi.Config().name, stack: pulumi.getStack() });
}

/**
 * The estate from fully qualified configuration (`project:key` → text), as the engine hands it to
 * the program and as tools/mock/stackConfig.ts reads a stack file offline (the plan, the ops CLI).
 * A key in a namespace nobody reads (a misspelled project name) is reported with the other problems.
 */
export function estateFromConfigValues(values: Readonly<Record<string, string>>, context: { project: string; stack: string }, isProvider: ProviderCheck = isInstalledProvider): Estate {
    const problems = unknownNamespaceProblems(Object.keys(values), context.project, isProvider);
    try {
        const estate = parseEstateConfig(projectValues(values, context.project), context);
        if (problems.length === 0) {
            return estate;
        }
    } catch (error) {
        if (!(error instanceof ConfigError)) {
            throw error;
        }
        problems.push(...error.problems);
    }
    throw new ConfigError(problems);
}

/** The project's own keys, without the prefix, decoded. */
function projectValues(values: Readonly<Record<string, string>>, project: string): Record<string, unknown> {
    const prefix = `${project}:`;
    const raw: Record<string, unknown> = {};
    for (const [fullKey, value] of Object.entries(values)) {
        if (fullKey.startsWith(prefix)) {
            const key = fullKey.slice(prefix.length);
            raw[key] = decodeValue(key, value);
        }
    }
    return raw;
}

/** A provider package the program could load (`@pulumi/<namespace>`), beyond the listed ones. */
function isInstalledProvider(namespace: string): boolean {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(namespace)) {
        return false;
    }
    try {
        require.resolve(`@pulumi/${namespace}`);
        return true;
    } catch {
        return false;
    }
}

/**
 * Structured values reach the program as JSON text; scalars stay strings. An empty scalar means
 * "not set": Pulumi.yaml declares optional keys with a default, and `""` is the default of the
 * optional ones that have no natural value (organizationId).
 */
function decodeValue(key: string, value: string): unknown {
    if (!(STRUCTURED_CONFIG_KEYS as readonly string[]).includes(key)) {
        return value === "" ? undefined : value;
    }
    try {
        return JSON.parse(value);
    } catch {
        throw new ConfigError([{ path: key, value, message: "is not a structured value (write it as YAML mapping/list in Pulumi.<stack>.yaml)" }]);
    }
}

/**
 * Validates raw configuration (keys without the project prefix) and resolves it into an
 * {@link Estate}. Throws one {@link ConfigError} listing every bad value, one line each.
 */
export function parseEstateConfig(raw: unknown, context: { project: string; stack: string }): Estate {
    const parsed = estateConfigSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) {
        throw new ConfigError(problemsFromIssues(parsed.error.issues));
    }
    const problems = crossCheck(parsed.data);
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return deepFreeze(resolveEstate(parsed.data, context));
}

function resolveEstate(config: ParsedEstateConfig, context: { project: string; stack: string }): Estate {
    const accounts: AwsAccount[] = config.accounts.map((account) => ({
        alias: account.alias,
        id: account.id,
        deploymentRoleArn: account.deploymentRoleArn ?? `arn:aws:iam::${account.id}:role/${config.deploymentRoleName}`,
        regions: account.regions,
        member: account.member,
    }));
    const members = accounts.filter((account) => account.member);
    const central = accounts.find((account) => account.alias === config.centralAccount);
    if (central === undefined) {
        // crossCheck has already rejected this; kept so the type system agrees.
        throw new ConfigError([{ path: "centralAccount", value: config.centralAccount, message: "is not an alias from accounts" }]);
    }
    return {
        project: context.project,
        stack: context.stack,
        environment: config.environment,
        ...resolveOrganization(config),
        central: { account: central, region: config.centralRegion },
        accounts,
        members,
        patchGroups: config.patchGroups.map((group) => ({
            name: group.name,
            operatingSystems: group.operatingSystems,
            approveAfterDays: group.approveAfterDays,
            // A group that targets organizational units has no configured accounts.
            accounts: group.accounts ?? (group.organizationalUnits !== undefined ? [] : members.map((member) => member.alias)),
            scan: group.scan,
            install: resolveInstall(group),
            rateControl: group.rateControl,
            installRunbook: group.installRunbook,
            rebootOption: group.rebootOption,
            baselines: baselinesOf(group),
            ...(config.organization === undefined ? {} : { organizationTargets: groupOrganizationTargets(config, group) }),
            ...rolloutOf(config, group),
            ...(group.snapshotBeforeInstall === undefined ? {} : { snapshotBeforeInstall: group.snapshotBeforeInstall }),
            ...(group.hooks === undefined ? {} : { hooks: group.hooks }),
            ...(group.excludedNodes === undefined || group.excludedNodes.length === 0 ? {} : { excludedNodes: group.excludedNodes }),
            ...rejectedExceptionsOf(group),
        })),
        blackouts: resolveBlackouts(config),
        azureSubscriptions: config.azureSubscriptions,
        patchGroupTagKey: config.patchGroupTagKey,
        automationAdministrationRoleName: config.automationAdministrationRoleName,
        automationExecutionRoleName: config.automationExecutionRoleName,
        logStorage: config.logStorage,
        scheduleRetry: config.scheduleRetry,
        notifications: config.notifications,
        // The replaced keys (remediationOperation, remediationMaxAttempts) were refused by the schema.
        compliance: { configRecorder: config.compliance.configRecorder, ...(config.compliance.remediation === undefined ? {} : { remediation: config.compliance.remediation }), sla: config.compliance.sla },
        reporting: config.reporting,
        enforcer: config.enforcer,
        logAccess: {
            enforcerAttach: config.logAccess.enforcerAttach,
            // crossCheck has required member accounts and their Regions.
            defaultHostManagement: config.logAccess.defaultHostManagement.map((entry) => ({
                account: entry.account,
                regions: entry.regions ?? accounts.find((a) => a.alias === entry.account)?.regions ?? [],
            })),
        },
        hybrid: resolveHybrid(config, accounts),
        ...resolveAzureAutoRegistration(config),
        azureTags: {
            ownerTagKey: config.azureTags.ownerTagKey,
            // crossCheck has required one of the two when Azure VMs are configured.
            owner: config.azureTags.owner ?? config.tags[config.azureTags.ownerTagKey] ?? "",
            environmentTagKey: config.azureTags.environmentTagKey,
        },
        inventory: config.inventory,
        ebsKmsKeyArns: config.ebsKmsKeyArns,
        privateConnectivity: config.privateConnectivity.map((entry) => ({
            account: entry.account,
            region: entry.region,
            network: entry.newVpc !== undefined ? { kind: "new" as const, ...entry.newVpc } : { kind: "existing" as const, ...requireExisting(entry.existingVpc) },
            optionalEndpoints: entry.optionalEndpoints,
        })),
        standardTags: { ...config.tags, ...standardTags(context.project, context.stack, config.environment) },
    };
}

/** `rollout` only for a group that uses a safety setting: every other group resolves exactly as before. */
/**
 * The baselines as the components take them: a rejected-patch exception `{id, reason, expires}`
 * becomes its id (reason and expiry are for the policy pack, which reads them from the config).
 */
function baselinesOf(group: ParsedEstateConfig["patchGroups"][number]): PatchGroup["baselines"] {
    return Object.fromEntries(
        Object.entries(group.baselines).map(([os, options]) => [
            os,
            options?.rejectedPatches === undefined ? options : { ...options, rejectedPatches: options.rejectedPatches.map((entry) => (typeof entry === "string" ? entry : entry.id)) },
        ]),
    ) as PatchGroup["baselines"];
}

/** Issue 19: the rejected patches written as exceptions, for the digest's export (stacks/exceptions.ts); none: nothing. */
function rejectedExceptionsOf(group: ParsedEstateConfig["patchGroups"][number]): Pick<PatchGroup, "rejectedPatchExceptions"> {
    const exceptions = Object.entries(group.baselines).flatMap(([os, options]) =>
        (options?.rejectedPatches ?? []).flatMap((entry) => (typeof entry === "string" ? [] : [{ os: os as OperatingSystem, id: entry.id, reason: entry.reason, expires: entry.expires }])),
    );
    return exceptions.length === 0 ? {} : { rejectedPatchExceptions: exceptions };
}

function rolloutOf(config: ParsedEstateConfig, group: ParsedEstateConfig["patchGroups"][number]): Pick<PatchGroup, "rollout"> {
    const rollout = resolveRollout(config, group);
    return rollout === undefined ? {} : { rollout };
}

/** The organization id (one source of truth) and, when configured, the organization block. */
function resolveOrganization(config: ParsedEstateConfig): Pick<Estate, "organizationId" | "organization"> {
    const id = organizationIdOf(config);
    if (id === undefined) {
        return {};
    }
    const organization = config.organization;
    if (organization === undefined) {
        return { organizationId: id };
    }
    return {
        organizationId: id,
        organization: {
            id,
            callAs: organization.callAs,
            targets: organization.targets.map((t) => ({ organizationalUnits: t.organizationalUnits, regions: t.regions, excludeAccounts: t.excludeAccounts })),
            operationPreferences: organization.operationPreferences,
        },
    };
}

function resolveHybrid(config: ParsedEstateConfig, accounts: AwsAccount[]): Estate["hybrid"] {
    const home = hybridHome(config);
    const account = accounts.find((a) => a.alias === home.account) ?? accounts[0];
    return {
        account,
        region: home.region,
        ...(config.hybrid.registrationLimit === undefined ? {} : { registrationLimit: config.hybrid.registrationLimit }),
        rotationDays: config.hybrid.rotationDays,
    };
}

function requireExisting<T>(value: T | undefined): T {
    if (value === undefined) {
        // crossCheck has already required exactly one of newVpc / existingVpc.
        throw new Error("privateConnectivity entry without a VPC");
    }
    return value;
}

function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const child of Object.values(value)) {
            deepFreeze(child);
        }
    }
    return value;
}
