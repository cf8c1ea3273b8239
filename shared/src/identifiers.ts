import { z } from 'zod';

/** A MongoDB ObjectId in its 24-hex-digit text form: the identifier of every stored record. */
export const objectIdSchema = z
  .string()
  .regex(/^[0-9a-f]{24}$/i, { message: 'expected a 24-character hexadecimal identifier' });
export type ObjectIdString = z.infer<typeof objectIdSchema>;

/** A consultation room: one per appointment, named after it. */
export const roomIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'expected 1 to 64 letters, digits, "_" or "-"' });
export type RoomId = z.infer<typeof roomIdSchema>;

export const localeSchema = z.enum(['ar', 'en']);
/** Arabic first: the platform's default locale. */
export type Locale = z.infer<typeof localeSchema>;
export const defaultLocale: Locale = 'ar';

export function directionOf(locale: Locale): 'rtl' | 'ltr' {
  return locale === 'ar' ? 'rtl' : 'ltr';
}
