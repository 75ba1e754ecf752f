import { Command, CommanderError, Help, InvalidArgumentError, Option } from "commander";
import type { OpsDeps } from "./clients";
import type { ComplianceFormat } from "./compliance";
import { UsageError } from "./errors";
import { checkProfile } from "./profiles";

/**
 * `npm run ops -- <command>`: day-2 operations against the estate of a stack. Exit codes: 0 ok,
 * 1 the run or a call failed (a location failed, an AWS error), 2 bad arguments or configuration
 * (nothing was started). Command modules load on use: `--help` stays quick, and only
 * `compliance` pays for the Pulumi AWS types its SQL builders live beside.
 */

const COMPLIANCE_FORMATS: ComplianceFormat[] = ["table", "csv", "json"];

const list = (value: string): string[] => {
    const items = value.split(",").map((item) => item.trim());
    if (items.some((item) => item === "")) {
        throw new InvalidArgumentError(`"${value}" has an empty entry; separate values with single commas`);
    }
    return items;
};

const positiveInteger = (value: string): number => {
    if (!/^[1-9]\d*$/.test(value)) {
        throw new InvalidArgumentError(`"${value}" is not a whole number of seconds (1 or more)`);
    }
    return Number(value);
};

const profileOption = () => new Option("--profile <name>", "AWS profile of ~/.aws/config (it may assume a role via role_arn); default: the SDK's default credential chain");

function program(deps: OpsDeps, done: (code: number) => void): Command {
    const ops = new Command("ops")
        .description("Operate the patching estate: on-demand patch runs, run status, compliance reports.")
        .addHelpText("after", "\nExit codes: 0 ok; 1 a run location or an AWS call failed; 2 bad arguments or stack configuration.")
        .exitOverride()
        .configureOutput({ writeOut: (text) => deps.stdout.write(text), writeErr: (text) => deps.stderr.write(text) })
        .showSuggestionAfterError()
        .allowExcessArguments(false)
        // Mandatory options say so in --help (Commander lists them like the optional ones).
        .configureHelp({ optionDescription: (option) => `${option.mandatory ? "(required) " : ""}${new Help().optionDescription(option)}` })
        // A missing profile is a usage error naming the ones that exist, before any client is made.
        .hook("preAction", (_ops, command) => {
            const profile = (command.opts() as { profile?: string }).profile;
            if (profile !== undefined) {
                checkProfile(profile);
            }
        });

    ops.command("patch-now")
        .usage("--stack <name> --group <name> --operation <op> [options]")
        .description("Start the group's multi-account Automation now, exactly as its schedule would (Scan: RunPatchBaseline; Install: the group's install runbook, through the rollout gate when the group is gated; refused while its Change Calendar is CLOSED unless --override-blackout).")
        .requiredOption("--stack <name>", "stack whose Pulumi.<name>.yaml describes the estate")
        .requiredOption("--group <name>", "patch group")
        .addOption(new Option("--operation <op>", "Scan or Install").choices(["Scan", "Install"]).makeOptionMandatory())
        .addOption(new Option("--reboot <option>", "Install only; default: the group's rebootOption").choices(["RebootIfNeeded", "NoReboot"]))
        .option("--accounts <list>", "comma-separated aliases or ids, a subset of the group's accounts (default: all of them)", list)
        .option("--regions <list>", "comma-separated Regions, a subset of those accounts' Regions (default: all of them)", list)
        .option("--override-blackout <reason>", "gated Install only: run although the group's Change Calendar is CLOSED; the reason is recorded as the run's patching:override-reason tag")
        .option("--dry-run", "print the StartAutomationExecution request as JSON and start nothing", false)
        .addOption(profileOption())
        .action(async (opts) => done(await (await import("./patchNow")).patchNow({ ...opts, dryRun: opts.dryRun === true }, deps)));

    ops.command("status")
        .usage("(--execution <id> | --latest --group <name> --stack <name>) [options]")
        .description("Per account/Region progress of a multi-account patch run: node counts, failed nodes and their step errors. Exits 1 if any location failed.")
        .option("--execution <id>", "the parent Automation execution id (what patch-now printed)")
        .option("--latest", "the newest run of --group (needs --group and --stack)", false)
        .option("--group <name>", "patch group (with --latest)")
        .option("--stack <name>", "stack: the central Region, account aliases, and checks --group (required with --latest)")
        .option("--region <region>", "central Region (default: the stack's centralRegion, else the SDK's)")
        .option("--watch", "refresh until the run ends", false)
        .option("--interval <seconds>", "seconds between refreshes with --watch", positiveInteger, 15)
        .addOption(profileOption())
        .action(async (opts) => done(await (await import("./status")).status({ ...opts, latest: opts.latest === true, watch: opts.watch === true }, deps)));

    ops.command("compliance")
        .usage("--stack <name> [options]")
        .description("Run the reporting workgroup's named Athena queries (the ComplianceReporting SQL) and print the results.")
        .requiredOption("--stack <name>", "stack whose central account holds the reporting")
        .addOption(new Option("--format <format>", "output format").choices(COMPLIANCE_FORMATS).default("table"))
        .option("--query <key>", "run one query (key or name); default: all of them")
        .option("--azure", "run the Azure named queries instead (non-compliant Azure VMs by subscription and resource group)", false)
        .option("--sla", "run the patch-SLA query instead (missing patches past their compliance.sla, or due within 7 days)", false)
        .option("--timeout <seconds>", "give up on a query after this long", positiveInteger, 300)
        .addOption(profileOption())
        .action(async (opts) => done(await (await import("./compliance")).compliance({ ...opts, format: opts.format as ComplianceFormat, azure: opts.azure === true, sla: opts.sla === true }, deps)));

    ops.command("azure-orphans")
        .usage("--stack <name> [--deregister-superseded] [options]")
        .description("Azure hybrid nodes whose VM's patch-group tag was removed or differs from the node's SSM tag, and superseded registrations (a VM registered again under a new mi- id). Deregisters the superseded only with --deregister-superseded.")
        .requiredOption("--stack <name>", "stack whose hybrid home holds the Azure nodes")
        .option("--deregister-superseded", "deregister the older registrations of re-registered VMs (default: dry run)", false)
        .addOption(new Option("--format <format>", "output format").choices(["table", "json"]).default("table"))
        .addOption(profileOption())
        .action(async (opts) => done(await (await import("./azureOrphans")).azureOrphans({ ...opts, deregisterSuperseded: opts.deregisterSuperseded === true }, deps)));

    ops.command("org-adoption")
        .description("Organization mode: write the import change set that adopts a moved account's retained log buckets and key into the Regional StackSet, and print the AWS CLI steps (calls no AWS API).")
        .requiredOption("--stack <name>", "organization-mode stack whose Regional template the account gets")
        .requiredOption("--account-id <id>", "12-digit id of the account moving out of `accounts`")
        .requiredOption("--region <region>", "one target Region of the account")
        .option("--log-key-id <id>", "the retained alias/patching-logs key's id (SSE-KMS log buckets): aws kms describe-key --key-id alias/patching-logs")
        .option("--out <dir>", "where to write template.json and resources-to-import.json (default .plan/adoption-<account>-<region>)")
        .action(async (opts) => done((await import("./orgAdoption")).orgAdoption(opts, deps)));
    return ops;
}

