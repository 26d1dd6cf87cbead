import { DICTIONARY_SOURCE } from './dictionary/index.js';
import { ETHNICITIES, ETHNICITY_SOURCE } from './ethnicity.js';
import { GENDER_NAMES } from './gender.js';
import { GRADING_SCALES, TT22_CONDUCT_LEVELS, TT22_RESULT_LEVELS, TT22_SOURCE, TT22_TABLE_VERSION } from './grading.js';
import { COUNTRIES, NATIONALITY_SOURCE } from './nationality.js';
import { CURRENT_PROVINCES, LEGACY_PROVINCES, PROVINCE_TABLE_SOURCES, crosswalkDataVersion } from './provinces.js';
import { SCHOOL_LEVELS } from './school-levels.js';

/** What a code table is, where it comes from and which version of it this is. */
export interface CodeTableInfo {
  name: string;
  source: string;
  version: string;
  entries: number;
}

/**
 * Every code table lienthong uses, with its source and version: the list an IT center checks
 * against the ministry's own lists, and what `lienthong` records with each mapping version.
 */
export function codeTables(): CodeTableInfo[] {
  return [
    { name: 'provinces (from 2025-07-01)', source: PROVINCE_TABLE_SOURCES.current, version: '2025', entries: CURRENT_PROVINCES.length },
    { name: 'provinces (until 2025-06-30)', source: PROVINCE_TABLE_SOURCES.legacy, version: 'pre2025', entries: LEGACY_PROVINCES.length },
    { name: 'ward crosswalk (old → new)', source: PROVINCE_TABLE_SOURCES.crosswalk, version: crosswalkDataVersion(), entries: 0 },
    { name: 'ethnic groups', source: ETHNICITY_SOURCE, version: 'QCVN 109:2017/BTTTT', entries: ETHNICITIES.length },
    { name: 'gender', source: 'QCVN 109:2017/BTTTT (docs/domain/code-tables.md)', version: 'QCVN 109:2017/BTTTT', entries: Object.keys(GENDER_NAMES).length },
    { name: 'nationality and country', source: NATIONALITY_SOURCE, version: 'ISO 3166-1 (subset)', entries: COUNTRIES.length },
    { name: 'school levels', source: 'manhomcaphoc, national data dictionary (docs/domain/code-tables.md)', version: DICTIONARY_SOURCE.sha256.slice(0, 12), entries: SCHOOL_LEVELS.length },
    ...Object.values(GRADING_SCALES).map((s) => ({ name: `university grading scale ${s.version}`, source: s.source, version: s.version, entries: s.letters.length })),
    { name: 'Thông tư 22 result levels', source: TT22_SOURCE, version: TT22_TABLE_VERSION, entries: TT22_RESULT_LEVELS.length },
    { name: 'Thông tư 22 conduct levels', source: TT22_SOURCE, version: TT22_TABLE_VERSION, entries: TT22_CONDUCT_LEVELS.length },
    { name: 'national data dictionary', source: 'docs/reference/national-data-dictionary.tsv (longnh59/diagram Book1.xlsx)', version: `sha256:${DICTIONARY_SOURCE.sha256.slice(0, 12)}`, entries: 0 },
  ];
}
