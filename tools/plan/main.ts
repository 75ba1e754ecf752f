/**
 * `npm run plan -- --stack <name>`: evaluates the real program offline under Pulumi's mock
 * runtime with Pulumi.<name>.yaml, prints what lands in every account/Region/subscription, runs
 * the CrossGuard pack (policies/) over it and writes the whole plan as JSON. Exit codes: 0 ok,
 * 1 the program or its config failed or a mandatory policy is violated, 2 usage.
 */
import "./prelude";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { availableStacks, evaluateProgram, UsageError, type Evaluation } from "./evaluate";
import { checkPolicies, mandatoryCount, policyConfigFile, renderPolicyReport, type PolicyReport } from "./policyReport";
import { interfaceEndpointAzHours, renderEndpointAzHours, renderTable, summarise } from "./report";
import { resolveScopes } from "./scopes";
import { engineCost, renderEngineCost } from "./engineCost";
import { organizationPlan, renderOrganization } from "./organization";
import { renderRollout, stackRollout } from "./rollout";
import { renderAzureRegistration, stackAzureRegistration } from "./azure";
import { topologyDot, topologyFile, topologyMermaid } from "./topology";
import { topologyModel } from "./topologyModel";
import { writeTopologySvg } from "./topologySvg";
import { DEFAULT_COLUMNS, terminalColumns, useColor } from "./terminal";

const USAGE = `usage: npm run plan -- --stack <name> [--out <file>] [--policy-config <file>] [--preview] [--quiet] [--wide]

  --stack <name>            stack to evaluate (its Pulumi.<name>.yaml is read)
  --out <file>              where to write the JSON plan (default: .plan/<stack>.json);
                            the topology picture goes next to it: <file>.svg (Graphviz) and
                            <file>.mmd (Mermaid)
  --policy-config <file>    policy pack config for the CrossGuard pack in policies/
                            (default: policies/config.<environment>.json, by the stack's environment)
  --preview                 evaluate as \`pulumi preview\` would (dry run)
  --quiet                   print only the totals line (and policy violations, if any)
  --wide                    print the tables unabridged, however wide (default: fitted to the
                            terminal's width, ${DEFAULT_COLUMNS} columns when not a terminal; the JSON has it all)
  --help                    this text`;

interface Arguments {
    readonly stack: string;
    readonly out: string;
    readonly policyConfig?: string;
    readonly preview: boolean;
    readonly quiet: boolean;
    readonly wide: boolean;
}

