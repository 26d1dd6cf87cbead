/**
 * A ruled table for pdfkit documents, the way paper forms draw them: a shaded header row, cell text
 * wrapped to the column width, rows never split across pages (a row that does not fit starts a new
 * page and the header row is repeated there). Heights come from pdfkit's own text measurement, so the
 * result is deterministic for the same input.
 */
/// <reference types="pdfkit" />
import { PDF_FONT } from './fonts.js';

export interface TableColumn {
  header: string;
  width: number;
  align?: 'left' | 'center' | 'right';
}

export interface TableOptions {
  fontSize?: number;
  headerFontSize?: number;
  /** inner padding of every cell, in points */
  padding?: number;
  /** first column in bold (row headings) */
  boldFirstColumn?: boolean;
  /** space left below the table */
  gapAfter?: number;
}

const HEADER_FILL = '#e6e6e6';
const RULE_COLOR = '#000000';

/** Draws `rows` (one string per column) at the document's current y, from the left margin. */
export function drawTable(doc: PDFKit.PDFDocument, columns: readonly TableColumn[], rows: readonly (readonly string[])[], options: TableOptions = {}): void {
  const fontSize = options.fontSize ?? 8.5;
  const headerFontSize = options.headerFontSize ?? fontSize;
  const padding = options.padding ?? 3;
  const left = doc.page.margins.left;
  const bottom = (): number => doc.page.height - doc.page.margins.bottom;

  const measure = (cells: readonly string[], font: (col: number) => string, size: number): number => {
    let height = 0;
    columns.forEach((column, i) => {
      doc.font(font(i)).fontSize(size);
      const text = cells[i] ?? '';
      const h = text === '' ? size : doc.heightOfString(text, { width: column.width - 2 * padding, align: column.align ?? 'left' });
      height = Math.max(height, h);
    });
    return height + 2 * padding;
  };

  const drawRow = (cells: readonly string[], y: number, height: number, font: (col: number) => string, size: number, fill?: string): void => {
    let x = left;
    columns.forEach((column, i) => {
      if (fill) doc.rect(x, y, column.width, height).fill(fill);
      doc.lineWidth(0.6).strokeColor(RULE_COLOR).rect(x, y, column.width, height).stroke();
      const text = cells[i] ?? '';
      if (text !== '') {
        doc.fillColor('#000000').font(font(i)).fontSize(size)
          .text(text, x + padding, y + padding, { width: column.width - 2 * padding, align: column.align ?? 'left', lineBreak: true });
      }
      x += column.width;
    });
  };

  const headerCells = columns.map((c) => c.header);
  const headerFont = (): string => PDF_FONT.bold;
  const bodyFont = (col: number): string => (options.boldFirstColumn && col === 0 ? PDF_FONT.bold : PDF_FONT.regular);
  const headerHeight = measure(headerCells, headerFont, headerFontSize);

  let y = doc.y;
  const drawHeader = (): void => {
    drawRow(headerCells, y, headerHeight, headerFont, headerFontSize, HEADER_FILL);
    y += headerHeight;
  };
  if (y + headerHeight + fontSize + 2 * padding > bottom()) {
    doc.addPage();
    y = doc.page.margins.top;
  }
  drawHeader();
  for (const row of rows) {
    const height = measure(row, bodyFont, fontSize);
    if (y + height > bottom()) {
      doc.addPage();
      y = doc.page.margins.top;
      drawHeader();
    }
    drawRow(row, y, height, bodyFont, fontSize);
    y += height;
  }
  doc.x = left;
  doc.y = y + (options.gapAfter ?? 8);
}
