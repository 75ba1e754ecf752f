import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

/** Issue 20, item 3: the command a newcomer types, through npm, answers --help without measuring anything. */
describe("npm run bench -- --help", function () {
    this.timeout(120_000);

    it("prints the usage with --json and the shape of its document, and exits 0", () => {
        const result = spawnSync("npm", ["run", "-s", "bench", "--", "--help"], { cwd: ROOT, encoding: "utf8" });
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /^usage: npm run bench -- /);
        assert.match(result.stdout, /--json +print the measurements as one JSON document/);
        for (const key of ["configuredAccounts", "organization", "planSpeed"]) {
            assert.ok(result.stdout.includes(key), `--help names ${key}`);
        }
        assert.doesNotMatch(result.stdout, /account×Region pairs +│|organization target/, "nothing was measured");
    });
});
