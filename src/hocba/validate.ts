import { validateXML } from 'xmllint-wasm';
import { HOCBA_XSD, HOCBA_XSD_FILE_NAME } from './schema/xsd.js';

export interface XmlValidationResult {
  valid: boolean;
  /** libxml2's messages with the line number, e.g. `line 12: Element 'diemcanam': [facet 'pattern'] …` */
  errors: string[];
}

/**
 * Validates a học bạ document against the project's XSD with libxml2 (xmllint compiled to WebAssembly).
 * libxml2 quotes the offending value in facet messages (a name, a personal id, a score): the messages
 * returned here have those values replaced by '…' (`redactSchemaMessage`), so they are safe to log.
 */
export async function validateHocBaXml(xml: string): Promise<XmlValidationResult> {
  const result = await validateXML({
    xml: { fileName: 'hocba.xml', contents: xml },
    schema: { fileName: HOCBA_XSD_FILE_NAME, contents: HOCBA_XSD },
  });
  const errors = result.errors.map((e) => {
    const where = e.loc ? `line ${e.loc.lineNumber}: ` : '';
    return `${where}${redactSchemaMessage(e.message)}`;
  });
  return { valid: result.valid, errors };
}

/** Removes quoted values from a libxml2 schema message: `The value 'Nguyễn…' has a length…` → `The value '…' has…`. */
export function redactSchemaMessage(message: string): string {
  return message.replace(/(value|Value) '[^']*'/g, "$1 '…'").replace(/: '[^']*' is not/g, ": '…' is not").trim();
}
