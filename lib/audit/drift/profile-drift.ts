/** Drift inputs when the reference is a saved profile (placeholder until implemented). */
import type { QueryFn } from "../../engine/types";
import type { WarningLog } from "../warnings";
import type { CategoricalColumnInput, NumericColumnInput } from "./column-result";
import type { PlannedColumn } from "./columns";
import type { ReferenceProfile } from "./reference-profile-types";
import type { DriftConvention } from "./types";

export async function profileNumericInputs(
  _query: QueryFn,
  _profile: ReferenceProfile,
  _current: string,
  _columns: readonly PlannedColumn[],
  _convention: DriftConvention,
  _warnings: WarningLog,
  _trace: string[],
): Promise<Map<string, NumericColumnInput>> {
  throw new Error("not implemented");
}

export async function profileCategoricalInputs(
  _query: QueryFn,
  _profile: ReferenceProfile,
  _current: string,
  _columns: readonly PlannedColumn[],
  _warnings: WarningLog,
  _trace: string[],
): Promise<Map<string, CategoricalColumnInput>> {
  throw new Error("not implemented");
}
