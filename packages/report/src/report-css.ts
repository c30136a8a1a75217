/** The report's whole stylesheet (inline; system fonts only, so nothing is fetched). */
export const REPORT_CSS = `
body{font-family:"DejaVu Sans",system-ui,sans-serif;color:#222;margin:0;background:#fafafa;line-height:1.45}
header,main{max-width:980px;margin:0 auto;padding:0 20px}
header{padding-top:18px}
h1{font-size:1.6em;margin:.2em 0}
h2{font-size:1.25em;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
.meta{color:#666;font-size:.9em;margin:0}
nav ol{font-size:.9em;color:#444;padding-left:1.4em}
figure{margin:1em 0;background:#fff;border:1px solid #e4e4e4;padding:8px;overflow-x:auto}
figure svg,figure img{max-width:100%;height:auto;display:block}
figcaption{color:#444;font-size:.9em;margin-top:4px}
.table{overflow-x:auto;margin:1em 0}
table{border-collapse:collapse;font-size:.88em;background:#fff}
caption{text-align:left;color:#444;padding:4px 0}
th,td{border:1px solid #e0e0e0;padding:3px 8px;text-align:left}
th{background:#f0f0f0}
td.num{text-align:right;font-variant-numeric:tabular-nums}
ul.verdicts{list-style:none;padding:0}
li.verdict{margin:4px 0;padding:4px 8px;border-left:4px solid #999;background:#fff}
li.verdict.pass{border-color:#1b7837}
li.verdict.fail{border-color:#b2182b}
li.verdict .mark{font-weight:bold}
li.verdict.pass .mark{color:#1b7837}
li.verdict.fail .mark{color:#b2182b}
.detail{color:#666;font-size:.9em}
details.manifest{margin:2em 0;background:#fff;border:1px solid #e4e4e4;padding:8px}
details.manifest pre{font-size:.8em;overflow-x:auto}
`;
