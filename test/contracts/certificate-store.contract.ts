import { describe, expect, it } from 'vitest';
import type { CertificateReservation } from '../../src/store/certificate-store.js';
import type { StateStore } from '../../src/store/store.js';

/**
 * The CIM certificates' part of the state store contract (src/store/certificate-store.ts), run by
 * storeContract over every implementation: kiosk tokens, the register of certificates issued (one
 * per kiosk request, numbers per year), their PDFs, revocation, the report, the last UIS data.
 */
export function certificateStoreContract(open: () => Promise<StateStore>): void {
  const reservation = (requestId: string, over: Partial<CertificateReservation> = {}): CertificateReservation => ({
    kioskId: 'K1',
    requestId,
    requestHash: `h-${requestId}`,
    templateCode: 'BANG_DIEM_TAM_THOI_VI',
    ownerUnit: 'PDT',
    language: 'vi',
    copies: 1,
    feeVnd: 20_000,
    paymentRef: `P-${requestId}`,
    studentKey: 'sk-1',
    holderMasked: 'N. V. An',
    verificationCode: `CODE-${requestId}`,
    dataSource: 'uis',
    dataReadAt: '2026-12-01T01:00:00.000Z',
    issuedAt: '2026-12-01T01:00:00.000Z',
    ...over,
  });

  describe('CIM certificates', () => {
    it('keeps one token per kiosk: a new one replaces the old', async () => {
      const s = await open();
      await s.putKioskToken('K1', 'hash-a', 'os:me');
      expect(await s.kioskOfToken('hash-a')).toBe('K1');
      await s.putKioskToken('K1', 'hash-b', 'os:me');
      expect(await s.kioskOfToken('hash-a')).toBeNull();
      expect(await s.kioskOfToken('hash-b')).toBe('K1');
    });

    it('reserves numbers per year, answers the same row for the same kiosk request, and keeps the PDF bytes', async () => {
      const s = await open();
      const first = await s.reserveCertificate('LTU', 2026, reservation('r1'));
      expect(first).toMatchObject({ created: true, certificate: { certificateNo: 'LTU-2026-000001', state: 'issuing' } });
      expect((await s.reserveCertificate('LTU', 2026, reservation('r2'))).certificate.certificateNo).toBe('LTU-2026-000002');
      expect((await s.reserveCertificate('LTU', 2027, reservation('r3'))).certificate.certificateNo).toBe('LTU-2027-000001');
      const again = await s.reserveCertificate('LTU', 2026, reservation('r1', { verificationCode: 'OTHER' }));
      expect(again).toMatchObject({ created: false, certificate: { certificateNo: 'LTU-2026-000001', verificationCode: 'CODE-r1' } });
      // another kiosk may use the same requestId
      expect((await s.reserveCertificate('LTU', 2026, reservation('r1', { kioskId: 'K2', verificationCode: 'CODE-K2' }))).created).toBe(true);

      expect(await s.certificateByCode('CODE-r1')).toBeNull(); // not issued yet
      const pdf = Buffer.from('%PDF-1.7 \u00e2\u0001 bytes');
      await s.completeCertificate('LTU-2026-000001', 'a'.repeat(64), pdf);
      const pdfBack = await s.certificatePdf('LTU-2026-000001');
      expect(Buffer.isBuffer(pdfBack)).toBe(true);
      expect(pdfBack?.equals(pdf)).toBe(true);
      expect(await s.certificateByCode('CODE-r1')).toMatchObject({ certificateNo: 'LTU-2026-000001', state: 'issued', sha256: 'a'.repeat(64) });

      await s.abandonCertificate('LTU-2026-000002');
      expect(await s.certificateByNumber('LTU-2026-000002')).toBeNull();
      // a number is never given twice
      expect((await s.reserveCertificate('LTU', 2026, reservation('r4'))).certificate.certificateNo).toBe('LTU-2026-000004');
    });

    it('revokes an issued certificate once, and reports per month, template, unit and language', async () => {
      const s = await open();
      const overrides: Partial<CertificateReservation>[] = [
        {},
        { language: 'en', templateCode: 'BANG_DIEM_TAM_THOI_EN' },
        { issuedAt: '2026-11-30T18:00:00.000Z' },
        { issuedAt: '2026-11-30T16:00:00.000Z', feeVnd: 0, ownerUnit: 'CTSV', templateCode: 'XAC_NHAN_SINH_VIEN' },
      ];
      for (const [i, over] of overrides.entries()) {
        const { certificate } = await s.reserveCertificate('LTU', 2026, reservation(`m${i}`, over));
        await s.completeCertificate(certificate.certificateNo, 'b'.repeat(64), Buffer.from('pdf'));
      }
      expect(await s.revokeCertificate('LTU-2026-000001', 'admin', 'wrong student')).toBe(true);
      expect(await s.revokeCertificate('LTU-2026-000001', 'admin', 'again')).toBe(false);
      expect(await s.revokeCertificate('LTU-2026-999999', 'admin', 'none')).toBe(false);
      expect(await s.certificateByNumber('LTU-2026-000001')).toMatchObject({ revokedBy: 'admin', revokeReason: 'wrong student' });
      // 2026-11-30T18:00Z is 1 December in Viet Nam; 16:00Z is still 30 November
      const december = await s.certificateReport({ month: '2026-12' });
      expect(december).toEqual([
        { month: '2026-12', templateCode: 'BANG_DIEM_TAM_THOI_EN', ownerUnit: 'PDT', language: 'en', certificates: 1, copies: 1, feeVnd: 20_000, revoked: 0 },
        { month: '2026-12', templateCode: 'BANG_DIEM_TAM_THOI_VI', ownerUnit: 'PDT', language: 'vi', certificates: 2, copies: 2, feeVnd: 40_000, revoked: 1 },
      ]);
      expect((await s.certificateReport()).map((r) => r.month)).toEqual(['2026-11', '2026-12', '2026-12']);
      expect((await s.listCertificates({ month: '2026-11' })).map((c) => c.templateCode)).toEqual(['XAC_NHAN_SINH_VIEN']);
    });

    it('keeps the last data read per student', async () => {
      const s = await open();
      expect(await s.studentSnapshot('sk-1')).toBeNull();
      await s.putStudentSnapshot('sk-1', '{"a":1}', '2026-12-01T00:00:00.000Z');
      await s.putStudentSnapshot('sk-1', '{"a":2}', '2026-12-01T01:00:00.000Z');
      expect(await s.studentSnapshot('sk-1')).toEqual({ json: '{"a":2}', readAt: '2026-12-01T01:00:00.000Z' });
    });
  });
}
