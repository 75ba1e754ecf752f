/**
 * Entry of `npm run ops -- <command>` (run through tsx, like the tests: the CLI makes a handful
 * of API calls, so start-up cost matters more than registration speed). See cli.ts.
 */
import { runOps } from "./cli";
import { defaultDeps } from "./clients";

// The AWS SDK prints a 9-line NodeVersionSupportWarning on every run under Node < 22 (about SDK
// versions not yet installed: package-lock.json pins these). AWS's documented switch turns it off
// (aws/aws-sdk-js-v3#7983); setting the variable to anything else brings it back.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

runOps(process.argv.slice(2), defaultDeps(process.cwd())).then(
    (code) => process.exit(code),
    (error: unknown) => {
        console.error(`ops: ${(error as Error)?.message ?? String(error)}`);
        process.exit(1);
    },
);
