export { cimKioskPlugin } from './plugin.js';
export { CimKioskDestination, type CimKioskDestinationOptions } from './destination.js';
export { KioskClient, KioskFailure, type KioskFailureKind, type KioskHealthAnswer } from './client.js';
export { KioskLane, type LaneEnd, type LaneResult } from './lane.js';
export { cimKioskConnectionSchema, kioskSchema, type CimKioskConnection, type KioskConfig, type ResolvedKiosk } from './config.js';
export { decodeChange, encodeChange, KIOSK_ANSWERS, type StudentChange } from './encoding.js';
