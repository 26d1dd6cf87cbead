import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BugError } from '../../src/core/errors.js';
import { packageRoot } from '../../src/core/package-root.js';

/**
 * Where the project's own WSDL of the credential service is: shipped in this folder (`wsdl/`, kept
 * in the package by package.json `files`), found from the package root both when lienthong runs
 * from its sources and from dist/ (tsc copies no XML). The WSDL includes its XSD by a relative
 * path; both are read from disk, never fetched (`refuseRemoteImport`).
 */
export const WSDL_DIR = join('connectors', 'vneid-credential', 'wsdl');
export const WSDL_FILE_NAME = 'CredentialService.wsdl';
export const XSD_FILE_NAME = 'CredentialService.xsd';

export const CREDENTIAL_NS = 'urn:vn:gov:credential:v1';

export function credentialServiceWsdlPath(): string {
  const path = join(packageRoot(), WSDL_DIR, WSDL_FILE_NAME);
  if (!existsSync(path)) {
    throw new BugError('VNEID_WSDL_MISSING', `the credential service's WSDL is missing from this installation (${path}): reinstall lienthong`, { connector: 'vneid-credential', file: path });
  }
  return path;
}

/** the soap package's `wsdl_options.overrideImportLocation`: an import or include that is not a local file is refused */
export function refuseRemoteImport(location: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !location.startsWith('file://')) {
    throw new BugError('VNEID_WSDL_REMOTE_IMPORT', `the credential service's WSDL names a remote schema (${location}): lienthong reads its WSDL and XSD from disk only`, { connector: 'vneid-credential' });
  }
  return location;
}
