import { z } from 'zod';

/**
 * The options of a folder of signed school records: the connection (`connections.<name>` with
 * `type: signed-hocba-folder`) and the stream (a job's `source` block). The one definition of them.
 */

/** The name a processed file is moved under, inside the folder (`processed: move`). */
export const DONE_FOLDER = 'done';

export const SignedHocBaFolderConfigSchema = z
  .object({
    /** the folder the vendor's software writes the signed XML files to (relative to the configuration file) */
    path: z.string().min(1),
    /**
     * what happens to a file once a later run has saved a cursor past it (it is in the ledger:
     * sent, waiting in the outbox, or held back): `leave` it where it is, or `move` it (and its PDF)
     * into `done/` inside the folder
     */
    processed: z.enum(['leave', 'move']).default('leave'),
  })
  .strict();

export const SignedHocBaFolderStreamSchema = z.object({
  /** the record key: always the document's own `idbanghi` */
  keyFields: z.tuple([z.literal('idbanghi')]).default(['idbanghi']),
  /** the watermark: when each file arrived (its change time) and its name */
  cursorField: z.literal('arrival').optional(),
  /** which files are documents: a file-name pattern with `*` and `?` (no folders), case-insensitive */
  pattern: z.string().min(1).default('*.xml'),
  /**
   * a file changed less than this many seconds ago is left for the next run: the vendor's software
   * may still be writing it, and files arriving within one clock tick are then never skipped
   */
  settleSeconds: z.number().int().min(0).max(3600).default(10),
});

export type SignedHocBaFolderConfig = z.output<typeof SignedHocBaFolderConfigSchema>;
export type SignedHocBaFolderStream = z.output<typeof SignedHocBaFolderStreamSchema> & { name: string };
