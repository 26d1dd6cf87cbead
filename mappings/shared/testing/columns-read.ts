import type { Mapping, MappingContext } from '../../../src/core/mapping.js';
import type { SourceRecord } from '../../../src/core/records.js';

/**
 * Maps `record` with a row that records every column the mapping reads or asks about (present or
 * not), so a test can hold a mapping's declared `columns` to what it really reads. A mapping that
 * enumerates the row would read columns no list can name: that throws.
 */
export function columnsRead(mapping: Mapping, record: SourceRecord, context: MappingContext): Set<string> {
  const read = new Set<string>();
  const data = new Proxy(record.data, {
    get(target, key, receiver) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
    has(target, key) {
      if (typeof key === 'string') read.add(key);
      return Reflect.has(target, key);
    },
    ownKeys() {
      throw new Error(`mapping ${mapping.name} enumerates the source row; it must read named columns only`);
    },
  });
  mapping.map({ ...record, data }, context);
  return read;
}
