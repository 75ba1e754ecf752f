import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { bundleWithDiskCache, lambdaCacheDirectory } from "../../../components/assets/lambdaBundle";

/** A small project: a handler importing a folder module (lib/index.ts) that imports another file. */
function project(): { root: string; entry: string; write(file: string, text: string): void } {
    const root = mkdtempSync(path.join(tmpdir(), "lambda-cache-"));
    const write = (file: string, text: string) => {
        mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        writeFileSync(path.join(root, file), text);
    };
    write("Pulumi.yaml", "name: p\nruntime: nodejs\n");
    write("handler.ts", 'import { greeting } from "./lib";\nexport const handler = async () => greeting();\n');
    write("lib/index.ts", 'import { WORD } from "./word";\nexport const greeting = () => `hello ${WORD}`;\n');
    write("lib/word.ts", 'export const WORD = "first-word";\n');
    return { root, entry: path.join(root, "handler.ts"), write };
}

/** Replaces the cached code (keeping its record): what comes back next is from the cache, not from esbuild. */
function poisonCache(root: string): void {
    const directory = lambdaCacheDirectory(root);
    const [file] = readdirSync(directory).filter((name) => name.endsWith(".json"));
    const cached = JSON.parse(readFileSync(path.join(directory, file), "utf8"));
    writeFileSync(path.join(directory, file), JSON.stringify({ ...cached, code: "served from the cache" }));
}

describe("components/assets/lambdaBundle: the on-disk bundle cache", function () {
    this.timeout(60_000);
    const roots: string[] = [];
    const fresh = () => {
        const created = project();
        roots.push(created.root);
        return created;
    };
    after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

    it("serves an unchanged build from the cache, also when a file is rewritten with the same content", () => {
        const { root, entry, write } = fresh();
        assert.match(bundleWithDiskCache(entry, root), /first-word/);
        poisonCache(root);
        assert.equal(bundleWithDiskCache(entry, root), "served from the cache");
        write("lib/word.ts", 'export const WORD = "first-word";\n'); // new mtime, same content
        assert.equal(bundleWithDiskCache(entry, root), "served from the cache");
    });

    it("rebuilds when any input changes, however deep in the imports", () => {
        const { root, entry, write } = fresh();
        bundleWithDiskCache(entry, root);
        poisonCache(root);
        write("lib/word.ts", 'export const WORD = "second-word";\n');
        const code = bundleWithDiskCache(entry, root);
        assert.match(code, /second-word/);
        assert.doesNotMatch(code, /first-word/);
    });

    it("rebuilds when a new file changes what an import resolves to (./lib.ts beside ./lib/index.ts)", () => {
        const { root, entry, write } = fresh();
        bundleWithDiskCache(entry, root);
        poisonCache(root);
        write("lib.ts", 'export const greeting = () => "shadowing-file";\n');
        assert.match(bundleWithDiskCache(entry, root), /shadowing-file/);
    });

    it("rebuilds when the lockfile changes (bare imports may resolve to other package versions)", () => {
        const { root, entry, write } = fresh();
        bundleWithDiskCache(entry, root);
        poisonCache(root);
        write("package-lock.json", '{"lockfileVersion": 3}\n');
        assert.match(bundleWithDiskCache(entry, root), /first-word/);
    });
});
