import { strict as assert } from "node:assert";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ROOT, runCli } from "./helpers";

describe("tools/ops: help and argument errors (exit 2, one line, nothing started)", () => {
    it("has --help for the program and every command", async () => {
        for (const [argv, mentions] of [
            [["--help"], ["patch-now", "status", "compliance", "Exit codes"]],
            [["patch-now", "--help"], ["--stack <name>", "--group <name>", "--operation <op>", "--reboot <option>", "--accounts <list>", "--regions <list>", "--override-blackout <reason>", "--dry-run", "--profile <name>"]],
            [["status", "--help"], ["--execution <id>", "--latest", "--group <name>", "--stack <name>", "--region <region>", "--watch", "--interval <seconds>"]],
            [["compliance", "--help"], ["--stack <name>", "--format <format>", '"table", "csv", "json"', "--query <key>", "--timeout <seconds>"]],
        ] as const) {
            const run = await runCli([...argv]);
            assert.equal(run.code, 0, argv.join(" "));
            for (const mention of mentions) {
                assert.ok(run.stdout.includes(mention), `${argv.join(" ")} mentions ${mention}:\n${run.stdout}`);
            }
        }
    });

    const CASES: [string[], string][] = [
        [["patch-now", "--stack", "prod", "--group", "Linx", "--operation", "Scan"], 'ops: --group: patch group "Linx" is not in Pulumi.prod.yaml (patch groups: Linux, Windows, AppA)'],
        [
            ["patch-now", "--stack", "prod", "--group", "Linux", "--operation", "Scan", "--accounts", "security,audit"],
            'ops: --accounts: "audit" is not an account of stack prod (accounts: security (111111111111), shared-services (222222222222), application (333333333333))',
        ],
        [
            ["patch-now", "--stack", "prod", "--group", "AppA", "--operation", "Install", "--accounts", "222222222222"],
            "ops: --accounts: shared-services (222222222222) is not patched by group AppA (its accounts: application (333333333333))",
        ],
        [
            ["patch-now", "--stack", "dev", "--group", "Linux", "--operation", "Install", "--accounts", "sandbox", "--regions", "eu-west-2"],
            'ops: --regions: "eu-west-2" is not configured for sandbox (444444444444) (their Regions: us-west-2)',
        ],
        [
            ["patch-now", "--stack", "prod", "--group", "Linux", "--operation", "Scan", "--reboot", "RebootIfNeeded"],
            'ops: --reboot: "RebootIfNeeded" with --operation Scan; a scan installs nothing and runs with NoReboot, as the scan schedule does',
        ],
        [["patch-now", "--stack", "qa", "--group", "Linux", "--operation", "Scan"], 'ops: --stack: no stack "qa": Pulumi.qa.yaml does not exist (stacks here: dev, org, prod)'],
        [["patch-now", "--stack", "prod", "--group", "Linux"], "error: required option '--operation <op>' not specified"],
        [["patch-now", "--stack", "prod", "--group", "Linux", "--operation", "scan"], "error: option '--operation <op>' argument 'scan' is invalid. Allowed choices are Scan, Install."],
        [
            ["patch-now", "--stack", "prod", "--group", "Linux", "--operation", "Scan", "--regions", "us-west-2,,eu-west-2"],
            "error: option '--regions <list>' argument 'us-west-2,,eu-west-2' is invalid. \"us-west-2,,eu-west-2\" has an empty entry; separate values with single commas",
        ],
        [["status", "--stack", "prod"], "ops: status: give either --execution <id> or --latest --group <name> --stack <name>"],
        [["status", "--latest", "--stack", "prod"], "ops: --latest needs --group <patch group>"],
        [["status", "--execution", "exec-1"], 'ops: --execution: "exec-1" is not an Automation execution id (36 characters, e.g. 4105a4fc-f944-11e6-9d32-0123456789ab)'],
        [["status", "--latest", "--group", "Unix", "--stack", "dev"], 'ops: --group: patch group "Unix" is not in Pulumi.dev.yaml (patch groups: Linux, Windows)'],
        [["status", "--execution", "4105a4fc-f944-11e6-9d32-0123456789ab", "--watch", "--interval", "0"], "error: option '--interval <seconds>' argument '0' is invalid. \"0\" is not a whole number of seconds (1 or more)"],
        [["compliance", "--stack", "prod", "--format", "xml"], "error: option '--format <format>' argument 'xml' is invalid. Allowed choices are table, csv, json."],
        [
            ["compliance", "--stack", "prod", "--query", "everything"],
            'ops: --query: "everything" is not a named query (queries: non-compliant-nodes, missing-critical-patches, nodes-not-reporting, inventory-by-os-and-patch-group, non-compliant-azure-vms)',
        ],
        [["patch-nwo"], "error: unknown command 'patch-nwo'\n(Did you mean patch-now?)"],
    ];
    for (const [argv, message] of CASES) {
        it(`${argv.join(" ")} → ${message.split("\n")[0]}`, async () => {
            const run = await runCli(argv);
            assert.deepEqual([run.code, run.stderr, run.stdout, run.clients], [2, `${message}\n`, "", []]);
        });
    }

    it("reports a bad stack file one problem per line, naming the file, and starts nothing", async () => {
        const directory = mkdtempSync(path.join(tmpdir(), "ops-config-"));
        try {
            copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(directory, "Pulumi.yaml"));
            const dev = readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
            writeFileSync(path.join(directory, "Pulumi.bad.yaml"), dev.replace('id: "444444444444"', 'id: "12345"').replace('id: "555555555555"', 'id: "5555"'));
            const run = await runCli(["patch-now", "--stack", "bad", "--group", "Linux", "--operation", "Scan", "--dry-run"], { directory });
            assert.equal(run.code, 2);
            assert.deepEqual(run.stderr.trimEnd().split("\n"), [
                'ops: Pulumi.bad.yaml: accounts[0].id: "12345" is not a 12-digit AWS account id',
                'ops: Pulumi.bad.yaml: accounts[1].id: "5555" is not a 12-digit AWS account id',
            ]);
            assert.deepEqual([run.stdout, run.clients], ["", []]);
        } finally {
            rmSync(directory, { recursive: true, force: true });
        }
    });
});
