export { cimStudentSnapshotMapping, DEFAULT_STATUS_TABLE, SNAPSHOT_STATUSES, statusTable, type SnapshotStatus } from './mapping.js';
