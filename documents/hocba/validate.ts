import { validateXML } from 'xmllint-wasm';
import { HOCBA_XSD, HOCBA_XSD_FILE_NAME } from './schema/xsd.js';

export interface XmlValidationResult {
  valid: boolean;
  /** libxml2's messages with the line number, e.g. `line 12: Element 'diemcanam': [facet 'pattern'] …` */
  errors: string[];
}

interface PendingValidation {
  xml: string;
  resolve: (result: XmlValidationResult) => void;
  reject: (err: unknown) => void;
}

/** documents validated together in one xmllint run */
const MAX_BATCH = 64;
let queue: PendingValidation[] = [];
let flushScheduled = false;

/**
 * Validates a học bạ document against the project's XSD with libxml2 (xmllint compiled to WebAssembly).
 * libxml2 quotes the offending value in facet messages (a name, a personal id, a score): the messages
 * returned here have those values replaced by '…' (`redactSchemaMessage`), so they are safe to log.
 *
 * Each xmllint-wasm run starts a worker and compiles the module (about 0.2 s) whatever it validates,
 * so the documents asked for in the same turn of the event loop are validated in one run, each as a
 * file of its own, and their messages are told apart by file name.
 */
export function validateHocBaXml(xml: string): Promise<XmlValidationResult> {
  return new Promise((resolve, reject) => {
    queue.push({ xml, resolve, reject });
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  });
}

function flush(): void {
  const batch = queue.slice(0, MAX_BATCH);
  queue = queue.slice(MAX_BATCH);
  if (queue.length > 0) setImmediate(flush);
  else flushScheduled = false;
  void validateBatch(batch);
}

async function validateBatch(batch: PendingValidation[]): Promise<void> {
  const names = batch.map((_, i) => `hocba-${i}.xml`);
  let result;
  try {
    result = await validateXML({
      xml: batch.map((b, i) => ({ fileName: names[i] ?? `hocba-${i}.xml`, contents: b.xml })),
      schema: { fileName: HOCBA_XSD_FILE_NAME, contents: HOCBA_XSD },
    });
  } catch (err) {
    for (const b of batch) b.reject(err);
    return;
  }
  batch.forEach((b, i) => {
    const name = names[i] ?? '';
    // errors with a location carry the file name; xmllint's summary line is "<file> fails to validate"
    const mine = result.errors.filter((e) => (e.loc ? e.loc.fileName === name : e.rawMessage.startsWith(`${name} `)));
    const errors = mine
      .filter((e) => e.loc !== null)
      .map((e) => `${e.loc ? `line ${e.loc.lineNumber}: ` : ''}${redactSchemaMessage(e.message)}`);
    const failed = mine.length > 0;
    b.resolve({ valid: !failed, errors: failed && errors.length === 0 ? mine.map((e) => redactSchemaMessage(e.message)) : errors });
  });
}

/** Removes quoted values from a libxml2 schema message: `The value 'Nguyễn…' has a length…` → `The value '…' has…`. */
export function redactSchemaMessage(message: string): string {
  return message.replace(/(value|Value) '[^']*'/g, "$1 '…'").replace(/: '[^']*' is not/g, ": '…' is not").trim();
}
