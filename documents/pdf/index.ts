/** PDF renditions: the học bạ year page (pdfkit, embedded DejaVu Sans) and PDF signing (@signpdf). */
export { renderHocBaPdf, type HocBaPdfOptions } from './hocba-pdf.js';
export { signPdf, assertWholeDocumentSigned, signedByteRange, pdfTextString, type PdfSigningOptions } from './sign-pdf.js';
export { checkPdfSignatures, pdfToText, popplerAvailable, certutilAvailable, withNssTrustStore, parsePdfsigOutput, type PdfSignatureCheck, type PdfsigReport } from './poppler.js';
export { dejavuFontPath, dejavuFontDir, registerPdfFonts, PDF_FONT, type FontStyle } from './fonts.js';
