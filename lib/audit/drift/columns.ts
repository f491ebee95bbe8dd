/**
 * Which columns a drift run compares and as what: numeric (both sides numeric and not forced
 * categorical) or categorical (text, boolean, enum, or forced). Other types (dates, lists, structs…)
 * are skipped with a warning when the columns were not named, and rejected when they were.
 */
import type { ColumnInfo } from "../../engine/types";
import { AuditInputError } from "../errors";
import { isNumericType, requireColumns } from "../validate";
import type { WarningLog } from "../warnings";
import type { ColumnKind } from "./types";

export interface PlannedColumn {
  column: string;
  kind: ColumnKind;
  /** Numeric storage on a side (so categorical values are cast through DOUBLE). */
  numericStorage: boolean;
}

const CATEGORICAL = /^(VARCHAR|BOOLEAN|ENUM.*|UUID|CHAR.*|TEXT|STRING)$/i;

/** A column's type in a relation's description ("" when absent). */
export function typeOf(columns: readonly ColumnInfo[], name: string): string {
  return columns.find((c) => c.name === name)?.type ?? "";
}

/** How drift compares a column of this type on its own: numeric, categorical, or not at all (null). */
export function columnKindOf(type: string): ColumnKind | null {
  if (isNumericType(type)) return "numeric";
  if (CATEGORICAL.test(type)) return "categorical";
  return null;
}

export interface ColumnSelection {
  reference: ColumnInfo[];
  current: ColumnInfo[];
  referenceName: string;
  currentName: string;
  columns?: readonly string[];
  categorical?: readonly string[];
  warnings: WarningLog;
}

export function planColumns(selection: ColumnSelection): PlannedColumn[] {
  const { reference, current, warnings } = selection;
  const explicit = selection.columns !== undefined;
  const currentNames = new Set(current.map((c) => c.name));
  const names = selection.columns
    ? [...selection.columns]
    : reference.map((c) => c.name).filter((n) => currentNames.has(n));
  if (new Set(names).size !== names.length) {
    throw new AuditInputError("invalid-option", "The drift column list names a column more than once.");
  }
  requireColumns(reference, names, selection.referenceName);
  requireColumns(current, names, selection.currentName);
  const forced = new Set(selection.categorical ?? []);
  for (const name of forced) {
    if (!names.includes(name)) {
      throw new AuditInputError(
        "invalid-option",
        `"${name}" is listed as categorical but is not among the compared columns.`,
        name,
      );
    }
  }
  const out: PlannedColumn[] = [];
  for (const name of names) {
    const typeR = reference.find((c) => c.name === name)?.type ?? "";
    const typeC = current.find((c) => c.name === name)?.type ?? "";
    const numericR = isNumericType(typeR);
    const numericC = isNumericType(typeC);
    if (forced.has(name)) {
      out.push({ column: name, kind: "categorical", numericStorage: numericR && numericC });
      continue;
    }
    if (numericR && numericC) {
      out.push({ column: name, kind: "numeric", numericStorage: true });
      continue;
    }
    if (numericR !== numericC && (CATEGORICAL.test(typeR) || CATEGORICAL.test(typeC) || numericR || numericC)) {
      throw new AuditInputError(
        "wrong-type",
        `Column "${name}" is ${typeR} in "${selection.referenceName}" but ${typeC} in "${selection.currentName}". Cast both to the same type in a SQL cell, or list it in \`categorical\`.`,
        name,
      );
    }
    if (CATEGORICAL.test(typeR) && CATEGORICAL.test(typeC)) {
      out.push({ column: name, kind: "categorical", numericStorage: false });
      continue;
    }
    const message = `Column "${name}" has type ${typeR}${typeR === typeC ? "" : ` / ${typeC}`}, which drift does not compare. Cast it to a number or text in a SQL cell, or list it in \`categorical\`.`;
    if (explicit) throw new AuditInputError("wrong-type", message, name);
    warnings.warn("column-skipped", message, name);
  }
  if (out.length === 0) {
    throw new AuditInputError(
      "invalid-option",
      `"${selection.referenceName}" and "${selection.currentName}" have no columns in common that drift can compare.`,
    );
  }
  return out;
}
