/**
 * What `<ink-comment-form>` knows about its fields before the reader touches them: which fields there are and what
 * an empty form holds. Their checks come with the posting piece (`form-posting.ts`), loaded on first interaction.
 * @module
 */

/** A field with a label, an error and maybe a note; the "remember me" box and the honeypot are not fields. */
export type Field = 'body' | 'name' | 'email' | 'website';

/** The fields, in the order of the form. */
export const FIELDS: readonly Field[] = ['body', 'name', 'email', 'website'];

/** What the reader typed and ticked, and the honeypot a bot fills. */
export interface FormValues {
  body: string;
  name: string;
  email: string;
  website: string;
  remember: boolean;
  hp: string;
}

/** An empty form. */
export const emptyValues = (): FormValues => ({ body: '', name: '', email: '', website: '', remember: false, hp: '' });
