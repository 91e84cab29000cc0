import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { RELEASE_MANIFEST } from "../../import";

/**
 * `data/manifest.json`: which release the bundle in `data/` is. Written by `npm run data:release`,
 * read at start-up so every answer can say which data it was computed from.
 */
export interface ReleaseManifest {
  /** The dataset's name. */
  dataset: string;
  /** Calendar version, `YYYY.MM.N`. */
  version: string;
  /** Release date, `YYYY-MM-DD`. */
  releasedOn: string;
  /** SPDX identifier of the data licence. */
  licence: string;
  /** How to cite this release, as plain text. */
  citation: string;
  /** `dataset { contentHash }` of a database loaded from exactly these files. */
  contentHash: string;
  /** The importer's hash of these files (`dataset { imports { bundleHash } }` after loading them). */
  bundleHash: string;
  /** SHA-256 of each bundle file, by file name. */
  files: Record<string, string>;
}

export const DATASET_NAME = "misuse-graph";
export const DATA_LICENCE = "CC-BY-4.0";

/** Calendar versioning: year, month, and a counter within the month (`2026.12.0`). */
export const CALVER = /^(\d{4})\.(0?[1-9]|1[0-2])\.(0|[1-9]\d*)$/;

/** The citation text of a release; `CITATION.cff` says the same in its own format. */
export function citationText(version: string, releasedOn: string): string {
  return (
    `misuse-graph contributors (${releasedOn.slice(0, 4)}). misuse-graph: a cited dataset of disclosed AI misuse ` +
    `(threat reports, operations, countries, companies and statements), version ${version}, released ${releasedOn}. ` +
    `Data licensed under CC BY 4.0; code under the MIT licence.`
  );
}

/** The bundle files of a data folder (what the importer reads), in name order. */
export function bundleFiles(dataDir: string): string[] {
  return fs
    .readdirSync(dataDir)
    .filter((name) => name.endsWith(".json") && name !== RELEASE_MANIFEST)
    .sort();
}

/** SHA-256 of each bundle file's bytes. */
export function fileChecksums(dataDir: string): Record<string, string> {
  return Object.fromEntries(
    bundleFiles(dataDir).map((name) => [
      name,
      createHash("sha256")
        .update(fs.readFileSync(path.join(dataDir, name)))
        .digest("hex"),
    ]),
  );
}

/** The data folder's release manifest, or null when it has none (a bundle that is not a release). */
export function readReleaseManifest(dataDir: string): ReleaseManifest | null {
  const file = path.join(dataDir, RELEASE_MANIFEST);
  if (!fs.existsSync(file)) return null;
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as ReleaseManifest;
  for (const field of ["version", "releasedOn", "contentHash", "citation", "licence"] as const) {
    if (typeof manifest[field] !== "string") throw new Error(`${file}: "${field}" is missing or not a string`);
  }
  if (!CALVER.test(manifest.version)) throw new Error(`${file}: version "${manifest.version}" is not a calendar version YYYY.MM.N`);
  return manifest;
}

/**
 * The version a database holds: the release's version when its content hash is the release's,
 * `<version>+modified` when curation (or another import) changed it since; null without a release.
 */
export function versionOf(manifest: ReleaseManifest | null, contentHash: string): string | null {
  if (!manifest) return null;
  return contentHash === manifest.contentHash ? manifest.version : `${manifest.version}+modified`;
}
