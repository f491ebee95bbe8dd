export {
  BUNDLE_DATA_DIR,
  BUNDLE_NOTEBOOK,
  BUNDLE_README,
  BUNDLE_WARN_BYTES,
  type Bundle,
  BundleError,
  type BundleFile,
  bundleSizeWarning,
  createBundle,
  readBundle,
} from "./bundle";
export { csvChunks, csvField, tableToCsv } from "./csv";
export { type ReportOptions, type ReportVerification, renderNotebookReport } from "./html-report";
export { renderMarkdown } from "./markdown";
export { decodeEntities, escapeXml, sanitizeSvg } from "./sanitize-svg";
