/** The report's only stylesheet: inline, no fonts or images to fetch, light in print. */
export const REPORT_CSS = `
:root{color-scheme:light}
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;background:#fff;margin:0 auto;padding:2rem;max-width:1100px}
h1{font-size:1.7rem;margin:0 0 .3rem}
h2{font-size:1.25rem;margin:2rem 0 .6rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
h3{font-size:1.1rem;margin:1.2rem 0 .4rem}
h4,h5,h6{font-size:1rem;margin:1rem 0 .3rem}
.meta,.muted{color:#57606a}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:13px}
th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums}
code,pre,.hash{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.hash{word-break:break-all}
pre{background:#f6f8fa;border:1px solid #d0d7de;padding:.6rem .8rem;overflow-x:auto;white-space:pre-wrap;word-break:break-word}
.null{color:#8c959f;font-style:italic}
.kv th{width:12rem}
.cell{margin-top:2rem;border-top:2px solid #d0d7de;padding-top:.4rem}
.cell>h2{border:0;margin-top:.4rem}
.kind{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:#57606a;margin-right:.5rem}
.v{display:inline-block;font-weight:700;padding:0 .45em;border-radius:3px;white-space:nowrap;border:1px solid}
.v-pass{color:#1a7f37;background:#dafbe1;border-style:solid}
.v-warn{color:#7d4e00;background:#fff8c5;border-style:dashed;border-width:2px}
.v-fail{color:#cf222e;background:#ffebe9;border-width:2px}
.v-error{color:#8250df;background:#fbefff;border-style:double;border-width:3px}
.v-none{color:#57606a;background:#f6f8fa;border-style:dotted}
.overall{font-size:1.3rem;margin:.8rem 0}
.charts svg{max-width:100%;height:auto;overflow:visible;display:block;margin:.5rem 0;font:10px system-ui,sans-serif}
.charts figure{margin:0 0 1rem}
.markdown{max-width:50rem}
a{color:inherit}
@page{margin:14mm}
@media print{
  body{padding:0;max-width:none;font-size:10.5pt}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  .cells{break-before:page}
  .cell{break-before:page;border-top:0;margin-top:0}
  .provenance{break-before:page}
  h2,h3{break-after:avoid}
  tr,svg,pre{break-inside:avoid}
  thead{display:table-header-group}
  pre{overflow:visible}
}
`;
