// Reading what the page gives: a download's bytes, CSV text, the parts of an XLSX (a ZIP) and
// its sheets' cells. Enough of each format for the tests, no dependency.
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";

// Clicks the control and returns the downloaded file's name and bytes.
export async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testid).click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}

// The fields of CSV text, quotes undone (RFC 4180).
export function parseCsv(text, separator) {
  const rows = [];
  let row = [""];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (row[row.length - 1] += '"'), i++;
      else if (c === '"') quoted = false;
      else row[row.length - 1] += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) row.push("");
    else if (c === "\r" && text[i + 1] === "\n") rows.push(row), (row = [""]), i++;
    else row[row.length - 1] += c;
  }
  return rows;
}

// The parts of a ZIP archive by name, inflated.
export function unzip(bytes) {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const parts = {};
  for (let k = 0; k < count; k++) {
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extra = bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(start, start + size);
    parts[name] = (method === 8 ? inflateRawSync(data) : data).toString("utf8");
    at += 46 + nameLength + extra;
  }
  return parts;
}

const unescapeXml = (s) =>
  s.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"').replaceAll("&apos;", "'").replaceAll("&amp;", "&");

// A sheet's cells as rows of strings (numbers as stored), by column letter order.
export function sheetRows(xml) {
  return [...xml.matchAll(/<row\b[^>]*>(.*?)<\/row>/gs)].map(([, cells]) =>
    [...cells.matchAll(/<c\b[^>]*?(?:\/>|>(.*?)<\/c>)/gs)].map(([, inner = ""]) => {
      const value = inner.match(/<v>(.*?)<\/v>/s) ?? inner.match(/<t\b[^>]*>(.*?)<\/t>/s);
      return value ? unescapeXml(value[1]) : "";
    }),
  );
}


// The sheets' names, in order, from the workbook part.
export function sheetNames(parts) {
  return [...parts["xl/workbook.xml"].matchAll(/<sheet\b[^>]*name="([^"]*)"/g)].map(([, name]) => unescapeXml(name));
}
