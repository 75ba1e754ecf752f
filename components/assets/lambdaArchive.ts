import * as pulumi from "@pulumi/pulumi";
import type { LambdaBundle } from "./lambdaBundle";

/**
 * The deployment package of a bundled handler: a zip with the bundle as `index.js` at its root
 * (handler `index.handler`), used both for a function's `code` and for the package object
 * organization mode uploads, so the two never differ.
 *
 * A bundle on disk becomes a FileAsset: the SDK sends its path, not ~1.7 MB of text per
 * function, and the engine reads and hashes the file itself. Switching from the StringAsset of
 * the same bytes changes nothing the engine or the AWS provider compares: an asset's and an
 * archive's identity is the sha256 of their bytes, whatever the source (pulumi/pulumi
 * sdk/go/common/resource/asset/asset.go `Equals`, archive/archive.go `EnsureHashWithWD` over a
 * tar of the sorted members); the bridged provider spills the archive to
 * `$TMPDIR/pulumi-asset-<hash>` (pulumi-terraform-bridge pkg/tfbridge/assets.go
 * `translateToFile`) and zips with a fixed modification time (archive.go `addNextFileToZIP`),
 * so `filename` and the package's sha256 stay the same.
 */
export function lambdaCodeArchive(code: LambdaBundle | string): pulumi.asset.AssetArchive {
    const asset = typeof code === "string" ? new pulumi.asset.StringAsset(code) : new pulumi.asset.FileAsset(code.file);
    return new pulumi.asset.AssetArchive({ "index.js": asset });
}
