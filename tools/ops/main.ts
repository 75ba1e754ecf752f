/**
 * Entry of `npm run ops -- <command>` (run through tsx, like the tests: the CLI makes a handful
 * of API calls, so start-up cost matters more than registration speed). See cli.ts.
 */
import { runOps } from "./cli";
import { defaultDeps } from "./clients";

runOps(process.argv.slice(2), defaultDeps(process.cwd())).then(
    (code) => process.exit(code),
    (error: unknown) => {
        console.error(`ops: ${(error as Error)?.message ?? String(error)}`);
        process.exit(1);
    },
);
