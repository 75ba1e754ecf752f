/**
 * The stack's own configuration, as policies can read it: the Pulumi CLI starts a policy pack
 * with the stack config in PULUMI_CONFIG (the same variable a program gets; pulumi/pulumi#20570
 * tests that policy packs can read it), which `pulumi.runtime.allConfig()` parses; the offline
 * plan sets the same store before it runs the pack. Read leniently — the program's config
 * validation (stacks/config/estateConfig.ts) is the strict gate; the pack cannot import it, since `pulumi
 * policy publish` ships only this folder.
 */
import * as pulumi from "@pulumi/pulumi";

export const PROJECT = "multicloud-patching";

/** The documented defaults of the keys read here (Pulumi.yaml / stacks/config/schema.ts). */
export const ESTATE_DEFAULTS = {
    automationAdministrationRoleName: "AWS-SystemsManager-AutomationAdministrationRole",
    automationExecutionRoleName: "AWS-SystemsManager-AutomationExecutionRole",
    approveAfterDays: { dev: 0, prod: 7 },
    accountMember: true,
} as const;

export interface EstateAccount {
    readonly alias: string;
    readonly id: string;
    readonly regions: readonly string[];
    readonly member: boolean;
}

export interface EstatePatchGroup {
    readonly name: string;
    readonly operatingSystems: readonly string[];
    readonly approveAfterDays: { readonly dev: number; readonly prod: number };
    /** Member aliases the group is deployed to (all members unless configured). */
    readonly accounts: readonly string[];
}

/**
 * A rejected patch as the config writes it (patchGroups[].baselines.<OS>.rejectedPatches[]): a plain
 * id, or an exception `{id, reason, expires}` (issue 19: exceptions that expire).
 */
export interface EstatePatchException {
    readonly group: string;
    readonly os: string;
    readonly id: string;
    readonly reason?: string;
    /** ISO date YYYY-MM-DD: the last day the exception holds. */
    readonly expires?: string;
}

/**
 * A node left out of its patch group's installs (patchGroups[].excludedNodes[], issue 19): `{id,
 * reason, expires?}`; `expires` is required in prod by patch-exception-expired.
 */
export interface EstateExcludedNode {
    readonly group: string;
    readonly id: string;
    readonly reason?: string;
    /** ISO date YYYY-MM-DD: the last day the exclusion holds. */
    readonly expires?: string;
}

export interface Estate {
    readonly environment?: string;
    readonly centralAccount?: EstateAccount;
    readonly accounts: readonly EstateAccount[];
    readonly members: readonly EstateAccount[];
    readonly patchGroups: readonly EstatePatchGroup[];
    readonly patchExceptions: readonly EstatePatchException[];
    readonly excludedNodes: readonly EstateExcludedNode[];
    readonly administrationRoleName: string;
    readonly executionRoleName: string;
}

function value(config: Record<string, string>, key: string): unknown {
    const text = config[`${PROJECT}:${key}`];
    if (text === undefined) {
        return undefined;
    }
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

function records(raw: unknown): Record<string, unknown>[] {
    return Array.isArray(raw) ? raw.filter((item): item is Record<string, unknown> => item !== null && typeof item === "object") : [];
}

function textList(raw: unknown): string[] {
    return Array.isArray(raw) ? raw.filter((item): item is string => typeof item === "string") : [];
}

function text(raw: unknown, fallback: string): string {
    return typeof raw === "string" && raw !== "" ? raw : fallback;
}

/** Every rejected patch of every group and OS, plain ids included (without reason/expires). */
function patchExceptions(rawGroups: Record<string, unknown>[]): EstatePatchException[] {
    return rawGroups.flatMap((group) => {
        const baselines = (group["baselines"] ?? {}) as Record<string, unknown>;
        return Object.entries(typeof baselines === "object" && baselines !== null ? baselines : {}).flatMap(([os, options]) => {
            const rejected = (options as Record<string, unknown> | null)?.["rejectedPatches"];
            return (Array.isArray(rejected) ? rejected : []).flatMap((entry: unknown): EstatePatchException[] => {
                const base = { group: String(group["name"]), os };
                if (typeof entry === "string") return [{ ...base, id: entry }];
                if (entry === null || typeof entry !== "object") return [];
                const { id, reason, expires } = entry as Record<string, unknown>;
                return [{ ...base, id: String(id), ...(typeof reason === "string" ? { reason } : {}), ...(typeof expires === "string" ? { expires } : {}) }];
            });
        });
    });
}

/** Every excluded node of every group, as written (reason/expires only when they are strings). */
function excludedNodes(rawGroups: Record<string, unknown>[]): EstateExcludedNode[] {
    return rawGroups.flatMap((group) =>
        records(group["excludedNodes"]).map(({ id, reason, expires }) => ({
            group: String(group["name"]),
            id: String(id),
            ...(typeof reason === "string" ? { reason } : {}),
            ...(typeof expires === "string" ? { expires } : {}),
        })),
    );
}

/** The estate the stack config describes, or `undefined` when it names no accounts (another project). */
export function readEstate(config: Record<string, string> = pulumi.runtime.allConfig()): Estate | undefined {
    const accounts = records(value(config, "accounts")).map((account) => ({
        alias: String(account["alias"]),
        id: String(account["id"]),
        regions: textList(account["regions"]),
        member: typeof account["member"] === "boolean" ? account["member"] : ESTATE_DEFAULTS.accountMember,
    }));
    if (accounts.length === 0) {
        return undefined;
    }
    const members = accounts.filter((account) => account.member);
    const rawGroups = records(value(config, "patchGroups"));
    const patchGroups = rawGroups.map((group) => {
        const days = (group["approveAfterDays"] ?? {}) as Record<string, unknown>;
        return {
            name: String(group["name"]),
            operatingSystems: textList(group["operatingSystems"]),
            approveAfterDays: {
                dev: typeof days["dev"] === "number" ? days["dev"] : ESTATE_DEFAULTS.approveAfterDays.dev,
                prod: typeof days["prod"] === "number" ? days["prod"] : ESTATE_DEFAULTS.approveAfterDays.prod,
            },
            // A group that runs in organizational units has no configured accounts (organization mode).
            accounts: Array.isArray(group["accounts"]) ? textList(group["accounts"]) : Array.isArray(group["organizationalUnits"]) ? [] : members.map((account) => account.alias),
        };
    });
    const environment = value(config, "environment");
    const central = value(config, "centralAccount");
    return {
        ...(typeof environment === "string" ? { environment } : {}),
        ...(typeof central === "string" ? { centralAccount: accounts.find((account) => account.alias === central) } : {}),
        accounts,
        members,
        patchGroups,
        patchExceptions: patchExceptions(rawGroups),
        excludedNodes: excludedNodes(rawGroups),
        administrationRoleName: text(value(config, "automationAdministrationRoleName"), ESTATE_DEFAULTS.automationAdministrationRoleName),
        executionRoleName: text(value(config, "automationExecutionRoleName"), ESTATE_DEFAULTS.automationExecutionRoleName),
    };
}
