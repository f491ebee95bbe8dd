/**
 * Upgrades older notebook files. Each entry turns version N into N + 1; parseNotebook applies
 * them in turn. Version 1 is the first released format, so the table is empty: when version 2
 * comes, add `1: (file) => …` here and a test with a version-1 file.
 *
 * A migrated file no longer matches its manifest (which covers the file as written); verify
 * the original text first (verifyNotebook), then migrate.
 */
import type { JsonValue } from "../../provenance/canonical-json";

export type Migration = (file: { [key: string]: JsonValue }) => { [key: string]: JsonValue };

export const MIGRATIONS: Readonly<Record<number, Migration>> = {};
