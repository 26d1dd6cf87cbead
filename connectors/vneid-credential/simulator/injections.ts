/** What tests (and `/_admin/inject`) tell the simulator to do with requests. */

export type Operation = 'PublishCredential' | 'RevokeCredential' | 'QueryCredentials';

/**
 * What to do with a request instead of (or after) serving it. `afterApply`: the request is
 * applied and its answer kept for replays, then this happens instead of the answer: the answer
 * is lost in the window after the service applied the request.
 */
export type Injection =
  | { type: 'result'; code: string; message?: string }
  | { type: 'fault'; faultcode?: string; faultstring?: string; afterApply?: boolean }
  | { type: 'expired' }
  | { type: 'http'; status: number; body?: string; contentType?: string; afterApply?: boolean }
  | { type: 'raw'; body: string; status?: number }
  | { type: 'drop'; afterApply?: boolean }
  | { type: 'hang'; afterApply?: boolean }
  | { type: 'slow'; ms: number };

/** Which requests an injection takes: by operation, by personal id, how many times (default once). */
export interface InjectionMatch {
  operation?: Operation;
  personalId?: string;
  times?: number;
}
