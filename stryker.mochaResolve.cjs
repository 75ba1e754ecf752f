// Preloaded (node --require) into the Stryker process and its test runners by `npm run mutation`.
//
// Mocha 12 renamed its cli internals to .cjs (lib/cli/run-helpers.cjs, options.cjs, ...), but
// @stryker-mutator/mocha-runner 10.0.0 still requires them without an extension
// (`require(mochaRoot + "/lib/cli/run-helpers")`), which CommonJS resolves only as .js/.json/.node:
// the plugin fails to load ("Cannot find TestRunner plugin mocha"). Known upstream:
// stryker-mutator/stryker-js#6205 "load Mocha cli internals regardless of file extension".
// This retries exactly those extensionless requests with ".cjs"; remove it once the runner ships
// that fix.
"use strict";
const Module = require("node:module");

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveMochaCli(request, ...rest) {
    try {
        return resolveFilename.call(this, request, ...rest);
    } catch (error) {
        if (error?.code === "MODULE_NOT_FOUND" && /[\\/]mocha[\\/]lib[\\/]cli[\\/][\w-]+$/.test(request)) {
            return resolveFilename.call(this, `${request}.cjs`, ...rest);
        }
        throw error;
    }
};
