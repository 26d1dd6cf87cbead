import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../store/store.js';
import { nextSteps, type NextStepsInput } from './next-steps.js';

function summary(over: Partial<Omit<NextStepsInput, 'counts'>> & { counts?: Partial<NextStepsInput['counts']> } = {}): NextStepsInput {
  return { job: 'diplomas', outcome: 'succeeded', error: null, ...over, counts: { ...emptyCounts(), read: 100, mapped: 100, ...over.counts } };
}

describe('nextSteps', () => {
  it('says there is nothing to do after a clean run', () => {
    expect(nextSteps(summary(), 'en')).toEqual(['Nothing to do.']);
    expect(nextSteps(summary(), 'vi')).toEqual(['Không cần làm gì.']);
  });

  it('invalid records: reconcile, fix the source, the next run re-reads them', () => {
    const lines = nextSteps(summary({ counts: { invalid: 7 } }), 'en');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('7 invalid record(s) held back');
    expect(lines[0]).toContain('lienthong reconcile diplomas');
    expect(lines[0]).toContain('the next run re-reads them');
    expect(nextSteps(summary({ counts: { invalid: 7 } }), 'vi')[0]).toContain('lần chạy sau tự đọc lại');
  });

  it('records waiting for signatures: names who is awaited and the signing status command', () => {
    const [line] = nextSteps(summary({ outcome: 'partial', counts: { awaitingSignature: 30 }, awaited: ['subject:TOAN (********1234) ×30'] }), 'en');
    expect(line).toContain('30 school record(s) wait for the approval of: subject:TOAN (********1234) ×30');
    expect(line).toContain('lienthong signing status diplomas');
    expect(nextSteps(summary({ counts: { awaitingSignature: 1 } }), 'vi')[0]).toContain('đang chờ phê duyệt ký');
  });

  it('deferred records need nothing: the next run sends them', () => {
    const [line] = nextSteps(summary({ outcome: 'partial', counts: { deferred: 600 } }), 'en');
    expect(line).toContain('600 record(s) not sent');
    expect(line).toContain('the next run sends them');
    expect(line).toContain('lienthong check');
    // records waiting for another destination (after:) are deferred too: the line says so
    expect(line).toContain('wait for another destination of the job to accept them first');
  });

  it("a CIM kiosk's refusals, kept in its own lane, get the kiosk commands; the engine's dead letters theirs", () => {
    const both = nextSteps(summary({ outcome: 'partial', counts: { dead: 5 }, deadInDestinationOutboxes: 2 }), 'en').join('\n');
    expect(both).toContain('3 record(s) could not be delivered (dead letters): read why with lienthong dead-letters list diplomas');
    expect(both).toContain("2 change(s) a CIM kiosk refused wait in the kiosk's own lane: read why with lienthong kiosks dead-letters");
    expect(both).toContain('lienthong kiosks requeue --kiosk ID --all');
    const onlyKiosks = nextSteps(summary({ outcome: 'partial', counts: { dead: 2 }, deadInDestinationOutboxes: 2 }), 'vi');
    expect(onlyKiosks).toHaveLength(1);
    expect(onlyKiosks[0]).toContain('lienthong kiosks requeue --kiosk ID --all');
    expect(onlyKiosks[0]).not.toContain('dead-letters list');
  });

  it('dead letters, conflicts, rejections and warnings each get their command, in one summary', () => {
    const lines = nextSteps(summary({ outcome: 'partial', counts: { dead: 2, conflicts: 1, rejected: 3, warnings: 4 } }), 'en');
    expect(lines.join('\n')).toContain('lienthong dead-letters list diplomas');
    expect(lines.join('\n')).toContain('lienthong dead-letters retry diplomas');
    // a job without kiosks is not told about them
    expect(lines.join('\n')).not.toContain('kiosk');
    expect(lines.join('\n')).toContain('1 version conflict(s)');
    expect(lines.join('\n')).toContain('3 record(s) refused by the hub');
    expect(lines.join('\n')).toContain('4 record(s) were sent with warnings');
    expect(lines).toHaveLength(4);
  });

  it('a configuration error: what to fix, then lienthong check; only the first line of a long message', () => {
    const lines = nextSteps(summary({ outcome: 'failed', error: { code: 'COLUMNS_MISMATCH', kind: 'config', message: 'job diplomas, stream diplomas: columns do not match\n  COLUMN_UNKNOWN: `birth_dat`' } }), 'en');
    expect(lines[0]).toBe('Configuration or credential error (COLUMNS_MISMATCH): job diplomas, stream diplomas: columns do not match');
    expect(lines[1]).toContain('then check it: lienthong check');
    expect(lines[2]).toContain('cursor did not move');
  });

  it('an error of kind config without a known code is a configuration error too', () => {
    const lines = nextSteps(summary({ outcome: 'failed', error: { code: 'HUB_AUTH_REFUSED', kind: 'config', message: 'the hub refused the client secret' } }), 'vi');
    expect(lines[0]).toContain('Lỗi cấu hình');
    expect(lines[1]).toContain('lienthong check');
  });

  it('a guard stop names its top codes (from the message) and says the cursor did not move', () => {
    const lines = nextSteps(summary({ outcome: 'failed', counts: { invalid: 80 }, error: { code: 'RUN_HELD_INVALID_SHARE', kind: 'data', message: '80 of 100 records invalid (80%, limit 20%): TIMESTAMP_INVALID 80' } }), 'en');
    expect(lines[0]).toContain('TIMESTAMP_INVALID 80');
    expect(lines[1]).toContain('did not move');
    expect(lines[2]).toContain('lienthong reconcile diplomas');
    // the counts' advice is not repeated under a stop
    expect(lines).toHaveLength(3);
  });

  it('a transient failure: check the connections, run again', () => {
    const lines = nextSteps(summary({ outcome: 'failed', error: { code: 'SOURCE_UNREACHABLE', kind: 'transient', message: 'connect ECONNREFUSED 127.0.0.1:5432' } }), 'en');
    expect(lines[0]).toBe('The run failed (SOURCE_UNREACHABLE): connect ECONNREFUSED 127.0.0.1:5432');
    expect(lines[1]).toContain('lienthong check');
  });

  it('another run holding the lock: wait', () => {
    expect(nextSteps(summary({ outcome: 'failed', error: { code: 'JOB_LOCKED', message: 'job diplomas is already running' } }), 'en')[0]).toContain('Another run of diplomas is in progress');
  });

  it('an interrupted run: run again to continue', () => {
    expect(nextSteps(summary({ outcome: 'interrupted' }), 'en')).toEqual([expect.stringContaining('run again to continue: lienthong run diplomas')]);
  });
});
