// render.js reads ZPL on stdin and writes one PNG per ^XA...^XZ label into
// OUTDIR as label-0.png, label-1.png, ... It exists only so the Go tests can
// decode barcodes back out of the ZPL that labels generates.
//
// usage: node render.js WIDTH_MM HEIGHT_MM DPMM OUTDIR < labels.zpl
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { ready } = require("zpl-renderer-js");

async function main() {
  const [widthMm, heightMm, dpmm, outDir] = process.argv.slice(2);
  if (!outDir) {
    throw new Error("usage: node render.js WIDTH_MM HEIGHT_MM DPMM OUTDIR < labels.zpl");
  }
  const zpl = fs.readFileSync(0, "utf8");
  const { api } = await ready;
  const pngs = await api.zplToBase64MultipleAsync(zpl, Number(widthMm), Number(heightMm), Number(dpmm));
  pngs.forEach((b64, i) => {
    fs.writeFileSync(path.join(outDir, `label-${i}.png`), Buffer.from(b64, "base64"));
  });
  console.log(pngs.length);
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(1);
});
