import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/**
 * What the deployment program reads from the repository besides its own config: the main
 * project's Pulumi.yaml and Pulumi.<stack>.yaml (which accounts each stack deploys to, under which
 * role names, and which ESC environments it imports), the policy pack's per-environment config
 * files and the ESC template. One source of truth: the estate is configured once, in the main
 * stack files, and the IAM bootstrap follows it.
 */

/** One AWS account of a main stack, as its stack file lists it. */
export interface EstateAccount {
    readonly alias: string;
    readonly id: string;
    readonly deploymentRoleArn?: string;
}

/** The parts of a main stack file the deployment program depends on. */
export interface EstateFile {
    readonly file: string;
    /** `multicloud-patching:environment` (dev | prod): picks the policy config. */
    readonly environment?: string;
    /** ESC environments the stack imports (`environment:` in the stack file). */
    readonly imports: readonly string[];
    readonly accounts: readonly EstateAccount[];
    /** `deploymentRoleName`, or the main Pulumi.yaml default. */
    readonly deploymentRoleName: string;
    /** Automation administration/execution role names (the deployer may manage these roles). */
    readonly automationRoleNames: readonly string[];
    /** Tenant id of every configured Azure subscription. */
    readonly azureTenantIds: readonly string[];
    /** The stack file has an `organization` block (organization mode, issue 16). */
    readonly organizationMode?: boolean;
    /**
     * The stack file sets `reporting.quickSight.enabled: true` (the QuickSight dashboard, issue 19
     * item 3): the id of its `centralAccount`, where the dashboard is built (stacks/awsReporting.ts).
     */
    readonly quickSightDashboardAccountId?: string;
}

export interface PolicyConfigFile {
    readonly file: string;
    /** The parsed JSON; undefined when the file does not exist. */
    readonly values?: Record<string, unknown>;
}

/** Access to the repository's files; tests substitute single methods. */
export interface ProjectFiles {
    readonly rootDir: string;
    mainProjectName(): string;
    /** undefined when Pulumi.<stack>.yaml does not exist. */
    estate(project: string, stack: string): EstateFile | undefined;
    policyConfig(directory: string, environment: string): PolicyConfigFile;
    escTemplate(): string;
}

export const ESC_TEMPLATE_FILE = "deployment/esc/aws-azure-oidc.yaml";

/** The repository root: deployment/ sits directly below it. */
export const REPOSITORY_ROOT = path.resolve(__dirname, "..");

export function projectFilesAt(rootDir: string = REPOSITORY_ROOT): ProjectFiles {
    const mainProject = () => (parse(readFileSync(path.join(rootDir, "Pulumi.yaml"), "utf8")) ?? {}) as { name?: string; config?: Record<string, unknown> };
    return {
        rootDir,
        mainProjectName: () => String(mainProject().name ?? ""),
        estate: (project, stack) => {
            const file = path.join(rootDir, `Pulumi.${stack}.yaml`);
            return existsSync(file) ? estateFromDocuments(path.relative(rootDir, file), project, mainProject().config ?? {}, parse(readFileSync(file, "utf8")) ?? {}) : undefined;
        },
        policyConfig: (directory, environment) => {
            const relative = path.join(directory, `config.${environment}.json`);
            const file = path.join(rootDir, relative);
            return existsSync(file) ? { file: relative, values: JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown> } : { file: relative };
        },
        escTemplate: () => readFileSync(path.join(rootDir, ESC_TEMPLATE_FILE), "utf8"),
    };
}

/**
 * Reads a main stack file the way the Pulumi CLI resolves it: keys with or without the project
 * prefix, and the project's declared defaults for keys the stack leaves out.
 */
function autoRegisterTenant(azure: unknown): string[] {
    const keyVault = isMapping(azure) && isMapping(azure["autoRegister"]) ? azure["autoRegister"]["keyVault"] : undefined;
    return isMapping(keyVault) && typeof keyVault["tenantId"] === "string" ? [keyVault["tenantId"]] : [];
}

export function estateFromDocuments(file: string, project: string, declarations: Record<string, unknown>, stackDocument: Record<string, unknown>): EstateFile {
    const config = (stackDocument["config"] ?? {}) as Record<string, unknown>;
    const value = (key: string): unknown => config[`${project}:${key}`] ?? config[key] ?? declaredDefault(declarations[key]);
    const accounts = Array.isArray(value("accounts")) ? (value("accounts") as Record<string, unknown>[]) : [];
    const subscriptions = Array.isArray(value("azureSubscriptions")) ? (value("azureSubscriptions") as Record<string, unknown>[]) : [];
    return {
        file,
        ...(typeof value("environment") === "string" ? { environment: value("environment") as string } : {}),
        imports: environmentImports(stackDocument["environment"]),
        accounts: accounts.map((account) => ({
            alias: String(account["alias"]),
            id: String(account["id"]),
            ...(typeof account["deploymentRoleArn"] === "string" ? { deploymentRoleArn: account["deploymentRoleArn"] } : {}),
        })),
        deploymentRoleName: String(value("deploymentRoleName") ?? ""),
        automationRoleNames: ["automationAdministrationRoleName", "automationExecutionRoleName"].map((key) => value(key)).filter((name): name is string => typeof name === "string" && name !== ""),
        // Auto-registration's scopes all sit in the vault's tenant (the config refuses others).
        azureTenantIds: [...new Set([...subscriptions.map((subscription) => String(subscription["tenantId"])), ...autoRegisterTenant(value("azure"))])],
        ...(isMapping(value("organization")) ? { organizationMode: true } : {}),
        ...quickSightDashboardAccount(value("reporting"), value("centralAccount"), accounts),
    };
}

/** `reporting.quickSight.enabled: true` (the main config's schema: a boolean, default false): the central account's id. */
function quickSightDashboardAccount(reporting: unknown, centralAccount: unknown, accounts: readonly Record<string, unknown>[]): { quickSightDashboardAccountId?: string } {
    const enabled = isMapping(reporting) && isMapping(reporting["quickSight"]) && reporting["quickSight"]["enabled"] === true;
    const central = accounts.find((account) => account["alias"] === centralAccount);
    return enabled && central !== undefined ? { quickSightDashboardAccountId: String(central["id"]) } : {};
}

function isMapping(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

function declaredDefault(declaration: unknown): unknown {
    return declaration !== null && typeof declaration === "object" ? (declaration as Record<string, unknown>)["default"] : declaration;
}

/** `environment:` is a list of `<project>/<env>` references, or an inline definition with `imports:`. */
function environmentImports(environment: unknown): string[] {
    if (Array.isArray(environment)) {
        return environment.map(String);
    }
    if (environment !== null && typeof environment === "object" && Array.isArray((environment as Record<string, unknown>)["imports"])) {
        return ((environment as Record<string, unknown>)["imports"] as unknown[]).map(String);
    }
    return [];
}
