// Flat config: typescript-eslint's recommended rules over every TypeScript file we own, plus the two
// type-aware promise rules (issue 20): a Pulumi program that drops a promise loses its error (an
// un-awaited invoke or log call fails after the update has moved on), and a promise handed where a
// void callback is expected (an async Commander action, an array callback) is never awaited.
// `projectService` gives the rules the TypeScript program of tsconfig.json (typescript-eslint
// "Linting with Type Information"); the .js/.mjs files are outside it and keep the untyped rules.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    // Build output and scratch copies (Stryker's sandboxes hold whole copies of the project, each of
    // which the type-aware rules would load as another TypeScript program).
    { ignores: ["node_modules/**", "dist/**", ".plan/**", ".scratch/**", ".stryker-tmp*/**", "reports/**"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
            "no-console": "off",
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-misused-promises": "error",
        },
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    },
    {
        files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
        languageOptions: { globals: { require: "readonly", module: "writable", process: "readonly", console: "readonly", __dirname: "readonly", URL: "readonly" } },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
);
