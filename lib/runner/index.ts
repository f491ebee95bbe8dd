export { checkResultTable, checkVerdicts } from "./check-record";
export {
  type CellRunReport,
  type CellRunStatus,
  type RunNotebookOptions,
  type RunProgress,
  type RunReport,
  recordsOf,
  runNotebook,
  SKIP_REASONS,
} from "./run-notebook";
export {
  executeSqlCell,
  planSqlCell,
  runSqlCell,
  type SqlCellOptions,
  type SqlCellPlan,
  type SqlCellResult,
} from "./sql-cell";