function parseArguments(argv: string[], directory: string): Arguments | "help" {
    let values;
    try {
        ({ values } = parseArgs({
            args: argv,
            options: {
                stack: { type: "string", short: "s" },
                out: { type: "string", short: "o" },
                "policy-config": { type: "string" },
                preview: { type: "boolean", default: false },
                quiet: { type: "boolean", short: "q", default: false },
                wide: { type: "boolean", default: false },
                help: { type: "boolean", short: "h", default: false },
            },
            strict: true,
            allowPositionals: false,
        }));
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
    if (values.help) {
        return "help";
    }
    if (values.stack === undefined || values.stack === "") {
        throw new UsageError(`--stack is required (stacks here: ${availableStacks(directory).join(", ")})`);
    }
    return {
        stack: values.stack,
        out: values.out ?? path.join(".plan", `${values.stack}.json`),
        ...(values["policy-config"] === undefined ? {} : { policyConfig: values["policy-config"] }),
        preview: values.preview,
        quiet: values.quiet,
        wide: values.wide,
    };
}

export function planDocument(evaluation: Evaluation, policies?: PolicyReport) {
    const scopes = resolveScopes(evaluation.recorder);
    const rows = summarise(evaluation.recorder.resources, scopes);
    const resources = evaluation.recorder.resources;
    const organization = organizationPlan(resources);
    // Safe rollout (issue 17): per gated group; the estate is read from the working directory, as main does.
    const rollout = stackRollout(process.cwd(), evaluation.stack, resources);
    // Azure automatic registration (issue 18): per scope and patch group, from the same estate.
    const azureRegistration = stackAzureRegistration(process.cwd(), evaluation.stack);
    return {
        rows,
        scopes,
        document: {
            project: evaluation.project,
            stack: evaluation.stack,
            totals: { resources: resources.filter((r) => r.custom).length, components: resources.filter((r) => !r.custom).length, scopes: rows.length },
            scopes: rows.map((row) => ({ ...row.scope, resources: row.resources, components: row.components, byType: Object.fromEntries(row.byType) })),
            resources: resources.map((r) => ({
                type: r.type,
                name: r.name,
                urn: r.urn,
                custom: r.custom,
                parent: r.parent ?? null,
                provider: r.provider ?? null,
                scope: scopes.get(r.urn)?.key ?? "estate",
                inputs: r.inputs,
            })),
            outputs: evaluation.outputs,
            // Provider processes the real engine starts and their estimated memory (issue 16).
            engine: engineCost(resources),
            // Organization mode (issue 16): StackSets, their instances per (OU set, Region), template sizes.
            ...(organization === undefined ? {} : { organization }),
            ...(rollout === undefined ? {} : { rollout }),
            ...(azureRegistration === undefined ? {} : { azureRegistration }),
            ...(policies === undefined ? {} : { policies }),
        },
    };
}

async function main(): Promise<number> {
    const directory = process.cwd();
    const args = parseArguments(process.argv.slice(2), directory);
    if (args === "help") {
        console.log(USAGE);
        return 0;
    }
    const program = path.join(__dirname, "..", "..", "index.js");
    // An explicit --policy-config is checked before the evaluation; the default needs the stack's environment.
    const explicitPolicyConfig = args.policyConfig === undefined ? undefined : policyConfigFile(directory, args.stack, args.policyConfig);
    const evaluation = await evaluateProgram({ directory, stack: args.stack, program, preview: args.preview });
    const policyConfig = explicitPolicyConfig ?? policyConfigFile(directory, args.stack, undefined);
    const scopes = resolveScopes(evaluation.recorder);
    const policies = await checkPolicies(evaluation.recorder, scopes, policyConfig);
    const { rows, document } = planDocument(evaluation, policies);
    mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
    writeFileSync(args.out, `${JSON.stringify(document, null, 2)}\n`);
    const topology = topologyModel(evaluation.recorder.resources, scopes, document.azureRegistration);
    writeFileSync(topologyFile(args.out, "mmd"), topologyMermaid(topology));
    const picture = topologyFile(args.out, "svg");
    await writeTopologySvg(picture, topologyDot(topology));
    const color = useColor();
    const layout = { columns: terminalColumns(), wide: args.wide };
    if (!args.quiet) {
        console.log(`Plan for stack ${args.stack}${args.preview ? " (preview)" : ""} — evaluated offline under Pulumi's mock runtime`);
        console.log(renderTable(rows, color, layout));
        const endpoints = interfaceEndpointAzHours(evaluation.recorder.resources, scopes);
        if (endpoints.length > 0) {
            console.log("Interface endpoint AZ-hours per Region");
            console.log(renderEndpointAzHours(endpoints, color, layout));
        }
        if (document.organization !== undefined) {
            console.log("Organization mode: StackSets and their instances per (organizational units, Region)");
            console.log(renderOrganization(document.organization, color, layout));
        }
        if (document.rollout !== undefined) {
            console.log("Safe rollout: gated patch groups in ring order (README \"Safe rollout\")");
            console.log(renderRollout(document.rollout, color, layout));
        }
        if (document.azureRegistration !== undefined) {
            console.log("Azure automatic registration: policy assignments per scope and patch group (README \"Azure at scale\")");
            console.log(renderAzureRegistration(document.azureRegistration, color, layout));
        }
    }
    if (!args.quiet) {
        console.log(renderEngineCost(document.engine));
    }
    if (document.engine.warning !== undefined) {
        // A warning, not a failure: the exit code stays as the policies decide.
        console.log(document.engine.warning);
    }
    if (!args.quiet || policies.violations.length > 0) {
        console.log(renderPolicyReport(policies));
    }
    if (!args.quiet && evaluation.secretPaths.length > 0) {
        // Offline there is no key: encrypted values were validated by shape only and stay secret in the plan.
        console.log(`Secrets (encrypted in Pulumi.${args.stack}.yaml, offline placeholders, kept secret): ${evaluation.secretPaths.join(", ")}`);
    }
    const { resources, components } = document.totals;
    const perResource = resources + components === 0 ? 0 : evaluation.durationMs / (resources + components);
    console.log(
        `${args.stack}: ${resources} resources and ${components} components in ${rows.length} scopes; ` +
            `evaluated in ${evaluation.durationMs.toFixed(0)} ms (${perResource.toFixed(2)} ms per registration); plan written to ${args.out}, topology to ${picture}`,
    );
    const mandatory = mandatoryCount(policies);
    if (mandatory > 0) {
        console.error(`plan: ${mandatory} mandatory policy violation(s) (${policies.config})`);
        return 1;
    }
    return 0;
}

/** Config errors and other program failures print their message only — no stack trace. */
function report(error: unknown, stack: string | undefined): number {
    if (error instanceof UsageError) {
        console.error(`plan: ${error.message}\n\n${USAGE}`);
        return 2;
    }
    const named = error as { name?: string; message?: string; stack?: string };
    if (named?.name === "StackFileError") {
        // Already names the file first (tools/mock/stackConfig.ts).
        console.error(`plan: ${named.message}`);
        return 1;
    }
    if (named?.name === "PolicyConfigError") {
        console.error(`plan: policy config: ${named.message}`);
        return 1;
    }
    if (named?.name === "ConfigError" || named?.name === "RunError") {
        const source = stack === undefined ? "stack configuration" : `Pulumi.${stack}.yaml`;
        for (const line of (named.message ?? String(error)).split("\n")) {
            console.error(`plan: ${source}: ${line}`);
        }
        return 1;
    }
    const where = named?.stack?.split("\n").find((line) => line.includes(" at ") && !line.includes("node_modules"));
    console.error(`plan: the program failed: ${named?.message ?? String(error)}${where ? `\n  ${where.trim()}` : ""}`);
    return 1;
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => process.exit(report(error, stackArgument(process.argv.slice(2)))),
);

function stackArgument(argv: string[]): string | undefined {
    const at = argv.findIndex((arg) => arg === "--stack" || arg === "-s");
    return at >= 0 ? argv[at + 1] : argv.find((arg) => arg.startsWith("--stack="))?.slice("--stack=".length);
}
