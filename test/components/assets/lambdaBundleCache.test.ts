import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { bundleWithDiskCache, lambdaCacheDirectory, pruneBundles, UNREFERENCED_BUNDLE_TTL_MS, type LambdaBundle } from "../../../components/assets/lambdaBundle";

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

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** The code of a bundle, read from its file. */
const codeOf = (bundle: LambdaBundle) => readFileSync(bundle.file, "utf8");

/**
 * Points the cache entry (keeping its record) at another, valid bundle file: what comes back next
 * is from the cache, not from esbuild.
 */
function poisonCache(root: string): void {
    const directory = lambdaCacheDirectory(root);
    const [slot] = readdirSync(directory).filter((name) => name.endsWith(".json"));
    const cached = JSON.parse(readFileSync(path.join(directory, slot), "utf8"));
    const poison = "served from the cache";
    writeFileSync(path.join(directory, `${sha256(poison)}.js`), poison);
    writeFileSync(path.join(directory, slot), JSON.stringify({ ...cached, sha256: sha256(poison) }));
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
        assert.match(codeOf(bundleWithDiskCache(entry, root)), /first-word/);
        poisonCache(root);
        assert.equal(codeOf(bundleWithDiskCache(entry, root)), "served from the cache");
        write("lib/word.ts", 'export const WORD = "first-word";\n'); // new mtime, same content
        assert.equal(codeOf(bundleWithDiskCache(entry, root)), "served from the cache");
    });

    it("rebuilds when any input changes, however deep in the imports", () => {
        const { root, entry, write } = fresh();
        bundleWithDiskCache(entry, root);
        poisonCache(root);
        write("lib/word.ts", 'export const WORD = "second-word";\n');
        const code = codeOf(bundleWithDiskCache(entry, root));
        assert.match(code, /second-word/);
        assert.doesNotMatch(code, /first-word/);
    });

    it("rebuilds when a new file changes what an import resolves to (./lib.ts beside ./lib/index.ts)", () => {
        const { root, entry, write } = fresh();
        bundleWithDiskCache(entry, root);
        poisonCache(root);
        write("lib.ts", 'export const greeting = () => "shadowing-file";\n');
        assert.match(codeOf(bundleWithDiskCache(entry, root)), /shadowing-file/);
    });

    it("rebuilds when the lockfile changes (bare imports may resolve to other package versions)", () => {
        const { root, entry, write } = fresh();
        bundleWithDiskCache(entry, root);
        poisonCache(root);
        write("package-lock.json", '{"lockfileVersion": 3}\n');
        assert.match(codeOf(bundleWithDiskCache(entry, root)), /first-word/);
    });

    it("writes the bundle as <sha256>.js under the cache, digest and size of its exact bytes", () => {
        const { root, entry } = fresh();
        const bundle = bundleWithDiskCache(entry, root);
        const contents = readFileSync(bundle.file);
        assert.equal(bundle.file, path.join(lambdaCacheDirectory(root), `${sha256(contents)}.js`));
        assert.equal(bundle.sha256, sha256(contents));
        assert.equal(bundle.bytes, contents.length);
        assert.match(contents.toString("utf8"), /first-word/);
    });

    it("a changed source gives a new file and leaves the previous one in place (a deploy may still be reading it)", () => {
        const { root, entry, write } = fresh();
        const first = bundleWithDiskCache(entry, root);
        write("lib/word.ts", 'export const WORD = "second-word";\n');
        const second = bundleWithDiskCache(entry, root);
        assert.notEqual(second.file, first.file);
        assert.notEqual(second.sha256, first.sha256);
        assert.match(readFileSync(first.file, "utf8"), /first-word/);
        assert.match(codeOf(second), /second-word/);
    });

    it("rebuilds, never serves, a cached bundle file whose content no longer matches its name", () => {
        const { root, entry } = fresh();
        const bundle = bundleWithDiskCache(entry, root);
        writeFileSync(bundle.file, "exports.handler = async () => 'tampered';\n");
        const again = bundleWithDiskCache(entry, root);
        assert.match(codeOf(again), /first-word/);
        assert.equal(sha256(readFileSync(again.file)), again.sha256);
    });

    it("falls back to the OS temporary directory when the cache directory cannot be written", () => {
        const { root, entry, write } = fresh();
        // A file where the cache directory would go: mkdir fails as on a read-only checkout.
        write("node_modules/.cache/multicloud-patching", "not a directory");
        const bundle = bundleWithDiskCache(entry, root);
        assert.equal(path.dirname(bundle.file), path.join(tmpdir(), "multicloud-patching-lambda"));
        assert.ok(existsSync(bundle.file));
        assert.match(codeOf(bundle), /first-word/);
        assert.equal(sha256(readFileSync(bundle.file)), bundle.sha256);
    });
});

describe("components/assets/lambdaBundle: pruning bundle files after a rebuild", () => {
    const setup = () => {
        const directory = mkdtempSync(path.join(tmpdir(), "lambda-prune-"));
        const file = (text: string, ageMs: number) => {
            const name = path.join(directory, `${sha256(text)}.js`);
            writeFileSync(name, text);
            const time = (Date.now() - ageMs) / 1000;
            utimesSync(name, time, time);
            return name;
        };
        return { directory, file };
    };

    it("deletes only old bundle files no cache entry names", () => {
        const { directory, file } = setup();
        try {
            const day = UNREFERENCED_BUNDLE_TTL_MS;
            const current = file("current", 2 * day);
            const stale = file("stale", 2 * day);
            const recent = file("recent", day / 2);
            writeFileSync(path.join(directory, "slot.json"), JSON.stringify({ record: {}, sha256: sha256("current") }));
            writeFileSync(path.join(directory, "notes.txt"), "not a bundle");
            assert.deepEqual(pruneBundles(directory), [stale]);
            assert.ok(existsSync(current), "named by a cache entry");
            assert.ok(existsSync(recent), "a deploy may still be reading it");
            assert.ok(existsSync(path.join(directory, "notes.txt")));
        } finally {
            rmSync(directory, { recursive: true, force: true });
        }
    });
});
