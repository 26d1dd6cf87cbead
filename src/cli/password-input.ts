import { ConfigError } from '../core/errors.js';

/** Reads standard input to its end (a password piped in: `printf '%s' "$PW" | lienthong users add …`). */
async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** One line typed at the terminal with nothing echoed. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let typed = '';
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err: Error | null): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (text: string): void => {
      for (const ch of text) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003') return done(new ConfigError('PASSWORD_MISSING', 'interrupted: no password given'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * A new password: from standard input when it is not a terminal (its first line), else typed
 * twice at a prompt that echoes nothing. Never from the command line (it would be in the shell's
 * history and in the process list).
 */
export async function readNewPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const first = (await readAll(process.stdin)).split(/\r?\n/)[0] ?? '';
    if (first === '') throw new ConfigError('PASSWORD_MISSING', 'no password on standard input (give it as its first line)');
    return first;
  }
  const password = await promptHidden('password: ');
  if ((await promptHidden('password again: ')) !== password) throw new ConfigError('PASSWORD_MISMATCH', 'the two passwords differ');
  return password;
}
