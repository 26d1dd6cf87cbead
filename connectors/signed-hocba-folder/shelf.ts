/**
 * The documents a folder source read in this process, by source key (the record's idbanghi), for
 * the `hocba-verify` transform: the engine hands a transform the mapped data, not the source
 * record, and the document must leave byte for byte as the file holds it. The shelf keeps where
 * the file is and the SHA-256 of the bytes that were mapped, never the bytes (a folder of
 * thousands of documents is not held in memory); the transform reads the file again and refuses
 * it if it is no longer those bytes.
 */
export interface ShelvedDocument {
  /** the file name relative to the folder, for messages */
  name: string;
  path: string;
  sha256: string;
}

const shelf = new Map<string, ShelvedDocument>();

export const documentShelf = {
  put(key: string, document: ShelvedDocument): void {
    shelf.set(key, document);
  },
  /** the document of a record, left on the shelf (a record may be transformed for several destinations) */
  get(key: string): ShelvedDocument | undefined {
    return shelf.get(key);
  },
  /** forgets what a source put there (each read starts afresh) */
  remove(keys: Iterable<string>): void {
    for (const k of keys) shelf.delete(k);
  },
};
