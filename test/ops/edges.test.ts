import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { awsProfiles } from "../../tools/ops/profiles";
import { ROOT, runCli } from "./helpers";

/** Issue 20, item 3: the ops CLI's rough edges. */
describe("tools/ops: argument edges (issue 20)", () => {
    let home: string;
    const saved = { config: process.env.AWS_CONFIG_FILE, credentials: process.env.AWS_SHARED_CREDENTIALS_FILE };

    before(() => {
        home = mkdtempSync(path.join(tmpdir(), "ops-home-"));
        mkdirSync(path.join(home, ".aws"));
        // The SDK's shapes: [profile x] and [default] in config, [x] in credentials; sso-session is no profile.
        writeFileSync(path.join(home, ".aws", "config"), "[default]\nregion = us-east-1\n\n[profile central-admin]\nrole_arn = arn:aws:iam::111111111111:role/x\nsource_profile = default\n\n[sso-session corp]\nsso_region = us-east-1\n");
        writeFileSync(path.join(home, ".aws", "credentials"), "[default]\naws_access_key_id = A\n[ci]\naws_access_key_id = B\n");
        process.env.AWS_CONFIG_FILE = path.join(home, ".aws", "config");
        process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(home, ".aws", "credentials");
    });

    after(() => {
        for (const [name, value] of [["AWS_CONFIG_FILE", saved.config], ["AWS_SHARED_CREDENTIALS_FILE", saved.credentials]] as const) {
            if (value === undefined) {
                delete process.env[name];
            } else {
                process.env[name] = value;
            }
        }
        rmSync(home, { recursive: true, force: true });
    });

    it("reads profiles as the SDK does: [profile x] and [default] of the config file, every section of the credentials file", () => {
        assert.deepEqual(awsProfiles().profiles, ["central-admin", "ci", "default"]);
        assert.deepEqual(awsProfiles({}, home).profiles, ["central-admin", "ci", "default"], "~/.aws of the home directory without the variables");
    });

    const CASES: [string[], string][] = [
        [["status", "--latest", "--group", "Linux"], "ops: --latest needs --stack <name> (the stack whose central Region runs group Linux)"],
        [
            ["status", "--latest", "--group", "Linux", "--stack", "prod", "--profile", "nosuch"],
            'ops: --profile: "nosuch" is not a profile in <config> or <credentials> (profiles: central-admin, ci, default)',
        ],
        [
            ["patch-now", "--stack", "prod", "--group", "Linux", "--operation", "Scan", "--dry-run", "--profile", "sso-session corp"],
            'ops: --profile: "sso-session corp" is not a profile in <config> or <credentials> (profiles: central-admin, ci, default)',
        ],
    ];
    for (const [argv, message] of CASES) {
        it(`${argv.join(" ")} → exit 2, one line, no client`, async () => {
            const run = await runCli(argv);
            const expected = message.replace("<config>", process.env.AWS_CONFIG_FILE ?? "").replace("<credentials>", process.env.AWS_SHARED_CREDENTIALS_FILE ?? "");
            assert.deepEqual([run.code, run.stderr, run.stdout, run.clients], [2, `${expected}\n`, "", []]);
        });
    }

    it("an existing --profile reaches the client", async () => {
        const run = await runCli(["status", "--execution", "4105a4fc-f944-11e6-9d32-0123456789ab", "--region", "us-east-1", "--profile", "central-admin"], {
            ssm: () => {
                throw new Error("stop here");
            },
        });
        assert.deepEqual([run.code, run.clients], [1, [{ region: "us-east-1", profile: "central-admin" }]]);
    });

    it("marks the required options in --help and shows each command's required arguments in its usage line", async () => {
        const patchNow = await runCli(["patch-now", "--help"]);
        for (const option of ["--stack <name>", "--group <name>", "--operation <op>"]) {
            assert.match(patchNow.stdout, new RegExp(`${option} +\\(required\\)`), option);
        }
        assert.doesNotMatch(patchNow.stdout, /--accounts <list> +\(required\)/);
        assert.match(patchNow.stdout, /^Usage: ops patch-now --stack <name> --group <name> --operation <op> \[options\]$/m);
        const status = await runCli(["status", "--help"]);
        assert.match(status.stdout, /^Usage: ops status \(--execution <id> \| --latest --group <name> --stack <name>\) \[options\]$/m);
        const compliance = await runCli(["compliance", "--help"]);
        assert.match(compliance.stdout, /--stack <name> +\(required\)/);
    });

    it("prints no AWS SDK Node-version banner (the real entry point, as on Node 20, a call that fails on credentials)", function () {
        this.timeout(60_000);
        const scratch = mkdtempSync(path.join(tmpdir(), "ops-banner-"));
        try {
            // The SDK warns when process.version is below 22; pretend to be Node 20 whatever runs the test.
            const node20 = path.join(scratch, "node20.cjs");
            writeFileSync(node20, 'Object.defineProperty(process, "version", { value: "v20.19.0" });\n');
            const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: scratch, AWS_EC2_METADATA_DISABLED: "true", AWS_REGION: "us-east-1" };
            const argv = ["--require", node20, "--import", "tsx", path.join(ROOT, "tools", "ops", "main.ts"), "status", "--execution", "4105a4fc-f944-11e6-9d32-0123456789ab"];
            const run = spawnSync(process.execPath, argv, { cwd: ROOT, env, encoding: "utf8" });
            assert.equal(run.status, 1, run.stderr);
            assert.doesNotMatch(run.stderr, /NodeVersionSupportWarning|will require node/);
            assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
        } finally {
            rmSync(scratch, { recursive: true, force: true });
        }
    });
});
