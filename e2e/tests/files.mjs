// Reading what the page gives: a download's bytes, CSV text, the parts of an XLSX (a ZIP) and
// its sheets' cells. Enough of each format for the tests, no dependency. And the other way: a
// ZIP of parts, and an XLSX workbook of one sheet.
import { readFileSync } from "node:fs";
import { crc32, deflateRawSync, inflateRawSync } from "node:zlib";

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

// A ZIP archive of `parts` ({ name: Buffer }), each deflated: local headers, then the central
// directory (APPNOTE 4.3; no ZIP64, so parts under 4 GB).
export function zip(parts) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const [name, data] of Object.entries(parts)) {
    const packed = deflateRawSync(data);
    const nameBytes = Buffer.from(name, "utf8");
    const fields = (header) => {
      header.writeUInt16LE(20, 4); // version needed (as the version made by, below)
      header.writeUInt16LE(0x0800, 6); // names in UTF-8
      header.writeUInt16LE(8, 8); // deflated
      header.writeUInt32LE(crc32(data), 14);
      header.writeUInt32LE(packed.length, 18);
      header.writeUInt32LE(data.length, 22);
      header.writeUInt16LE(nameBytes.length, 26);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    fields(local);
    locals.push(local, nameBytes, packed);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    fields(entry.subarray(2));
    entry.writeUInt32LE(offset, 42);
    central.push(entry, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(central.length / 2, 8);
  end.writeUInt16LE(central.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

// An XLSX workbook with one sheet named `sheet`: `rows` is an array of rows, or a function
// called with (push) that pushes each row, for sheets too large to hold as arrays. A cell is a
// number (stored as a number) or text (stored inline).
export function xlsx(sheet, rows) {
  const escape = (s) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  const chunks = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'];
  let pending = [];
  let r = 0;
  const push = (cells) => {
    r++;
    const xml = cells
      .map((v) => (typeof v === "number" ? `<c><v>${v}</v></c>` : `<c t="inlineStr"><is><t>${escape(v)}</t></is></c>`))
      .join("");
    pending.push(`<row r="${r}">${xml}</row>`);
    if (pending.length === 10_000) chunks.push(pending.join("")), (pending = []);
  };
  if (typeof rows === "function") rows(push);
  else rows.forEach(push);
  chunks.push(pending.join(""), "</sheetData></worksheet>");
  const ns = "http://schemas.openxmlformats.org";
  return zip({
    "[Content_Types].xml": Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="${ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    ),
    "_rels/.rels": Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    "xl/workbook.xml": Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}/spreadsheetml/2006/main" xmlns:r="${ns}/officeDocument/2006/relationships"><sheets><sheet name="${escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    "xl/_rels/workbook.xml.rels": Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ),
    "xl/worksheets/sheet1.xml": Buffer.from(chunks.join("")),
  });
}
