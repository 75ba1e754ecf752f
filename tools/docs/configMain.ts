import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { estateConfigSchema } from "../../stacks/config/schema";
import { configKeys } from "./configKeys";
import { renderConfigTable, replaceSection } from "./configReference";

/**
 * `npm run docs:config`: rewrites the README's config reference table from the zod schema.
 * `--check` only reports (exit 1) when the README is stale, for CI or a pre-commit hook.
 */
const README = path.join(__dirname, "..", "..", "README.md");

function main(args: readonly string[]): number {
    const readme = readFileSync(README, "utf8");
    const updated = replaceSection(readme, renderConfigTable(configKeys(estateConfigSchema)));
    if (updated === readme) {
        console.log("README.md config reference is up to date");
        return 0;
    }
    if (args.includes("--check")) {
        console.error("README.md config reference is stale: run npm run docs:config");
        return 1;
    }
    writeFileSync(README, updated);
    console.log("README.md config reference rewritten from stacks/config/schema*.ts");
    return 0;
}

process.exitCode = main(process.argv.slice(2));
