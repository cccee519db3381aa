import { execFileSync } from 'node:child_process';

export interface PythonZipEntry {
  readonly name: string;
  /** The Unix file type and permissions from the entry's external attributes. */
  readonly mode: number;
  /** General purpose flag bit 11: the name is UTF-8. */
  readonly utf8Name: boolean;
  /** 8 is deflate. */
  readonly compression: number;
  /** [year, month, day, hour, minute, second] */
  readonly dateTime: readonly number[];
  readonly data: Buffer;
}

export interface PythonZip {
  readonly entries: readonly PythonZipEntry[];
  /** The first entry whose CRC or header does not check out (zipfile's testzip), or null. */
  readonly firstBadEntry: string | null;
}

const READ_ZIP = `
import base64, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as archive:
    bad = archive.testzip()
    entries = [{
        "name": info.filename,
        "mode": info.external_attr >> 16,
        "utf8Name": bool(info.flag_bits & 0x800),
        "compression": info.compress_type,
        "dateTime": list(info.date_time),
        "data": base64.b64encode(archive.read(info)).decode(),
    } for info in archive.infolist()]
print(json.dumps({"firstBadEntry": bad, "entries": entries}))
`;

/**
 * Reads a zip with Python's zipfile: an implementation independent of bundling/zip.ts (whose own
 * reader would agree with its writer's mistakes), which checks every entry's CRC.
 */
export function readZipWithPython(file: string): PythonZip {
  let output: string;
  try {
    output = execFileSync('python3', ['-c', READ_ZIP, file], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('The zip tests need python3 on PATH: sudo apt-get install -y python3', {
        cause: error,
      });
    throw error;
  }
  const parsed = JSON.parse(output) as {
    firstBadEntry: string | null;
    entries: (Omit<PythonZipEntry, 'data'> & { data: string })[];
  };
  return {
    firstBadEntry: parsed.firstBadEntry,
    entries: parsed.entries.map((entry) => ({ ...entry, data: Buffer.from(entry.data, 'base64') })),
  };
}
