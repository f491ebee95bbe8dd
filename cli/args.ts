/**
 * Flag parsing on top of Node's `util.parseArgs` (strict: an unknown flag is an error), and
 * typed readers for the values. Every problem is a CliError (exit 2) naming the flag.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { CliError } from "./errors";

/** The flags a command accepts, in `util.parseArgs` form. */
export type FlagSpec = NonNullable<ParseArgsConfig["options"]>;
/** Parsed flag values by name. */
export type FlagValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Parses `argv` against `options`; positional arguments are refused. */
export function parseFlags(argv: readonly string[], options: FlagSpec, command: string): FlagValues {
  try {
    const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
    return values as FlagValues;
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify.*$/s, "") : String(error);
    throw new CliError(`${message}. Run \`assay ${command} --help\` for the flags.`);
  }
}

/** Parses `argv` against `options` with exactly `count` positional arguments, named `names` in errors. */
export function parseWithPositionals(
  argv: readonly string[],
  options: FlagSpec,
  command: string,
  names: readonly string[],
): { values: FlagValues; positionals: string[] } {
  let parsed: { values: FlagValues; positionals: string[] };
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
    parsed = { values: values as FlagValues, positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify.*$/s, "") : String(error);
    throw new CliError(`${message}. Run \`assay ${command} --help\` for the flags.`);
  }
  if (parsed.values.help === true) return parsed;
  if (parsed.positionals.length < names.length) {
    throw new CliError(
      `${names.slice(parsed.positionals.length).join(" ")} is required: \`assay ${command} ${names.join(" ")} [options]\`.`,
    );
  }
  if (parsed.positionals.length > names.length) {
    throw new CliError(
      `unexpected argument "${parsed.positionals[names.length]}": \`assay ${command}\` takes ${names.join(" ")} and flags.`,
    );
  }
  return parsed;
}

/** A string flag, or undefined. */
export function stringFlag(values: FlagValues, name: string): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v === "") throw new CliError(`--${name} needs a value.`);
  return v;
}

/** A string flag that must be present. */
export function requiredFlag(values: FlagValues, name: string, what: string): string {
  const v = stringFlag(values, name);
  if (v === undefined) throw new CliError(`--${name} is required: ${what}.`);
  return v;
}

/** Every value of a repeatable flag, each split on commas when `splitCommas`. */
export function listFlag(values: FlagValues, name: string, splitCommas: boolean): string[] {
  const raw = values[name];
  const items = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const out = items.flatMap((v) => (splitCommas ? String(v).split(",") : [String(v)])).map((s) => s.trim());
  if (out.some((s) => s === "")) throw new CliError(`--${name} has an empty column name.`);
  return out;
}

/** A finite number flag within [min, max]. */
export function numberFlag(values: FlagValues, name: string, min: number, max: number): number | undefined {
  const v = stringFlag(values, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) {
    const range = Number.isFinite(min - max) ? ` from ${min} to ${max}` : "";
    throw new CliError(`--${name} must be a number${range}; got "${v}".`);
  }
  return n;
}

/** A positive integer flag. */
export function integerFlag(values: FlagValues, name: string): number | undefined {
  const n = numberFlag(values, name, 1, 1_000_000);
  if (n !== undefined && !Number.isInteger(n)) throw new CliError(`--${name} must be a whole number; got ${n}.`);
  return n;
}

/** A DuckDB memory size such as `4GB`, `512MB`, `80%`. */
export function memoryFlag(values: FlagValues, name: string): string | undefined {
  const v = stringFlag(values, name);
  if (v === undefined) return undefined;
  if (!/^\s*\d+(\.\d+)?\s*(B|KB|KIB|MB|MIB|GB|GIB|TB|TIB|%)\s*$/i.test(v)) {
    throw new CliError(`--${name} must be a size such as 4GB, 512MB or 80%; got "${v}".`);
  }
  return v.replace(/\s+/g, "");
}