/** Runs one command line (without `node script`); returns the exit code, never exits itself. */
export async function runOps(argv: readonly string[], deps: OpsDeps): Promise<number> {
    let code = 0;
    try {
        await program(deps, (result) => (code = result)).parseAsync([...argv], { from: "user" });
        return code;
    } catch (error) {
        return report(error, deps, stackArgument(argv));
    }
}

function report(error: unknown, deps: OpsDeps, stack: string | undefined): number {
    if (error instanceof CommanderError) {
        // Commander has already printed help or its own "error: …" line.
        return error.code === "commander.helpDisplayed" || error.code === "commander.version" ? 0 : 2;
    }
    const named = error as { name?: string; message?: string; $metadata?: unknown };
    if (error instanceof UsageError) {
        deps.stderr.write(`ops: ${error.message}\n`);
        return 2;
    }
    if (named?.name === "StackFileError") {
        deps.stderr.write(`ops: ${named.message}\n`);
        return 2;
    }
    if (named?.name === "ConfigError") {
        for (const line of (named.message ?? "").split("\n")) {
            deps.stderr.write(`ops: Pulumi.${stack ?? "<stack>"}.yaml: ${line}\n`);
        }
        return 2;
    }
    // AWS errors carry the service's code as name; anything else is reported the same way.
    const prefix = named?.$metadata !== undefined && named.name ? `${named.name}: ` : "";
    deps.stderr.write(`ops: ${prefix}${named?.message ?? String(error)}\n`);
    return 1;
}

function stackArgument(argv: readonly string[]): string | undefined {
    const at = argv.indexOf("--stack");
    return at >= 0 ? argv[at + 1] : argv.find((arg) => arg.startsWith("--stack="))?.slice("--stack=".length);
}
