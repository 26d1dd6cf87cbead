import winston from 'winston';
import DailyRotateFile from 'winston-daily-rotate-file';
import { maskPersonalIdsInText } from './redact.js';

/**
 * Structured JSON logs (one object a line). A log line never carries a full personal id, a name,
 * a score or a secret: callers log keys and counts, and this format masks any 9- or 12-digit
 * number and drops fields whose names say they hold personal data or secrets, as a second fence.
 */
export type Logger = winston.Logger;

const FORBIDDEN_KEYS = /(secret|password|token|authorization|hovaten|full_name|name$|sodinhdanh|national_id|diem|score)/i;

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalIdsInText(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = FORBIDDEN_KEYS.test(k) && k !== 'name' && k !== 'job' ? '[redacted]' : scrub(v, depth + 1);
  }
  return out;
}

const scrubFormat = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level') continue;
    const record = info as Record<string, unknown>;
    record[key] = FORBIDDEN_KEYS.test(key) && key !== 'name' ? '[redacted]' : scrub(record[key]);
  }
  return info;
});

export interface LoggerOptions {
  level?: string;
  /** path of the rotating log file; none for stdout only */
  file?: string;
  /** write to stdout too (off for the CLI's progress display, which logs to the file only) */
  console?: boolean;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const transports: winston.transport[] = [];
  if (options.console !== false) transports.push(new winston.transports.Console({ stderrLevels: [] }));
  if (options.file) {
    transports.push(
      new DailyRotateFile({
        filename: options.file.replace(/\.log$/, '') + '-%DATE%.log',
        datePattern: 'YYYY-MM-DD',
        maxSize: '20m',
        maxFiles: '14d',
      }),
    );
  }
  if (transports.length === 0) transports.push(new winston.transports.Console({ silent: true }));
  return winston.createLogger({
    level: options.level ?? 'info',
    format: winston.format.combine(winston.format.timestamp(), scrubFormat(), winston.format.json()),
    transports,
  });
}

/** A logger that drops everything (tests, library use). */
export function silentLogger(): Logger {
  return winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });
}
